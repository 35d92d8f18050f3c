package native

import (
	"errors"

	"github.com/godbg/godbg/pkg/proc"
)

// The debugger's entry points to jump pads (proc.PadArmer), issue 17.

var _ proc.PadArmer = (*nproc)(nil)

// ArmPad plants a padded breakpoint at addr (see setPadBreakpoint); false
// when a pad is not possible there (GODBG_PAD=0, instruction too
// short, ...): the caller uses SetBreakpoint.
func (p *nproc) ArmPad(addr uint64, c proc.PadCond, cond proc.BreakCond) (bool, error) {
	if p.exited {
		return false, p.exitErr()
	}
	if !padEnabled() {
		return false, nil
	}
	pc := padCond{Reg: c.Reg, Off: c.Off, Size: c.Size, Signed: c.Signed, Op: c.Op, K: c.K}
	switch c.Loc {
	case proc.PadReg:
		pc.Loc = padReg
	case proc.PadStack:
		pc.Loc, pc.Reg = padMem, 7 // DWARF rsp
	case proc.PadAbs:
		pc.Loc = padAbs
	default:
		return false, nil
	}
	var err error
	p.ex.run(func() { _, err = p.setPadBreakpoint(addr, pc, cond) })
	if errors.Is(err, ErrPadUnsupported) {
		return false, nil
	}
	return err == nil, err
}

// PadCounts reads the counters of the armed pad at addr.
func (p *nproc) PadCounts(addr uint64) (passes, trues uint64, ok bool) {
	if p.exited {
		return 0, 0, false
	}
	padMu.Lock()
	ps := padSets[p]
	padMu.Unlock()
	if ps == nil {
		return 0, 0, false
	}
	pd := ps.pads[addr]
	if pd == nil {
		return 0, 0, false
	}
	passes, trues, err := p.padCounts(pd)
	return passes, trues, err == nil
}

// padAt reports whether addr has an armed pad.
func (p *nproc) padAt(addr uint64) bool {
	padMu.Lock()
	defer padMu.Unlock()
	ps := padSets[p]
	return ps != nil && ps.pads[addr] != nil
}

// clearPad is ClearBreakpoint of a padded address: the original bytes
// go back and every thread inside the pad walks out of it (padLeave: a
// pass it had begun completes and counts once). The pad is kept for a
// re-arm.
func (p *nproc) clearPad(addr uint64) error {
	if p.exited {
		forgetPads(p)
		return nil
	}
	var err error
	p.ex.run(func() {
		if err = p.disarmPad(addr); err != nil {
			return
		}
		err = p.padsLeave(p.padSet())
	})
	p.dropReports(addr)
	return err
}
