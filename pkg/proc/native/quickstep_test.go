package native

import (
	"testing"
	"time"

	"github.com/godbg/godbg/internal/fixtures"
	"github.com/godbg/godbg/pkg/proc"
)

// TestPrewakeStepPolls (issue 12): a Continue announced by Prewake for a
// step looks for the stop for a while before it sleeps, as does the
// all-stop after it: a stop that comes within microseconds wakes the
// tracer thread from no blocking wait4. Without Prewake the same
// Continue sleeps (the run loop polls only in bursts of events). The
// windows are made long, so that a loaded machine cannot stretch the
// stop past them.
func TestPrewakeStepPolls(t *testing.T) {
	if !multiCPU {
		t.Skip("the tracer polls only with more than one CPU")
	}
	defer func(q, s time.Duration) { quickPoll, stopPoll = q, s }(quickPoll, stopPoll)
	quickPoll, stopPoll = 2*time.Second, 2*time.Second
	bin := fixtures.Build(t, "bpfix.c")
	p, _ := launchPiped(t, bin, "1", "100000000")
	np := p.(*nproc)
	addr := hotAddr(t, bin, p)
	counts := func() (blocked, stopBlocked int) {
		np.ex.run(func() { blocked, stopBlocked = np.s.spin.blocked, np.s.spin.stopBlocked })
		return
	}
	// hit continues to the breakpoint after a long wait (no burst of
	// events under way), announced by Prewake for thread tid unless 0.
	hit := func(tid int) int {
		t.Helper()
		_ = p.ClearBreakpoint(addr) // none at first

		stop := haltSoon(p, 5*time.Millisecond)
		st, err := p.Continue()
		stop()
		if err != nil || st.Reason != proc.StopHalted {
			t.Fatalf("halt: %+v %v", st, err)
		}
		if err := p.SetBreakpoint(addr, nil); err != nil {
			t.Fatal(err)
		}
		if tid != 0 {
			p.(proc.Prewaker).Prewake(tid)
		}
		st, err = p.Continue()
		if err != nil || st.Reason != proc.StopBreakpoint {
			t.Fatalf("continue: %+v %v", st, err)
		}
		return st.Tid
	}
	worker := hit(0)
	b0, _ := counts()
	hit(0)
	if b1, _ := counts(); b1 == b0 {
		t.Fatalf("without Prewake the wait for the hit did not sleep (%d blocking waits)", b1-b0)
	}
	for attempt := 0; attempt < 5; attempt++ {
		b0, s0 := counts()
		hit(worker)
		b1, s1 := counts()
		if b1-b0 == 1 && s1 == s0 { // the halt's wait sleeps; the hit's did not, nor the all-stop's
			return
		}
		t.Logf("attempt %d: %d blocking waits, %d in all-stops", attempt, b1-b0, s1-s0)
	}
	t.Fatal("a prewoken step's Continue always slept")
}

// TestBreakpointWritesPerStop (issue 12): while the threads stay stopped
// a page whose text took a breakpoint's byte is not written again to be
// checked, and a breakpoint cleared before the threads ran (the text
// holds its original byte) writes nothing.
func TestBreakpointWritesPerStop(t *testing.T) {
	bin := fixtures.Build(t, "bpfix.c")
	p, _ := launchPiped(t, bin, "1", "10")
	np := p.(*nproc)
	hot := hotAddr(t, bin, p)
	addrs := []uint64{hot, hot + 1, hot + 2, hot + 3} // one page (hot's first bytes)
	if hot&0xfff > 0xff0 {
		t.Skip("hot starts at a page's end")
	}
	for _, a := range addrs {
		if err := p.SetBreakpoint(a, nil); err != nil {
			t.Fatal(err)
		}
	}
	if np.bpWrites != 1 {
		t.Errorf("4 breakpoints on one page: %d writes, want 1 (the page's check)", np.bpWrites)
	}
	for _, a := range addrs {
		if err := p.ClearBreakpoint(a); err != nil {
			t.Fatal(err)
		}
	}
	if np.bpWrites != 1 {
		t.Errorf("clearing them before the threads ran wrote %d times, want none", np.bpWrites-1)
	}
	// The text is the original.
	buf := make([]byte, 4)
	if _, err := p.ReadMemory(hot, buf); err != nil {
		t.Fatal(err)
	}
	orig := make([]byte, 4)
	if _, err := np.mem.ReadAt(orig, int64(hot)); err != nil || string(buf) != string(orig) {
		t.Fatalf("text %x, memory %x (%v)", buf, orig, err)
	}
}
