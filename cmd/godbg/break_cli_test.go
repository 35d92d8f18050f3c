package main

import (
	"fmt"
	"os"
	"regexp"
	"strings"
	"testing"

	"github.com/godbg/godbg/internal/fixtures"
)

// markerLine finds the line of "// LINE:name" in a fixture source.
func markerLine(t *testing.T, file, name string) int {
	t.Helper()
	b, err := os.ReadFile(fixtures.Source(file))
	if err != nil {
		t.Fatal(err)
	}
	for i, l := range strings.Split(string(b), "\n") {
		if strings.Contains(l, "LINE:"+name) {
			return i + 1
		}
	}
	t.Fatalf("no LINE:%s in %s", name, file)
	return 0
}

func TestBreakpointThousandHitsAcrossGoroutines(t *testing.T) {
	bin := fixtures.Build(t, "bpgo")
	script := "break main.hot\n" + strings.Repeat("continue\n", 1001) + "breakpoints\n"
	out, code := run(t, script, "exec", bin)
	if code != 0 {
		t.Fatalf("exit %d", code)
	}
	hits := regexp.MustCompile(`> \[Breakpoint 1\] main\.hot\(\) .*main\.go:\d+ \(hits goroutine\(\d+\):\d+ total:(\d+)\)`).FindAllStringSubmatch(out, -1)
	if len(hits) != 1000 || hits[999][1] != "1000" {
		t.Fatalf("%d breakpoint stops (last total %v), want 1000", len(hits), hits[len(hits)-1])
	}
	want := 0
	for i := 0; i < 1000; i++ {
		want += 2*i + 1
	}
	if !strings.Contains(out, fmt.Sprintf("sum %d", want)) || !strings.Contains(out, "has exited with status 0") {
		t.Fatalf("program output wrong:\n%s", out[len(out)-2000:])
	}
	if strings.Contains(out, "SIGTRAP") {
		t.Fatal("the program saw a SIGTRAP")
	}
}

func TestBreakpointFileLineConditionAndErrors(t *testing.T) {
	bin := fixtures.Build(t, "bpgo")
	line := markerLine(t, "bpgo/main.go", "hotbody")
	script := strings.Join([]string{
		fmt.Sprintf("break main.go:%d if i == 417", line),
		"break nosuch.func",
		"break main.hott",
		"break main.go:99999",
		"break main.hot if i >",
		"break main.hot if nosuchvar == 1",
		"continue",
		"breakpoints",
		"clear 1",
		"clear 7",
		"continue",
	}, "\n") + "\n"
	out, _ := run(t, script, "exec", bin)
	for _, want := range []string{
		"Breakpoint 1 set at main.hot() ",
		fmt.Sprintf("main.go:%d", line),
		"no function matches nosuch.func",
		"did you mean main.hot",
		"bad expression",
		"no variable nosuchvar",
		"(hits goroutine(", // a Go program counts hits per goroutine, as Delve
		"cond i == 417",
		"[Breakpoint 1] cleared",
		`no such breakpoint "7"`,
		"has exited with status 0",
	} {
		if !strings.Contains(out, want) {
			t.Errorf("output lacks %q", want)
		}
	}
	if n := strings.Count(out, "> [Breakpoint 1]"); n != 1 {
		t.Errorf("condition stopped %d times, want once", n)
	}
	if t.Failed() {
		t.Log(out)
	}
}

func TestUnrecoveredPanicStops(t *testing.T) {
	bin := fixtures.Build(t, "bpgo")
	out, _ := run(t, "continue\ncontinue\n", "exec", bin, "--", "panic")
	if !strings.Contains(out, "[unrecovered-panic] runtime.fatalpanic()") || !strings.Contains(out, "has exited with status 2") {
		t.Fatalf("output:\n%s", out)
	}
}

