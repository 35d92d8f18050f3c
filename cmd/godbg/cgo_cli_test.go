package main

import (
	"fmt"
	"os"
	"os/exec"
	"path/filepath"
	"regexp"
	"strconv"
	"strings"
	"testing"

	"github.com/godbg/godbg/internal/fixtures"
)

// cgoFixture builds _fixtures/cgofix (Go calling C through cgo, the C
// built with cgo's default -g -O2) and returns the binary and the line
// of a C source line.
func cgoFixture(t *testing.T) (bin string, cLine func(text string) int) {
	t.Helper()
	if _, err := exec.LookPath("gcc"); err != nil {
		t.Skip("gcc not installed: cannot build the cgo fixture")
	}
	bin = fixtures.Build(t, "cgofix")
	src, err := os.ReadFile(filepath.Join(fixtures.Source("cgofix"), "cfix.c"))
	if err != nil {
		t.Fatal(err)
	}
	return bin, func(text string) int {
		for i, l := range strings.Split(string(src), "\n") {
			if strings.Contains(l, text) {
				return i + 1
			}
		}
		t.Fatalf("no line %q in cfix.c", text)
		return 0
	}
}

// TestCgoFunctionNames stops in a C function of a cgo program by its C
// name: the breakpoint is set (not pending), the stop names C.cadd at the
// C line gdb gives it (-O2: the body line at the entry), bt shows the C
// caller and the Go frames under it, args reads the C arguments the
// program then prints (and the caller's, which -O2 may have lost, give a
// value or "optimized away"), and funcs, list and disassemble know the
// function.
func TestCgoFunctionNames(t *testing.T) {
	bin, cLine := cgoFixture(t)
	body := cLine("int r = a + b;") // gcc -O2: the entry's statement row, as gdb reports it
	out, code := run(t, "break cadd\nfuncs ^C\\.c\ncontinue\nbt 12\nargs\nframe 1 args\nlist cmul\ndisassemble\ncontinue\nargs\n", "exec", bin)
	if code != 0 {
		t.Fatalf("exit %d\n%s", code, out)
	}
	for _, re := range []string{
		`(?m)^Breakpoint 1 set at C\.cadd\(\) .*cfix\.c:` + strconv.Itoa(body) + ` \(PC: `,
		`(?m)^C\.cadd\nC\.cclobber\nC\.cleaf\nC\.cmul\nC\.cname\nC\.cone\nC\.cscale\n`,
		`(?m)^> \[Breakpoint 1\] C\.cadd\(\) .*cfix\.c:` + strconv.Itoa(body) + ` `,
		`(?m)^\* 0 +0x[0-9a-f]+ in C\.cadd\n +at .*cfix\.c:` + strconv.Itoa(body) + `\n +1 +0x[0-9a-f]+ in C\.cmul\n +at .*cfix\.c:` + strconv.Itoa(cLine("int s = cadd(a, b);")),
		`(?m)^ +\d+ +0x[0-9a-f]+ in main\.calls\n +at .*main\.go:\d+`,
		`(?m)^a = 0\nb = 10\n(?s:.*)cadd 0 10\n(?s:.*)^a = 1\nb = 10\n`,
		// cmul's a at -O2 is DW_OP_entry_value(rdi): optimized away, as gdb says.
		`(?m)^a = 0\nb = 10\na = (0|\(a is not available at this pc \(optimized away\)\))\n`,
		`(?m)^Showing .*cfix\.c:`,
		`(?m)^C\.cadd:\n`,
	} {
		if !regexp.MustCompile(re).MatchString(out) {
			t.Errorf("output does not match %s\n%s", re, out)
		}
	}
	if strings.Contains(out, "pending") {
		t.Errorf("a C function's breakpoint stayed pending:\n%s", out)
	}
	// A tracepoint in a session: one line per call with the C arguments.
	out, code = run(t, "trace cmul\ncontinue\n", "exec", bin)
	want := ""
	for i := 0; i < 3; i++ {
		want += fmt.Sprintf(`C\.cmul\(\) .*cfix\.c:%d \(a=%d, b=10\)\n`, cLine("int s = cadd(a, b);"), i)
	}
	calls := regexp.MustCompile(`(?m)^> trace 1: thread \d+ (.*)$`).FindAllStringSubmatch(out, -1)
	got := ""
	for _, c := range calls {
		got += c[1] + "\n"
	}
	if code != 0 || !regexp.MustCompile("^"+want+"$").MatchString(got) {
		t.Errorf("trace cmul: got\n%swant\n%s\n%s", got, want, out)
	}
}

