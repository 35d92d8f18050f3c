package target

import (
	"errors"
	"testing"

	"github.com/godbg/godbg/pkg/proc"
)

// TestNextPastFalseCondition: a user breakpoint whose condition is false,
// on the line a next goes to, shares the address with the step's
// breaklet: next stops there, as stepped, and the user's breaklet did
// not fire (issue 12's false-condition-on-next-line case, in-process).
func TestNextPastFalseCondition(t *testing.T) {
	WithTarget(t, "stepseq", func(tg *tt) {
		tg.breakAt("main.twice")
		tg.cont()
		tg.clearAll()
		var evaluated int
		addr := tg.breakIf("L:tw2", func(proc.Hit) (bool, error) { evaluated++; return false, nil })
		for _, want := range []string{"L:tw1", "L:tw2"} {
			if got := tg.step("next"); got != tg.line(want) {
				t.Fatalf("next stopped at line %d, want %d (%s)", got, tg.line(want), want)
			}
		}
		if evaluated == 0 {
			t.Errorf("the user breakpoint's condition was never evaluated")
		}
		if bl := tg.Breaklets(addr); bl == nil || bl.FiredFor(tg.Thread(), userOwner) || !bl.Only(userOwner) {
			t.Errorf("after the step the address holds %+v; want the user's breaklet alone, not fired", bl)
		}
	})
}

// TestBreakletsTellOwnersApart checks the per-thread record of which
// breaklets said stop, as owners come and go.
func TestBreakletsTellOwnersApart(t *testing.T) {
	yes := func(proc.Hit) (bool, error) { return true, nil }
	no := func(proc.Hit) (bool, error) { return false, nil }
	bl := NewBreaklets(1, no)
	bl.Put(-1, yes)
	if stop, _ := bl.Eval(fakeHit(7)); !stop || bl.FiredFor(7, 1) || !bl.FiredFor(7, -1) || bl.FiredFor(8, -1) {
		t.Fatalf("one false, one true breaklet: stop %v, fired user %v step %v", stop, bl.FiredFor(7, 1), bl.FiredFor(7, -1))
	}
	if !bl.Drop(-1) || !bl.Only(1) || bl.FiredFor(7, -1) {
		t.Fatalf("after dropping the step's breaklet: only user %v, step fired %v", bl.Only(1), bl.FiredFor(7, -1))
	}
	if stop, _ := bl.Eval(fakeHit(7)); stop {
		t.Fatalf("a false user breaklet alone stopped")
	}
	if bl.Drop(1) {
		t.Fatalf("breaklets left after dropping the last one")
	}
}

// fakeHit is a hit of thread tid that reads nothing.
type fakeHit int

func (h fakeHit) Tid() int                           { return int(h) }
func (h fakeHit) Registers() (proc.Registers, error) { return nil, errNoHit }
func (h fakeHit) ReadMemory(uint64, []byte) (int, error) {
	return 0, errNoHit
}

var errNoHit = errors.New("a fake hit has no registers or memory")

// TestOwnBreakpointEndsStep: a user breakpoint inside the call a next
// steps over, hit by the stepping goroutine itself, ends the step as in
// Delve (TestNextBreakpoint: no stepping breakpoints are left), so the
// next Continue runs on instead of coming back to the line after the
// call. (Another goroutine's breakpoint leaves the step armed: the CLI's
// TestInterruptedNextCompletes.)
func TestOwnBreakpointEndsStep(t *testing.T) {
	WithTarget(t, "stepseq", func(tg *tt) {
		tg.breakAt("L:tw1")
		tg.cont()
		tg.clearAll()
		tg.breakAt("L:add1")
		st, err := tg.Next()
		if err != nil {
			t.Fatal(err)
		}
		if !tg.Fired(st, userOwner) || tg.where() != tg.line("L:add1") {
			t.Fatalf("next stopped with %v at line %d, want the breakpoint at line %d", st.Reason, tg.where(), tg.line("L:add1"))
		}
		tg.clearAll()
		st, err = tg.Continue()
		if err != nil {
			t.Fatal(err)
		}
		if st.Reason == proc.StopStepped {
			t.Fatalf("continue after a breakpoint of the stepping goroutine completed the next at line %d", tg.where())
		}
	})
}

// TestRuntimeBreakpoint: a stop at runtime.Breakpoint() is reported in
// its caller (Delve 1.27.2's TestRuntimeBreakpoint: line 10 of its
// fixture, the return address of the call on line 9).
func TestRuntimeBreakpoint(t *testing.T) {
	WithTarget(t, "delve:testruntimebreakpoint", func(tg *tt) {
		st, err := tg.Continue()
		if err != nil {
			t.Fatal(err)
		}
		if st.Reason != proc.StopTrap || tg.where() != 10 {
			t.Fatalf("continue stopped with %v at line %d, want a trap reported at line 10", st.Reason, tg.where())
		}
	})
}

// TestStepOnCallInstruction: step with the pc on the CALL of the line
// enters the callee (issue 12: it used to step over the call).
func TestStepOnCallInstruction(t *testing.T) {
	WithTarget(t, "stepseq", func(tg *tt) {
		tg.breakAt("L:m1")
		tg.cont()
		tg.clearAll()
		tab, bias := tg.img.Table(tg.p), tg.img.Bias(tg.p)
		onCall := func() bool {
			regs, ok := ThreadRegs(tg.p, tg.Thread())
			if !ok {
				return false
			}
			fn := tab.PCToFunc(regs.PC() - bias)
			for _, in := range tg.img.Code(tg.p, fn) {
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
		if !onCall() || tg.where() != tg.line("L:m1") {
			t.Fatalf("no CALL reached on line %d (at line %d)", tg.line("L:m1"), tg.where())
		}
		if got, want := tg.step("step"), tg.line("L:tw0"); got != want {
			t.Fatalf("step on the CALL stopped at line %d, want %d (in twice)", got, want)
		}
	})
}
