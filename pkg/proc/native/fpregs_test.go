package native

import (
	"encoding/binary"
	"errors"
	"testing"

	"github.com/godbg/godbg/internal/fixtures"
	"github.com/godbg/godbg/pkg/proc"
)

// TestRegistersFPOnDemand: a register snapshot fetches the floating-point
// registers only when one is read (issue 12: no trip to the tracer thread
// for the pc and sp a stack or a step wants), gets the kernel's values
// then, and refuses once its thread has run: a stale snapshot must not be
// completed with later floating-point state.
func TestRegistersFPOnDemand(t *testing.T) {
	bin := fixtures.Build(t, "haltloop.c")
	p, _ := launchPiped(t, bin)
	_, ripRel := spinSites(t, bin, p)
	if err := p.SetBreakpoint(ripRel, nil); err != nil {
		t.Fatal(err)
	}
	st, err := p.Continue()
	if err != nil || st.Reason != proc.StopBreakpoint {
		t.Fatalf("continue: %+v %v", st, err)
	}
	th, _ := p.Thread(st.Tid)
	nt := th.(*nthread)
	r, err := th.Registers()
	if err != nil {
		t.Fatal(err)
	}
	if rr := r.(*regs); rr.fpValid || rr.fpLoad == nil {
		t.Fatalf("snapshot taken with its floating-point registers (valid %v), want them fetched on demand", rr.fpValid)
	}
	x0, err := r.DWARFRegister(17) // xmm0
	if err != nil {
		t.Fatal(err)
	}
	var fp fpregs
	nt.p.ex.run(func() { err = ptraceGetFPRegs(nt.tid, &fp) })
	if err != nil {
		t.Fatal(err)
	}
	if want := binary.LittleEndian.Uint64(fp[160:]); x0 != want {
		t.Fatalf("xmm0 %#x, the kernel says %#x", x0, want)
	}

	old, _ := th.Registers()
	if st, err = p.Continue(); err != nil || st.Reason != proc.StopBreakpoint {
		t.Fatalf("second continue: %+v %v", st, err)
	}
	if err := old.(*regs).fpLoad(&fp); !errors.Is(err, errRegsStale) {
		t.Fatalf("a snapshot taken before the thread ran, completed after it ran: %v, want errRegsStale", err)
	}
	if _, err := old.DWARFRegister(17); err == nil {
		t.Fatal("a snapshot taken before the thread ran gave an xmm register after it ran")
	}
}
