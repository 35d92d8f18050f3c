package main

import (
	"debug/elf"
	"fmt"
	"os"
	"os/exec"
	"path/filepath"
	"regexp"
	"strings"
	"testing"
)

// condition -per-g-hitcount counts each goroutine's hits apart: with
// "== 2" each of the two workers stops once, at its second iteration
// (i == 1); a total count would stop once in all.
func TestPerGoroutineHitCount(t *testing.T) {
	out, _ := markedRun(t, "pergfix", nil, []string{
		"break main.go:{work}", "condition -per-g-hitcount 1 == 2", "breakpoints",
		"continue", "print i", "continue", "print i", "continue",
	})
	if !strings.Contains(out, "hitcount per goroutine == 2") {
		t.Errorf("breakpoints does not show the per-goroutine hit condition:\n%s", out)
	}
	stops := regexp.MustCompile(`(?m)^(?:\[process \d+\] )?> \[Breakpoint 1\] main\.work\(\)`).FindAllString(out, -1)
	if len(stops) != 2 || strings.Count(out, "\n1\n") != 2 {
		t.Errorf("want two stops, each at i == 1; got %d stops\n%s", len(stops), out)
	}
	if !strings.Contains(out, "has exited with status 0") {
		t.Errorf("the program did not run to its end:\n%s", out)
	}
	bad, _ := markedRun(t, "pergfix", nil, []string{"break main.go:{work}", "condition -per-g-hitcount 1 =~ 2", "condition -per-g-hitcount 1 == x"})
	for _, want := range []string{`unknown hit-count operator "=~"`, `hit count "x" is not a number`} {
		if !strings.Contains(bad, want) {
			t.Errorf("no %q in\n%s", want, bad)
		}
	}
}

// A function breakpoint in an optimised binary lands on the function's
// first statement (Delve's TestFirstStmtOptimizedBinaries: multinamedreturns
// built with optimisations, main.ManyArgsWithNamedReturns stops at line 7,
// not at the line of the entry's row, which is the return's).
func TestFirstStmtOptimizedBinaries(t *testing.T) {
	dir := delveFixtures(t)
	bin := filepath.Join(t.TempDir(), "multinamedreturns")
	cmd := exec.Command("go", "build", "-o", bin, "multinamedreturns.go")
	cmd.Dir = dir
	cmd.Env = append(os.Environ(), "GO111MODULE=off", "GOFLAGS=")
	if b, err := cmd.CombinedOutput(); err != nil {
		t.Fatalf("building Delve's fixture multinamedreturns: %v\n%s", err, b)
	}
	out, code := run(t, "break main.ManyArgsWithNamedReturns\ncontinue\n", "exec", bin)
	if code != 0 {
		t.Fatalf("exit %d\n%s", code, out)
	}
	if !regexp.MustCompile(`(?m)^> \[Breakpoint 1\] main\.ManyArgsWithNamedReturns\(\) \S*multinamedreturns\.go:7 `).MatchString(out) {
		t.Errorf("want the stop at multinamedreturns.go:7\n%s", out)
	}
}

// A line breakpoint in a C file of a cgo program resolves (to the C
// function's code) and stops there: Delve's cgostacktest, hello.c's line
// "helloworld_pt2(x+1);" in helloworld, which the program reaches after
// its runtime.Breakpoint().
func TestCgoCFileLineBreakpoint(t *testing.T) {
	dir := delveFixtures(t)
	src, err := os.ReadFile(filepath.Join(dir, "cgostacktest", "hello.c"))
	if err != nil {
		t.Fatal(err)
	}
	line := 0
	for i, l := range strings.Split(string(src), "\n") {
		if strings.TrimSpace(l) == "helloworld_pt2(x+1);" {
			line = i + 1
		}
	}
	bin := filepath.Join(t.TempDir(), "cgostacktest")
	cmd := exec.Command("go", "build", "-gcflags=all=-N -l", "-o", bin, ".")
	cmd.Dir = filepath.Join(dir, "cgostacktest")
	cmd.Env = append(os.Environ(), "GO111MODULE=off", "GOFLAGS=", "CGO_ENABLED=1")
	if b, err := cmd.CombinedOutput(); err != nil {
		t.Skipf("cannot build the cgo fixture (no C compiler?): %v\n%s", err, b)
	}
	f, err := elf.Open(bin)
	if err != nil {
		t.Fatal(err)
	}
	syms, _ := f.Symbols()
	f.Close()
	var entry uint64
	for _, s := range syms {
		if s.Name == "helloworld" {
			entry = s.Value
		}
	}
	out, code := run(t, fmt.Sprintf("break hello.c:%d\ncontinue\ncontinue\n", line), "exec", bin)
	if code != 0 {
		t.Fatalf("exit %d\n%s", code, out)
	}
	want := fmt.Sprintf("(PC: %#x)", entry)
	if strings.Contains(out, "pending") || !regexp.MustCompile(`(?m)^> \[Breakpoint 1\] .*`+regexp.QuoteMeta(want)).MatchString(out) {
		t.Errorf("break hello.c:%d: want a stop of breakpoint 1 at helloworld %s\n%s", line, want, out)
	}
}

// deferred <n> print reads the argument a deferred call will receive,
// although `defer cleanup(v + 1)` defers a closure that captured v+1: the
// value printed is the one the program prints when the call runs.
func TestDeferredPrintsCapturedArgument(t *testing.T) {
	out, _ := markedRun(t, "pergfix", nil, []string{
		"break main.go:{deferrer}", "continue", "deferred 1 print v", "deferred 1 args", "deferred 2 args", "deferred 1 locals", "continue",
	})
	for _, want := range []string{
		"\n42\n", "\nv = 42\n", "cleanup 42\n",
		"deferred 2: frame 0 has 1 deferred calls",
		"deferred runs args or print <argument> only",
		"has exited with status 0",
	} {
		if !strings.Contains(out, want) {
			t.Errorf("no %q in\n%s", want, out)
		}
	}
}
