package main

import (
	"fmt"
	"regexp"
	"strconv"
	"strings"
	"testing"

	"github.com/godbg/godbg/internal/fixtures"
)

// TestCallAbandonedAtBreakpointAndWatchpoint: a call whose function hits
// a user breakpoint (or watchpoint) is abandoned with the reason, the
// goroutine is back where it was (rip, rsp, stack), the program goes on
// as if the call had not run (but for its own writes), and calls work
// at a watchpoint stop.
func TestCallAbandonedAtBreakpointAndWatchpoint(t *testing.T) {
	s, marks, pid := stopAtMarker(t, "callfix", "call")
	regs := func() (string, string) {
		s.send("regs")
		rip := s.expect(`^\s*rip = (0x[0-9a-f]+)`)[1]
		return rip, s.expect(`^\s*rsp = (0x[0-9a-f]+)`)[1]
	}
	rip, rsp := regs()
	s.send("break main.fact")
	s.expect(`^Breakpoint 2 set at main\.fact\(\)`)
	abandoned := `^Command failed: cannot call main\.fact: the call was abandoned: it hit breakpoint 2 at main\.fact\(\) main\.go:\d+ .*the goroutine is back where it was`
	for _, c := range []string{"call fact(1<<62)", "condition 2 n == 2", "call fact(3000)"} {
		s.send(c)
		if strings.HasPrefix(c, "call") {
			s.expect(abandoned)
			allStopped(t, pid)
			if r, sp := regs(); r != rip || sp != rsp {
				t.Errorf("after %q the thread is at rip %s rsp %s, it was at %s %s", c, r, sp, rip, rsp)
			}
		}
	}
	// 2999 frames deep when n == 2 (the call's stack grew and moved on
	// the way): none of them is left on the stack.
	s.send("stack")
	s.expect(`^\*0 +0x[0-9a-f]+ in main\.main$`)
	s.send("breakpoints")
	s.expect(`^\s*cond n == 2 \(via trap\)$`) // a condition added later with `condition` keeps the trap path
	s.expect(`^\s*hits total:2 `)             // 1<<62 at once, 3000 at n == 2
	s.send("clear 2")
	s.send("call fact(5)")
	s.expect(`^\t~r0: 120$`)
	s.send(`call fmt.Println("x")`)
	s.expect(`^Command failed: cannot call fmt\.Println: variadic calls are not supported \(its last parameter is a \.\.\.interface \{\}\)`)
	// A call at a watchpoint stop; a call that writes the watched variable
	// is abandoned there, its write stays.
	s.send("watch main.mark")
	s.expect(`^Watchpoint 3 set at `)
	s.send("continue")
	s.expect(`^> \[watchpoint 3 on main\.mark: 0 -> 1\] main\.main\(\) .*main\.go:` + strconv.Itoa(marks["mark"]))
	s.send("call sum(1, 2)")
	s.expect(`^\t~r0: 3$`)
	s.send("call setMark(9)")
	s.expect(`^Command failed: cannot call main\.setMark: the call was abandoned: it hit watchpoint 3 on main\.mark in main\.setMark\(\) main\.go:\d+`)
	s.send("clear 3")
	// A breakpoint in the runtime, hit by the call, is passed: leaving
	// the runtime half-way would break it.
	s.send("break runtime.mallocgc")
	s.expect(`^Breakpoint 4 set at runtime\.mallocgc\(\)`)
	s.send("call mk(3)")
	s.expect(`^\t~r0: \[\]int len: 3, cap: 3, \[0,1,4\]$`)
	s.send("clear 4")
	out := runToExit(s)
	// p.N stays 5, calls 1 (sum), mark 9 (setMark's write).
	if !regexp.MustCompile(`(?m)^after 21 5 1 20 xxx\ndone 12 9$`).MatchString(out) {
		t.Errorf("the program's output is not as if only the calls' own effects happened:\n%s", out)
	}
}

// TestCallRefusedAtUnsafePoint: in a function's prologue (not a safe
// point) the runtime refuses the call and says so; at its first
// instruction the call runs; the program then runs on normally.
func TestCallRefusedAtUnsafePoint(t *testing.T) {
	bin := fixtures.Build(t, "callfix")
	s := start(t, "exec", bin)
	s.expect(`^Process \d+ launched`)
	s.send(fmt.Sprintf("break *%#x", elfSymbol(t, bin, "main.main")))
	s.send("continue")
	s.expect(`^> \[Breakpoint 1\] main\.main\(\)`)
	s.send("call sum(1, 2)")
	s.expect(`^\t~r0: 3$`)
	for i := 0; i < 3; i++ {
		s.send("step-instruction")
	}
	s.send("call sum(1, 2)")
	s.expect(`^Command failed: cannot call main\.sum here: call not at safe point$`)
	out := runToExit(s)
	if !regexp.MustCompile(`(?m)^after 21 5 1 20 xxx$`).MatchString(out) {
		t.Errorf("the program's output does not show the one call that ran:\n%s", out)
	}
}
