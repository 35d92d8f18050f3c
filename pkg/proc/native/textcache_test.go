package native

import (
	"testing"

	"github.com/godbg/godbg/internal/fixtures"
	"github.com/godbg/godbg/pkg/proc"
)

// TestBreakpointTextPerPage (issue 12): breakpoints set on one page while
// the threads stay stopped read its text once, and each keeps its own
// original byte; a write to memory makes the next one read it again.
func TestBreakpointTextPerPage(t *testing.T) {
	p, np, hot := bpfixAtStart(t)
	if hot&0xfff > 0xfc0 {
		t.Skip("hot starts near a page's end")
	}
	orig := make([]byte, 8)
	if _, err := np.mem.ReadAt(orig, int64(hot)); err != nil {
		t.Fatal(err)
	}
	reads := np.textReads
	for i := uint64(0); i < 4; i++ {
		if err := p.SetBreakpoint(hot+i, nil); err != nil {
			t.Fatal(err)
		}
		if got := np.bps[hot+i].orig[0]; got != orig[i] {
			t.Errorf("breakpoint at hot+%d keeps %#x, the text has %#x", i, got, orig[i])
		}
	}
	if n := np.textReads - reads; n != 1 {
		t.Errorf("4 breakpoints on one page read its text %d times, want 1", n)
	}
	changed := orig[5] ^ 0xff
	if _, err := p.WriteMemory(hot+5, []byte{changed}); err != nil {
		t.Fatal(err)
	}
	if err := p.SetBreakpoint(hot+5, nil); err != nil {
		t.Fatal(err)
	}
	if got := np.bps[hot+5].orig[0]; got != changed {
		t.Errorf("a breakpoint set after a write keeps %#x, the text has %#x", got, changed)
	}
	if n := np.textReads - reads; n != 2 {
		t.Errorf("after a write the page was read %d times in all, want 2", n)
	}
	if _, err := p.WriteMemory(hot+5, orig[5:6]); err != nil {
		t.Fatal(err)
	}
	for _, a := range []uint64{hot, hot + 1, hot + 2, hot + 3, hot + 5} {
		if err := p.ClearBreakpoint(a); err != nil {
			t.Fatal(err)
		}
	}
}

// TestBreakpointPreparedOnce (issue 12): a breakpoint set again where one
// was takes what prepare found then (no decoding, the same slot); over
// other instruction bytes it is prepared anew.
func TestBreakpointPreparedOnce(t *testing.T) {
	p, np, hot := bpfixAtStart(t)
	set := func() breakpoint {
		t.Helper()
		if err := p.SetBreakpoint(hot, nil); err != nil {
			t.Fatal(err)
		}
		bp := *np.bps[hot]
		if err := p.ClearBreakpoint(hot); err != nil {
			t.Fatal(err)
		}
		return bp
	}
	first := set()
	decodes := np.decodes
	again := set()
	if np.decodes != decodes {
		t.Errorf("set again over the same bytes: %d decodes, want none", np.decodes-decodes)
	}
	if again.kind != first.kind || again.slot != first.slot || string(again.insn) != string(first.insn) {
		t.Errorf("set again: kind %v slot %#x insn %x, first %v %#x %x", again.kind, again.slot, again.insn, first.kind, first.slot, first.insn)
	}
	// Other bytes at the address (a one-byte nop): prepared anew.
	if _, err := p.WriteMemory(hot, []byte{0x90}); err != nil {
		t.Fatal(err)
	}
	if other := set(); np.decodes != decodes+1 || len(other.insn) != 1 {
		t.Errorf("over other bytes: %d decodes, insn %x; want 1, 90", np.decodes-decodes, other.insn)
	}
	if _, err := p.WriteMemory(hot, first.orig[:]); err != nil {
		t.Fatal(err)
	}
}

// TestGeneration (issue 12): the backend's generation grows with every
// memory write, register set and single step, and not with reads or
// breakpoints set while the threads stay stopped.
func TestGeneration(t *testing.T) {
	p, np, hot := bpfixAtStart(t)
	if err := p.SetBreakpoint(hot, nil); err != nil { // maps the scratch area first
		t.Fatal(err)
	}
	th, _ := p.Thread(p.Pid())
	r, err := th.Registers()
	if err != nil {
		t.Fatal(err)
	}
	g := np.Generation()
	buf := make([]byte, 8)
	if _, err := p.ReadMemory(r.SP(), buf); err != nil {
		t.Fatal(err)
	}
	if err := p.SetBreakpoint(hot+1, nil); err != nil {
		t.Fatal(err)
	}
	p.ClearBreakpoint(hot + 1)
	if _, err := th.Registers(); err != nil {
		t.Fatal(err)
	}
	if np.Generation() != g {
		t.Errorf("reads and a breakpoint set and cleared changed the generation")
	}
	for _, c := range []struct {
		what string
		do   func() error
	}{
		{"a memory write", func() error { _, err := p.WriteMemory(r.SP(), buf); return err }},
		{"a register set", func() error { return th.(interface{ SetRegister(string, uint64) error }).SetRegister("rax", 1) }},
		{"a single step", func() error { _, err := p.StepInstruction(p.Pid()); return err }},
	} {
		g := np.Generation()
		if err := c.do(); err != nil {
			t.Fatalf("%s: %v", c.what, err)
		}
		if np.Generation() == g {
			t.Errorf("%s left the generation as it was", c.what)
		}
	}
}

// bpfixAtStart launches the bpfix.c fixture stopped at its start and
// returns it with the address of its hot function.
func bpfixAtStart(t *testing.T) (proc.Process, *nproc, uint64) {
	t.Helper()
	bin := fixtures.Build(t, "bpfix.c")
	p, _ := launchPiped(t, bin, "1", "10")
	return p, p.(*nproc), hotAddr(t, bin, p)
}
