package target_test

import (
	"bytes"
	"errors"
	"slices"
	"testing"

	"github.com/godbg/godbg/pkg/proc"
	"github.com/godbg/godbg/pkg/proc/target"
	"github.com/godbg/godbg/pkg/proc/target/targettest"
)

// warmStop prepares and warms the plans of the stop as the debugger does
// after it (CopyStop, PrepareStep, WarmPlans).
func warmStop(tg *targettest.T) *target.PreparedStack {
	regs := tg.Regs()
	ps := target.CopyStop(tg.P, tg.Thread(), regs, 2)
	target.PrepareStep(tg.Tab(), tg.Bias(), ps, regs.PC()-tg.Bias())
	tg.WarmPlans(ps)
	return ps
}

// TestStagedPlanIsDormant (issue 12): the breaklets WarmPlans stages for
// a plan are dormant until a step takes the plan: no breakpoint, the
// original bytes in memory, a continue through the planned code stops
// only at the test's breakpoints, a breakpoint set at a planned address
// works; the step that takes the plan arms them without setting any
// breaklet (SetBreaklet) but where one was set meanwhile.
func TestStagedPlanIsDormant(t *testing.T) {
	targettest.WithTarget(t, "stepseq", func(tg *targettest.T) {
		tw1 := tg.BreakAt("L:tw1")
		tg.Cont()
		before := map[uint64][]byte{}
		regs := tg.Regs()
		ps := target.CopyStop(tg.P, tg.Thread(), regs, 2)
		target.PrepareStep(tg.Tab(), tg.Bias(), ps, regs.PC()-tg.Bias())
		addrs := target.PlanAddrs(ps, "next")
		for _, a := range addrs {
			before[a] = readAt(t, tg, a)
		}
		tg.WarmPlans(ps)
		for _, a := range addrs {
			if got := readAt(t, tg, a); !bytes.Equal(got, before[a]) {
				t.Errorf("%#x reads %x after the warm-up, %x before", a, got, before[a])
			}
			if a == tw1 {
				continue
			}
			if tg.Breaklets(a) != nil {
				t.Errorf("%#x: a staged breaklet is in the target's table", a)
			}
			if err := tg.P.ClearBreakpoint(a); !errors.Is(err, proc.ErrNoBreakpoint) {
				t.Errorf("%#x: clearing a staged breakpoint: %v, want %v", a, err, proc.ErrNoBreakpoint)
			}
		}
		// A breakpoint at a planned address (tw2's line start) set after the
		// warm-up, and a continue through the planned code: only it stops.
		tw2 := tg.PC("L:tw2")
		if !slices.Contains(addrs, tw2) {
			t.Fatalf("next's plan from tw1 has no breaklet at tw2 (%#x): %#x", tw2, addrs)
		}
		tg.BreakAddr(tw2, nil)
		if line := tg.Cont(); line != tg.Line("L:tw2") {
			t.Fatalf("continue stopped at line %d, want tw2 (%d)", line, tg.Line("L:tw2"))
		}
		// From tw2, the warmed plan is taken: every breaklet armed, staged
		// or beside the test's breakpoint at tw2, none through SetBreaklet.
		ps = warmStop(tg)
		held := 0
		for _, a := range target.PlanAddrs(ps, "next") {
			if tg.Breaklets(a) != nil {
				held++
			}
		}
		armed, sets := tg.ArmedBreaklets(), tg.BreakletSets()
		r, err := tg.StepFrom("next", target.From{Prepared: ps})
		if err != nil || r.Stop.Reason != proc.StopStepped {
			t.Fatalf("next: %v %+v", err, r.Stop)
		}
		if tg.PlannedSteps() != 1 {
			t.Fatalf("next did not take the plan")
		}
		if line := tg.Where(); line != tg.Line("L:tw3") {
			t.Errorf("next from tw2 ended at line %d, want tw3 (%d)", line, tg.Line("L:tw3"))
		}
		n := len(target.PlanAddrs(ps, "next"))
		if got := tg.BreakletSets() - sets; got != 0 {
			t.Errorf("taking the plan set %d breaklets through SetBreaklet, want none", got)
		}
		if got := tg.ArmedBreaklets() - armed; got != n || held == 0 {
			t.Errorf("taking the plan armed %d breaklets (%d held by the test's), want %d (some held)", got, held, n)
		}
		// Warmed, then continued past the planned code: only the test's
		// breakpoint stops.
		warmStop(tg)
		tg.ClearAll()
		tg.BreakAt("L:f1")
		if line := tg.Cont(); line != tg.Line("L:f1") {
			t.Errorf("continue stopped at line %d, want f1 (%d)", line, tg.Line("L:f1"))
		}
	})
}

// TestStagedPlanAfterWrite (issue 12): a memory write after the warm-up
// (the plan's copies unchanged) leaves the plan usable but no staged
// breakpoint: each is set the ordinary way and next ends on its line.
func TestStagedPlanAfterWrite(t *testing.T) {
	targettest.WithTarget(t, "stepseq", func(tg *targettest.T) {
		tg.BreakAt("L:tw1")
		tg.Cont()
		tg.ClearAll()
		ps := warmStop(tg)
		a := target.PlanAddrs(ps, "next")[0]
		if _, err := tg.P.WriteMemory(a, readAt(t, tg, a)); err != nil {
			t.Fatal(err)
		}
		armed, sets := tg.ArmedBreaklets(), tg.BreakletSets()
		if _, err := tg.StepFrom("next", target.From{Prepared: ps}); err != nil {
			t.Fatal(err)
		}
		if tg.PlannedSteps() != 1 || tg.ArmedBreaklets() != armed {
			t.Errorf("plan taken %d, staged armed %d after a write; want 1, 0", tg.PlannedSteps(), tg.ArmedBreaklets()-armed)
		}
		if got, want := tg.BreakletSets()-sets, len(target.PlanAddrs(ps, "next")); got != want {
			t.Errorf("%d breaklets set, want %d", got, want)
		}
		if line := tg.Where(); line != tg.Line("L:tw2") {
			t.Errorf("next ended at line %d, want tw2 (%d)", line, tg.Line("L:tw2"))
		}
	})
}

func readAt(t *testing.T, tg *targettest.T, a uint64) []byte {
	t.Helper()
	b := make([]byte, 4)
	if _, err := tg.P.ReadMemory(a, b); err != nil {
		t.Fatal(err)
	}
	return b
}
