package native

import (
	"errors"
	"testing"

	"github.com/godbg/godbg/pkg/proc"
)

// TestStagedBreakpoint (issue 12): a staged breakpoint is dormant (not a
// breakpoint, not in memory, never hit) until SetStaged sets it, which it
// refuses once anything may have changed the process or a breakpoint was
// set there meanwhile.
func TestStagedBreakpoint(t *testing.T) {
	p, np, hot := bpfixAtStart(t)
	orig := make([]byte, 1)
	if _, err := p.ReadMemory(hot, orig); err != nil {
		t.Fatal(err)
	}
	stage := func() {
		t.Helper()
		if err := np.StageBreakpoint(hot); err != nil {
			t.Fatal(err)
		}
	}
	stage()
	if _, ok := np.bps[hot]; ok {
		t.Fatal("a staged breakpoint is in the breakpoint table")
	}
	if err := p.ClearBreakpoint(hot); !errors.Is(err, proc.ErrNoBreakpoint) {
		t.Errorf("clearing a staged breakpoint: %v, want %v", err, proc.ErrNoBreakpoint)
	}
	if !np.SetStaged(hot, nil) || np.bps[hot] == nil || np.bps[hot].orig != [1]byte{orig[0]} {
		t.Fatalf("SetStaged did not set the breakpoint as staged")
	}
	if err := p.ClearBreakpoint(hot); err != nil {
		t.Fatal(err)
	}
	if np.SetStaged(hot, nil) {
		t.Error("SetStaged set a staged breakpoint twice")
	}
	for _, c := range []struct {
		what string
		do   func() error
	}{
		{"a memory write", func() error { _, err := p.WriteMemory(hot, orig); return err }},
		{"a breakpoint set there", func() error { return p.SetBreakpoint(hot, nil) }},
	} {
		stage()
		if err := c.do(); err != nil {
			t.Fatalf("%s: %v", c.what, err)
		}
		if np.SetStaged(hot, nil) {
			t.Errorf("SetStaged after %s set the staged breakpoint", c.what)
		}
		p.ClearBreakpoint(hot)
	}
	// Staged and never set: the program runs through hot to its end.
	stage()
	st, err := p.Continue()
	if err != nil {
		t.Fatal(err)
	}
	if st.Reason != proc.StopExited {
		t.Fatalf("with a staged breakpoint the program stopped: %v at %#x", st.Reason, st.Addr)
	}
}