// TestTraceCgo traces the C functions of a cgo program with godbg trace:
// the program's stdout is unchanged apart from its goroutine id, calls
// carry the C arguments (integers from rdi/rsi, a double from xmm0),
// returns the results (RAX, or XMM0 for the double), and the goroutine is
// the one the program says made the calls, also in a C function entered
// with r14 (Go's g register) zeroed. The results add up to the program's
// own sum.
func TestTraceCgo(t *testing.T) {
	bin, _ := cgoFixture(t)
	out, errOut, code := runSplit(t, godbgBin, "trace", "--exec", bin, `^C\.c(add|mul|scale|name|leaf|one)$`)
	if code != 0 {
		t.Fatalf("status %d\nstdout:\n%s\nstderr:\n%s", code, out, errOut)
	}
	m := regexp.MustCompile(`(?m)^caller goroutine (\d+)$`).FindStringSubmatch(out)
	if m == nil {
		t.Fatalf("no goroutine line in the program's output:\n%s", out)
	}
	g := m[1]
	var want []string
	sum := 0
	for i := 0; i < 3; i++ {
		r := (i+10)*10 + 1
		sum += r
		want = append(want,
			fmt.Sprintf("> goroutine(%s): C.cmul(%d, 10)", g, i),
			fmt.Sprintf("> goroutine(%s): C.cadd(%d, 10)", g, i),
			fmt.Sprintf(">> goroutine(%s): C.cadd => (%d)", g, i+10),
			fmt.Sprintf(">> goroutine(%s): C.cmul => (%d)", g, r))
	}
	// cleaf is called with r14 zeroed: the goroutine still comes from TLS.
	want = append(want, fmt.Sprintf("> goroutine(%s): C.cleaf(5)", g), fmt.Sprintf(">> goroutine(%s): C.cleaf => (10)", g))
	// cone is one line: its probe is at the entry, apart from its RET's.
	want = append(want, fmt.Sprintf("> goroutine(%s): C.cone(3)", g), fmt.Sprintf(">> goroutine(%s): C.cone => (2)", g))
	want = append(want,
		"> goroutine(1): C.cscale(2.5, 3)", ">> goroutine(1): C.cscale => (7.5)",
		"> goroutine(1): C.cname(2)", `>> goroutine(1): C.cname => ("two")`)
	var got []string
	for _, l := range strings.Split(errOut, "\n") {
		if strings.HasPrefix(l, ">") {
			got = append(got, l)
		}
	}
	wantOut := fmt.Sprintf("caller goroutine %s\ncadd 0 10\ncadd 1 10\ncadd 2 10\nclobber 11\none 2\nsum %d\nscale 7.50\nname two\n", g, sum)
	if out != wantOut || strings.Join(got, "\n") != strings.Join(want, "\n") {
		t.Fatalf("stdout %q, want %q\ntrace:\n%s\nwant:\n%s", out, wantOut, strings.Join(got, "\n"), strings.Join(want, "\n"))
	}
}

// TestCgoStacktrace replays Delve's TestCgoStacktrace on its cgostacktest
// fixture (C built with -O0 -g, as Delve's test builds it): at each of
// the five stops (runtime.Breakpoint in Go, int3 in C) the goroutine is
// the same and bt lists Delve's frames in order — C frames named C.<name>,
// and across each cgo callback the C frames on the system stack between
// runtime.cgocallback and runtime.asmcgocall. It also checks Delve's
// TestCgoSources: sources lists main.go and hello.c.
func TestCgoStacktrace(t *testing.T) {
	dir := delveFixtures(t)
	bin := filepath.Join(t.TempDir(), "cgostacktest")
	cmd := exec.Command("go", "build", "-gcflags=all=-N -l", "-o", bin, ".")
	cmd.Dir = filepath.Join(dir, "cgostacktest")
	cmd.Env = append(os.Environ(), "GO111MODULE=off", "GOFLAGS=", "CGO_ENABLED=1", "CGO_CFLAGS=-O0 -g")
	if b, err := cmd.CombinedOutput(); err != nil {
		t.Skipf("cannot build the cgo fixture (no C compiler?): %v\n%s", err, b)
	}
	want := [][]string{
		{"main.main"},
		{"C.helloworld_pt2", "C.helloworld", "main.main"},
		{"main.helloWorldS", "main.helloWorld", "C.helloworld_pt2", "C.helloworld", "main.main"},
		{"C.helloworld_pt4", "C.helloworld_pt3", "main.helloWorldS", "main.helloWorld", "C.helloworld_pt2", "C.helloworld", "main.main"},
		{"main.helloWorld2", "C.helloworld_pt4", "C.helloworld_pt3", "main.helloWorldS", "main.helloWorld", "C.helloworld_pt2", "C.helloworld", "main.main"},
	}
	out, code := run(t, "sources (main.go|hello.c)$\n"+strings.Repeat("continue\ngoroutine\nbt 60\n", len(want)), "exec", bin)
	if code != 0 {
		t.Fatalf("exit %d\n%s", code, out)
	}
	// Delve's TestCgoSources: the sources list both the Go and the C file.
	if !regexp.MustCompile(`(?m)/hello\.c$`).MatchString(out) || !regexp.MustCompile(`(?m)/main\.go$`).MatchString(out) {
		t.Errorf("sources lacks main.go or hello.c:\n%s", out)
	}
	stops := strings.Split(out, "stopped at a breakpoint instruction")[1:]
	if len(stops) != len(want) {
		t.Fatalf("%d stops, want %d\n%s", len(stops), len(want), out)
	}
	frameRe := regexp.MustCompile(`(?m)^[* ] *\d+ +0x[0-9a-f]+ in (\S+)$`)
	goRe := regexp.MustCompile(`(?m)^\* Goroutine (\d+) `)
	gid := ""
	for i, s := range stops {
		var frames []string
		for _, m := range frameRe.FindAllStringSubmatch(s, -1) {
			frames = append(frames, m[1])
		}
		if frames == nil || frames[0] != want[i][0] || !inOrder(frames, want[i]) {
			t.Errorf("stop %d: frames %v, want %v in this order (first on top)", i, frames, want[i])
		}
		g := goRe.FindStringSubmatch(s)
		switch {
		case g == nil:
			t.Errorf("stop %d: no goroutine:\n%s", i, s)
		case gid == "":
			gid = g[1]
		case g[1] != gid:
			t.Errorf("stop %d: goroutine %s, want %s as at the first stop", i, g[1], gid)
		}
	}
	if t.Failed() {
		t.Log(out)
	}
}