func TestRuntimeBreakpointContinues(t *testing.T) {
	bin := fixtures.Build(t, "bpgo")
	out, _ := run(t, "continue\ncontinue\n", "exec", bin, "--", "breakpoint")
	if !strings.Contains(out, "breakpoint instruction (int3)") || !strings.Contains(out, "after runtime.Breakpoint") ||
		!strings.Contains(out, "has exited with status 0") {
		t.Fatalf("output:\n%s", out)
	}
}

func TestDetachAtEOFWithBreakpointKeepsProgramAlive(t *testing.T) {
	bin := fixtures.Build(t, "bpfix.c")
	fx := fixtures.Start(t, bin, "1", "1", "loop")
	out, code := run(t, "break hot\ncontinue\nstepi\n", "attach", fmt.Sprint(fx.Pid))
	if code != 0 || !strings.Contains(out, "> [Breakpoint 1] hot()") || !strings.Contains(out, "Detached from process") {
		t.Fatalf("exit %d:\n%s", code, out)
	}
	checkRunning(t, fx.Pid)
	for i := 0; i < 3; i++ {
		if _, err := fx.Expect("alive", 5e9); err != nil {
			t.Fatal(err)
		}
	}
}

func TestConditionOnFloatAndBoolArgs(t *testing.T) {
	bin := fixtures.Build(t, "condfix")
	out, _ := run(t, "break main.hot if f > 1.5 && b\ncontinue\n", "exec", bin)
	// The fixture prints each call's arguments before making it.
	i := strings.Index(out, "> [Breakpoint 1]")
	if i < 0 {
		t.Fatalf("no breakpoint stop:\n%s", out)
	}
	last := ""
	for _, l := range strings.Split(out[:i], "\n") {
		if strings.HasPrefix(l, "call i=") {
			last = l
		}
	}
	if !strings.HasPrefix(last, "call i=9 ") {
		t.Fatalf("stopped after %q, want the first call with f > 1.5 && b (i=9)\n%s", last, out)
	}
}

// TestBreakpointsFollowExec: after the program executes a new image, its
// breakpoints are set again there (the old int3s went with the old image).
func TestBreakpointsFollowExec(t *testing.T) {
	bin := fixtures.Build(t, "bpfix.c")
	out, code := run(t, "break hot\ncontinue\ncontinue\ncontinue\ncontinue\n", "exec", bin, "--", "1", "1", "reexec")
	if code != 0 {
		t.Fatalf("exit %d\n%s", code, out)
	}
	if n := strings.Count(out, "> [Breakpoint 1] hot()"); n != 3 {
		t.Fatalf("%d breakpoint stops after the exec, want 3\n%s", n, out)
	}
	if !strings.Contains(out, "sum 9") || !strings.Contains(out, "has exited with status 0") {
		t.Fatalf("program did not finish right:\n%s", out)
	}
}

func TestTraceAndOn(t *testing.T) {
	bin := fixtures.Build(t, "bpfix.c")
	out, code := run(t, "trace hot\nbreak main\non 2 print sum\non 2 threads\ncontinue\ntrace nosuchfn\ncontinue\non 9 print x\non 2\n", "exec", bin, "--", "1", "3")
	if code != 0 {
		t.Fatalf("exit %d\n%s", code, out)
	}
	for _, want := range []string{
		"Tracepoint 1 set at hot()",
		"> [Breakpoint 2] main()",
		"\n0\n* Thread ", // on 2: print sum, then threads
		"(i=0)\n", "(i=1)\n", "(i=2)\n",
		"sum 9",
		"has exited with status 0",
		`no breakpoint "9"`,
		"usage: on <breakpoint> <command>",
		"Command failed: no function matches nosuchfn", // after the launch stop: an error, not pending
	} {
		if !strings.Contains(out, want) {
			t.Errorf("output lacks %q", want)
		}
	}
	if n := strings.Count(out, "> trace 1: thread "); n != 3 {
		t.Errorf("%d trace lines, want 3", n)
	}
	if t.Failed() {
		t.Log(out)
	}
}
