package main

import (
	"fmt"
	"regexp"
	"strings"
	"testing"

	"github.com/godbg/godbg/internal/fixtures"
)

// stepbpRun runs godbg on the stepbp fixture in mode with commands built
// from its source markers ({name} stands for the line of "// L:name").
func stepbpRun(t *testing.T, mode string, cmds ...string) (string, map[string]int) {
	t.Helper()
	return markedRun(t, "stepbp", []string{mode}, cmds)
}

// markedRun runs godbg on a fixture (with program arguments) and commands
// whose {name} stands for the line of the source marker "// L:name".
func markedRun(t *testing.T, fixture string, args, cmds []string) (string, map[string]int) {
	t.Helper()
	bin := fixtures.Build(t, fixture)
	L := markers(t, fixtures.Source(fixture+"/main.go"))
	for i, c := range cmds {
		for name, n := range L {
			c = strings.ReplaceAll(c, "{"+name+"}", fmt.Sprint(n))
		}
		cmds[i] = c
	}
	out, code := run(t, strings.Join(cmds, "\n")+"\n", append([]string{"exec", bin, "--"}, args...)...)
	if code != 0 {
		t.Fatalf("exit %d\n%s", code, out)
	}
	return out, L
}

// stopLines lists the function:line of every stop after the launch stop.
func stopLines(out string) []string {
	var seq []string
	for _, m := range stopLine.FindAllStringSubmatch(out, -1) {
		seq = append(seq, m[1]+":"+m[2])
	}
	if len(seq) > 0 {
		seq = seq[1:]
	}
	return seq
}

// A line breakpoint gets one address per function, as Delve picks it: a
// loop body reached from the loop head and the back edge stops once per
// iteration, the loop's own line once; a line whose rows start with a
// non-statement row has code; a generic function stops in every
// instantiation.
func TestLineBreakpointAddresses(t *testing.T) {
	t.Run("loop", func(t *testing.T) {
		out, L := stepbpRun(t, "loop", "break main.go:{for}", "break main.go:{body}",
			"continue", "continue", "continue", "continue", "continue", "continue")
		if n := strings.Count(out, "Breakpoint 1 set at"); n != 1 {
			t.Errorf("the for line got %d addresses, want 1", n)
		}
		want := []string{fmt.Sprintf("main.loop:%d", L["for"])}
		for range 3 {
			want = append(want, fmt.Sprintf("main.loop:%d", L["body"]))
		}
		if got := stopLines(out); strings.Join(got, " ") != strings.Join(want, " ") || !strings.Contains(out, "loop 9") {
			t.Errorf("stops %v, want %v then the program's end\n%s", got, want, out)
		}
	})
	t.Run("first statement row", func(t *testing.T) {
		out, L := stepbpRun(t, "brk", "break main.go:{brk}", "continue")
		if got := stopLines(out); strings.Contains(out, "has no code") || len(got) == 0 || got[0] != fmt.Sprintf("main.brk:%d", L["brk"]) {
			t.Errorf("no stop at main.go:%d\n%s", L["brk"], out)
		}
	})
	t.Run("generic", func(t *testing.T) {
		out, L := stepbpRun(t, "generic", "break main.go:{gret}", "continue", "continue", "continue")
		if n := strings.Count(out, "Breakpoint 1 set at main.sum["); n != 2 {
			t.Errorf("%d instantiations got the breakpoint, want 2\n%s", n, out)
		}
		got := stopLines(out)
		if len(got) != 2 || !strings.Contains(out, "main.sum[go.shape.int]() ") || !strings.Contains(out, "main.sum[go.shape.float64]() ") {
			t.Errorf("stops %v, want one in each instantiation at line %d\n%s", got, L["gret"], out)
		}
	})
}

// A user breakpoint whose condition is false on the next line shares its
// address with next's temporary breakpoint: next still stops there.
func TestNextPastFalseCondition(t *testing.T) {
	out, L := stepbpRun(t, "cond", "break main.go:{c1}", "continue", "break main.go:{c2} if x == 12345",
		"next", "next", "break main.go:{c4} if x == 3", "continue")
	want := []string{"main.cond:" + fmt.Sprint(L["c1"]), "main.cond:" + fmt.Sprint(L["c2"]),
		"main.cond:" + fmt.Sprint(L["c3"]), "main.cond:" + fmt.Sprint(L["c4"])}
	if got := stopLines(out); strings.Join(got, " ") != strings.Join(want, " ") {
		t.Errorf("stops %v, want %v\n%s", got, want, out)
	}
	if !strings.Contains(out, "[Breakpoint 3] main.cond()") || strings.Contains(out, "[Breakpoint 2]") {
		t.Errorf("breakpoint 3 (true condition) must stop, breakpoint 2 (false) must not\n%s", out)
	}
}

