package target_test

import (
	"testing"

	"github.com/godbg/godbg/pkg/proc"
	"github.com/godbg/godbg/pkg/proc/target"
	"github.com/godbg/godbg/pkg/proc/target/targettest"
)

// TestNextPastFalseCondition: a user breakpoint whose condition is false,
// on the line a next goes to, shares the address with the step's
// breaklet: next stops there, as stepped, and the user's breaklet did
// not fire (issue 12's false-condition-on-next-line case, in-process).
func TestNextPastFalseCondition(t *testing.T) {
	targettest.WithTarget(t, "stepseq", func(tg *targettest.T) {
		tg.BreakAt("main.twice")
		tg.Cont()
		tg.ClearAll()
		var evaluated int
		addr := tg.BreakIf("L:tw2", func(proc.Hit) (bool, error) { evaluated++; return false, nil })
		for _, want := range []string{"L:tw1", "L:tw2"} {
			if got := tg.StepOp("next"); got != tg.Line(want) {
				t.Fatalf("next stopped at line %d, want %d (%s)", got, tg.Line(want), want)
			}
		}
		if evaluated == 0 {
			t.Errorf("the user breakpoint's condition was never evaluated")
		}
		if bl := tg.Breaklets(addr); bl == nil || bl.FiredFor(tg.Thread(), targettest.UserOwner) || !bl.Only(targettest.UserOwner) {
			t.Errorf("after the step the address holds %+v; want the user's breaklet alone, not fired", bl)
		}
	})
}

// TestInterruptedStepCompletes: a user breakpoint inside the call a next
// steps over stops the program first. It is the stepping goroutine's own
// breakpoint, so the step ends there, as in Delve (TestStepOutBreakpoint:
// no stepping breakpoint is left), and the next Continue runs on to the
// exit. (Another goroutine's breakpoint leaves the step armed for the
// next continue: cmd/godbg's TestInterruptedNextCompletes.)
func TestInterruptedStepCompletes(t *testing.T) {
	targettest.WithTarget(t, "stepseq", func(tg *targettest.T) {
		tg.BreakAt("L:tw1")
		tg.Cont()
		tg.ClearAll()
		tg.BreakAt("L:add1")
		st, err := tg.Next()
		if err != nil {
			t.Fatal(err)
		}
		if !tg.Fired(st, targettest.UserOwner) || tg.Where() != tg.Line("L:add1") {
			t.Fatalf("next stopped with %v at line %d, want the breakpoint at line %d", st.Reason, tg.Where(), tg.Line("L:add1"))
		}
		tg.ClearAll()
		st, err = tg.Continue()
		if err != nil {
			t.Fatal(err)
		}
		if st.Reason != proc.StopExited {
			t.Fatalf("continue after the interrupted next stopped with %v at line %d: the step's breakpoints stayed", st.Reason, tg.Where())
		}
	})
}

// TestRuntimeBreakpoint: a stop at runtime.Breakpoint() is reported in
// its caller (Delve 1.27.2's TestRuntimeBreakpoint: line 10 of its
// fixture, the return address of the call on line 9).
func TestRuntimeBreakpoint(t *testing.T) {
	targettest.WithTarget(t, "delve:testruntimebreakpoint", func(tg *targettest.T) {
		st, err := tg.Continue()
		if err != nil {
			t.Fatal(err)
		}
		if st.Reason != proc.StopTrap || tg.Where() != 10 {
			t.Fatalf("continue stopped with %v at line %d, want a trap reported at line 10", st.Reason, tg.Where())
		}
	})
}

// TestStepOnCallInstruction: step with the pc on the CALL of the line
// enters the callee (issue 12: it used to step over the call).
func TestStepOnCallInstruction(t *testing.T) {
	targettest.WithTarget(t, "stepseq", func(tg *targettest.T) {
		tg.BreakAt("L:m1")
		tg.Cont()
		tg.ClearAll()
		tab, bias := tg.Img.Table(tg.P), tg.Img.Bias(tg.P)
		onCall := func() bool {
			regs, ok := target.ThreadRegs(tg.P, tg.Thread())
			if !ok {
				return false
			}
			fn := tab.PCToFunc(regs.PC() - bias)
			for _, in := range tg.Img.Code(tg.P, fn) {
				if in.PC+bias == regs.PC() {
					return in.Call
				}
			}
			return false
		}
		for i := 0; i < 32 && !onCall(); i++ {
			if _, err := tg.StepInstruction(); err != nil {
				t.Fatal(err)
			}
		}
		if !onCall() || tg.Where() != tg.Line("L:m1") {
			t.Fatalf("no CALL reached on line %d (at line %d)", tg.Line("L:m1"), tg.Where())
		}
		if got, want := tg.StepOp("step"), tg.Line("L:tw0"); got != want {
			t.Fatalf("step on the CALL stopped at line %d, want %d (in twice)", got, want)
		}
	})
}
