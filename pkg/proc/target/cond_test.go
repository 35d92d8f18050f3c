package target_test

import (
	"os"
	"testing"

	"github.com/godbg/godbg/pkg/proc"
	"github.com/godbg/godbg/pkg/proc/target"
	"github.com/godbg/godbg/pkg/proc/target/targettest"
	"github.com/godbg/godbg/pkg/proc/values"
)

// TestCondBreakletBesideStep: a user breakpoint whose compiled condition
// (CompileCond, Bind) is false sits on the line a next goes to, armed as
// a jump pad where the backend can. The step's breaklet shares the
// address (the pad turns back into a trap), next ends there as stepped,
// the user's breaklet does not fire, and once the step's breaklet is gone
// the pad is armed again. A continue then runs to the end: the condition
// stays false.
func TestCondBreakletBesideStep(t *testing.T) {
	targettest.WithTarget(t, "stepseq", func(tg *targettest.T) {
		tg.BreakAt("main.twice")
		tg.Cont()
		tg.ClearAll()
		tab, bias := tg.Tab(), tg.Bias()
		pcs, err := tab.LineToPCs(tg.Src, tg.Line("L:tw2"))
		if err != nil || len(pcs) == 0 {
			t.Fatalf("no code at L:tw2: %v", err)
		}
		addr := pcs[0] + bias
		cond, err := target.CompileCond("y == 12345")
		if err != nil {
			t.Fatal(err)
		}
		l, err := values.NewLoader(tab, bias)
		if err != nil {
			t.Fatal(err)
		}
		c, err := cond.Bind(tab, bias, l, addr)
		if err != nil {
			t.Fatal(err)
		}
		var evals, trues int
		bc := func(h proc.Hit) (bool, error) {
			evals++
			ok, err := c.Eval(h)
			if ok {
				trues++
			}
			return ok, err
		}
		padded := tg.ArmPad(addr, targettest.UserOwner, c, bc)
		if !padded && os.Getenv("GODBG_PAD") != "0" {
			t.Errorf("y == 12345 at L:tw2 was not armed as a pad")
		}
		if !padded {
			tg.BreakAddr(addr, bc)
		}
		for _, want := range []string{"L:tw1", "L:tw2"} {
			if got := tg.StepOp("next"); got != tg.Line(want) {
				t.Fatalf("next stopped at line %d, want %d (%s)", got, tg.Line(want), want)
			}
		}
		if evals == 0 && !padded {
			t.Errorf("the trap's condition was never evaluated")
		}
		if bl := tg.Breaklets(addr); bl == nil || bl.FiredFor(tg.Thread(), targettest.UserOwner) || !bl.Only(targettest.UserOwner) {
			t.Errorf("after the step the address holds %+v; want the user's breaklet alone, not fired", bl)
		}
		if padded && !tg.Padded(addr) {
			t.Errorf("the pad was not armed again once the step's breaklet was gone")
		}
		st, err := tg.Continue()
		if err != nil {
			t.Fatal(err)
		}
		if st.Reason != proc.StopExited || trues != 0 {
			t.Errorf("continue stopped with %v (condition true %d times); want the exit", st.Reason, trues)
		}
	})
}

// TestCompileCondErrors: a condition is checked when compiled, and a
// name that is no variable at the address fails when bound, as print.
func TestCompileCondErrors(t *testing.T) {
	if _, err := target.CompileCond("y =="); err == nil {
		t.Errorf("target.CompileCond(\"y ==\") gave no error")
	}
	targettest.WithTarget(t, "stepseq", func(tg *targettest.T) {
		tab, bias := tg.Tab(), tg.Bias()
		fn, err := tab.LookupFunc("main.twice")
		if err != nil {
			t.Fatal(err)
		}
		cond, err := target.CompileCond("nosuchvar == 1")
		if err != nil {
			t.Fatal(err)
		}
		if _, err := cond.Bind(tab, bias, nil, tab.FirstStmtPC(fn)+bias); err == nil {
			t.Errorf("binding a condition on an unknown name gave no error")
		}
	})
}

// hookLog records a Target's run hooks; skip stops are resumed at once.
type hookLog struct {
	resumes, stops int
	skip           func(st *proc.Stop) bool
}

func (h *hookLog) Resuming(*target.Target) { h.resumes++ }

func (h *hookLog) Stopped(t *target.Target, st *proc.Stop, err error) *target.Target {
	h.stops++
	if err == nil && h.skip(st) {
		return t
	}
	return nil
}

// TestRunHooks: Continue resumes through the hooks; a stop the hooks
// take (as the debugger takes a library load or a followed exec) is not
// reported and the run goes on to the next one.
func TestRunHooks(t *testing.T) {
	targettest.WithTarget(t, "stepseq", func(tg *targettest.T) {
		addr := tg.BreakAt("main.add")
		seen := 0
		h := &hookLog{skip: func(st *proc.Stop) bool {
			if st.Reason == proc.StopBreakpoint && st.Addr == addr {
				seen++
				return seen == 1 // the first add(x, x): internal
			}
			return false
		}}
		tg.SetHooks(h)
		if tg.Cont() != tg.Line("L:add0") {
			t.Fatalf("continue stopped at line %d, want L:add0", tg.Where())
		}
		if seen != 2 || h.resumes != 2 || h.stops != 2 {
			t.Fatalf("hooks saw %d resumptions, %d stops, %d hits of add; want 2, 2, 2", h.resumes, h.stops, seen)
		}
		tg.ClearAll()
		if got := tg.StepOp("stepout"); got != tg.Line("L:tw2") {
			t.Fatalf("stepout stopped at line %d, want L:tw2", got)
		}
		if h.resumes < 3 {
			t.Errorf("the step did not run through the hooks (%d resumptions)", h.resumes)
		}
	})
}