// Another goroutine's breakpoint interrupts next: the stop is reported as
// such, the step stays armed, and continue completes it on its goroutine.
func TestInterruptedNextCompletes(t *testing.T) {
	out, L := stepbpRun(t, "interrupt", "break main.go:{i1}", "continue", "break main.go:{s1}",
		"next", "continue", "goroutine", "continue")
	want := []string{fmt.Sprintf("main.waiter:%d", L["i1"]), fmt.Sprintf("main.sender:%d", L["s1"]), fmt.Sprintf("main.waiter:%d", L["i2"])}
	if got := stopLines(out); strings.Join(got, " ") != strings.Join(want, " ") {
		t.Errorf("stops %v, want %v\n%s", got, want, out)
	}
	if !strings.Contains(out, "breakpoint hit during next; continue completes the next") {
		t.Errorf("the interrupted next is not announced\n%s", out)
	}
	if !regexp.MustCompile(fmt.Sprintf(`\* Goroutine 1 - User: \S*stepbp/main.go:%d main.waiter`, L["i2"])).MatchString(out) ||
		!strings.Contains(out, "interrupt 2") {
		t.Errorf("the completed next is not on goroutine 1, or the program did not finish\n%s", out)
	}
}

// In a Go program the runtime gets SIGSEGV: a recovered nil dereference
// does not stop it, an unrecovered one stops at runtime.fatalpanic, and
// handle SIGSEGV stop brings gdb's stop back.
func TestGoProgramsKeepTheirFaults(t *testing.T) {
	out, _ := stepbpRun(t, "segv", "continue")
	if strings.Contains(out, "received signal SIGSEGV") || !strings.Contains(out, "segv recovered: runtime error") {
		t.Errorf("a recovered nil dereference stopped the program\n%s", out)
	}
	out, _ = stepbpRun(t, "segvfatal", "continue")
	if !strings.Contains(out, "[unrecovered-panic] runtime.fatalpanic()") {
		t.Errorf("an unrecovered nil dereference did not stop at runtime.fatalpanic\n%s", out)
	}
	out, L := stepbpRun(t, "segv", "handle SIGSEGV stop", "continue")
	if !strings.Contains(out, "received signal SIGSEGV") || !strings.Contains(out, fmt.Sprintf("main.go:%d", L["deref"])) {
		t.Errorf("handle SIGSEGV stop did not stop at the fault\n%s", out)
	}
}

// stack -defer lists the deferred calls each frame registered, read from
// the goroutine's _defer records.
func TestStackDefer(t *testing.T) {
	out, L := stepbpRun(t, "defer", "break main.go:{dret}", "continue", "stack -defer", "stack")
	for _, re := range []string{
		`(?m)^\s+defer 1: 0x[0-9a-f]+ in main\.deferred\.func1$`,
		fmt.Sprintf(`(?m)^\s+at \S*stepbp/main\.go:%d$`, L["d1"]),
		fmt.Sprintf(`(?m)^\s+deferred by main\.deferred at \S*stepbp/main\.go:%d$`, L["d1"]),
	} {
		if !regexp.MustCompile(re).MatchString(out) {
			t.Errorf("stack -defer output lacks %s", re)
		}
	}
	if n := strings.Count(out, "defer 1:"); n != 1 {
		t.Errorf("defer 1 printed %d times, want once (stack without -defer prints none)", n)
	}
	if t.Failed() {
		t.Log(out)
	}
}

// next over a panic stops in the deferred call it runs, also when the
// compiler wraps it (defer cleanup(7) makes a deferwrap closure).
func TestNextIntoDeferredThroughWrapper(t *testing.T) {
	out, L := stepbpRun(t, "deferarg", "break main.go:{panicky}", "continue", "next", "next")
	got := stopLines(out)
	if len(got) < 3 || got[1] != fmt.Sprintf("main.cleanup:%d", L["cleanup"]-1) || got[2] != fmt.Sprintf("main.cleanup:%d", L["cleanup"]) {
		t.Errorf("stops %v, want main.panicky:%d then main.cleanup:%d, %d\n%s", got, L["panicky"], L["cleanup"]-1, L["cleanup"], out)
	}
}