// TestCgoStacktrace2 replays Delve's TestCgoStacktrace2: a nil
// dereference in C called from Go is fatal; the run stops at the
// runtime's report of it (the fatal-signal breakpoint, as Delve's
// fatal-throw breakpoint covers runtime.fatalsignal) and the stack goes
// through the signal frame into the C functions and on to main.main.
func TestCgoStacktrace2(t *testing.T) {
	dir := delveFixtures(t)
	bin := filepath.Join(t.TempDir(), "cgosigsegvstack")
	cmd := exec.Command("go", "build", "-gcflags=all=-N -l", "-o", bin, filepath.Join(dir, "cgosigsegvstack.go"))
	cmd.Env = append(os.Environ(), "GO111MODULE=off", "GOFLAGS=", "CGO_ENABLED=1")
	if b, err := cmd.CombinedOutput(); err != nil {
		t.Skipf("cannot build the cgo fixture (no C compiler?): %v\n%s", err, b)
	}
	out, code := run(t, "continue\nbt 40\n", "exec", bin)
	if code != 0 {
		t.Fatalf("exit %d\n%s", code, out)
	}
	var frames []string
	for _, m := range regexp.MustCompile(`(?m)^[* ] *\d+ +0x[0-9a-f]+ in (\S+)`).FindAllStringSubmatch(out, -1) {
		frames = append(frames, m[1])
	}
	if !strings.Contains(out, "[fatal-signal] runtime.fatalsignal()") || !inOrder(frames, []string{"C.sigsegv", "C.testfn", "main.main"}) {
		t.Fatalf("want a fatal-signal stop with C.sigsegv, C.testfn, main.main on the stack; frames %v\n%s", frames, out)
	}
}

// inOrder reports whether want is a subsequence of got.
func inOrder(got, want []string) bool {
	i := 0
	for _, g := range got {
		if i < len(want) && g == want[i] {
			i++
		}
	}
	return i == len(want)
}

// TestTraceCgoEBPF traces the same C functions with --ebpf: uprobes at
// their file offsets (godbg's "C." names are not ELF symbols), integer
// arguments and RAX results as the program computes them. A probe cannot
// read the thread's TLS, so a C call names its thread rather than a
// goroutine, and an XMM argument is reported as unreadable.
func TestTraceCgoEBPF(t *testing.T) {
	bin, _ := cgoFixture(t)
	if reason := ebpfRefused(t); reason != "" {
		t.Skip(reason)
	}
	out, errOut, code := runSplit(t, godbgBin, "trace", "--ebpf", "--exec", bin, `^C\.c(add|mul|scale)$`)
	if code != 0 || !strings.Contains(out, "sum 333\n") {
		t.Fatalf("status %d\nstdout:\n%s\nstderr:\n%s", code, out, errOut)
	}
	var want []string
	for i := 0; i < 3; i++ {
		want = append(want,
			fmt.Sprintf("> T: C.cmul(%d, 10)", i),
			fmt.Sprintf("> T: C.cadd(%d, 10)", i),
			fmt.Sprintf(">> T: C.cadd => (%d)", i+10),
			fmt.Sprintf(">> T: C.cmul => (%d)", (i+10)*10+1))
	}
	want = append(want, "> T: C.cscale((float in X0: not readable by an eBPF probe; drop --ebpf to see it), 3)")
	var got []string
	thread := regexp.MustCompile(`^(>+) thread\(\d+\):`)
	for _, l := range strings.Split(errOut, "\n") {
		if strings.HasPrefix(l, ">") && !strings.Contains(l, "C.cscale =>") {
			got = append(got, thread.ReplaceAllString(l, "$1 T:"))
		}
	}
	if strings.Join(got, "\n") != strings.Join(want, "\n") {
		t.Fatalf("trace:\n%s\nwant:\n%s", strings.Join(got, "\n"), strings.Join(want, "\n"))
	}
}
