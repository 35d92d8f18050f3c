package debugger

import (
	"fmt"
	"testing"
	"time"

	"github.com/godbg/godbg/internal/fixtures"
	"github.com/godbg/godbg/pkg/proc/target/targettest"
	"github.com/godbg/godbg/pkg/proc/values"
	"github.com/godbg/godbg/pkg/proc/variables"
)

// TestStopPreparesStep: after a stop, before any command, the stopped
// function's code and the runtime's deferred-call code are decoded in
// the background (issue 12: a next then starts without decoding them).
func TestStopPreparesStep(t *testing.T) {
	d := stepfixAt(t, "main.main")
	st, err := d.Continue()
	if err != nil || st.CurrentThread == nil {
		t.Fatalf("continue: %+v %v", st, err)
	}
	want := []string{"main.main", "runtime.gopanic", "runtime.deferreturn"}
	var missing []string
	for deadline := time.Now().Add(10 * time.Second); time.Now().Before(deadline); time.Sleep(5 * time.Millisecond) {
		d.mu.Lock()
		tab := d.table()
		d.mu.Unlock()
		missing = missing[:0]
		for _, name := range want {
			fn, err := tab.LookupFunc(name)
			if err != nil {
				t.Fatal(err)
			}
			if !tab.CodeCached(fn) {
				missing = append(missing, name)
			}
		}
		if len(missing) == 0 {
			return
		}
	}
	t.Fatalf("after the stop, no decoded code for %v", missing)
}

// TestStopPreparesValues: after a stop, before any command, the indexes
// that a first print, locals or call needs (the variable reader's info and
// function index, the value reader's DIE index) are built in the
// background: for a 20 MiB binary they were 0.2 s of the first print.
func TestStopPreparesValues(t *testing.T) {
	d := stepfixAt(t, "main.main")
	st, err := d.Continue()
	if err != nil || st.CurrentThread == nil {
		t.Fatalf("continue: %+v %v", st, err)
	}
	d.mu.Lock()
	tab := d.table()
	d.mu.Unlock()
	for deadline := time.Now().Add(10 * time.Second); time.Now().Before(deadline); time.Sleep(5 * time.Millisecond) {
		if variables.Prepared(tab) && values.Prepared(tab) {
			return
		}
	}
	t.Fatalf("after the stop: variables prepared %v, values prepared %v", variables.Prepared(tab), values.Prepared(tab))
}

// TestNextTakesPreparedPlan (issue 12): a next from the stop takes the
// plan made in the background after it; a next after the stack was
// written, a register set or another frame selected plans again, and
// every next ends on the right line.
func TestNextTakesPreparedPlan(t *testing.T) {
	src := fixtures.Source("stepfix/main.go")
	line := func(at string) int { return targettest.MarkerLine(t, src, at) }
	d := stepfixAt(t, fmt.Sprintf("main.go:%d", line("L:sh1")))
	if st, err := d.Continue(); err != nil || st.CurrentThread == nil || st.CurrentThread.Location.Line != line("L:sh1") {
		t.Fatalf("continue: %+v %v", st, err)
	}
	if _, err := d.ClearBreakpoint("1"); err != nil {
		t.Fatal(err)
	}
	for i, c := range []struct {
		change func() error
		to     string
		plan   bool
	}{
		{nil, "L:sh2", true},
		{func() error { return d.SetVariable("x", "77") }, "L:sh3", false}, // a stack write
		{func() error { // a register
			d.mu.Lock()
			th, err := d.curThread()
			d.mu.Unlock()
			if err != nil {
				return err
			}
			r, err := th.Registers()
			if err != nil {
				return err
			}
			r12, err := r.DWARFRegister(12) // dead at a statement start of an -N -l build
			if err != nil {
				return err
			}
			return d.SetRegister("r12", r12^0x5a)
		}, "L:sh4", false},
		{func() error { _, err := d.SelectFrame(1); return err }, "L:m2", false}, // next in main.main
		{nil, "L:m3", true},
	} {
		before := d.waitPlanned(t)
		if c.change != nil {
			if err := c.change(); err != nil {
				t.Fatalf("step %d: %v", i+1, err)
			}
		}
		st, err := d.Next(1)
		if err != nil || st.CurrentThread == nil {
			t.Fatalf("next %d: %+v %v", i+1, st, err)
		}
		if got, want := st.CurrentThread.Location.Line, line(c.to); got != want {
			t.Fatalf("next %d stopped at line %d, want %d (%s)", i+1, got, want, c.to)
		}
		if taken := d.tgt.PlannedSteps() > before; taken != c.plan {
			t.Errorf("next %d took the background plan: %v, want %v", i+1, taken, c.plan)
		}
	}
	// At once after the stop, while the goroutine may still be planning.
	if st, err := d.Next(1); err != nil || st.CurrentThread == nil || st.CurrentThread.Location.Line != line("L:m4") {
		t.Fatalf("next at once: %+v %v", st, err)
	}
}

// waitPlanned waits for the background plans of the current stop and
// returns how many steps took one so far.
func (d *Debugger) waitPlanned(t *testing.T) int {
	t.Helper()
	for deadline := time.Now().Add(10 * time.Second); time.Now().Before(deadline); time.Sleep(time.Millisecond) {
		d.mu.Lock()
		ps, n := d.prepared, d.tgt.PlannedSteps()
		d.mu.Unlock()
		if ps != nil && ps.Planned() {
			return n
		}
	}
	t.Fatal("no plan made after the stop")
	return 0
}

// stepfixAt launches the stepfix fixture with a breakpoint at loc (not
// yet continued); the session is closed at the end of the test.
func stepfixAt(t *testing.T, loc string) *Debugger {
	t.Helper()
	d, _, err := New(Config{Path: fixtures.Build(t, "stepfix")})
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { d.Close() })
	if _, err := d.CreateBreakpoint("", loc, ""); err != nil {
		t.Fatal(err)
	}
	return d
}
