package native

import (
	"errors"
	"fmt"

	"github.com/godbg/godbg/pkg/proc"
)

// The debugger's entry points to jump pads (proc.PadArmer), issue 17.

var _ proc.PadArmer = (*nproc)(nil)

// ArmPad plants a padded breakpoint at addr (see setPadBreakpoint); false
// when a pad is not possible there (GODBG_PAD unset, instruction too
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
// go back and every thread inside the pad is moved back to the code (a
// pass it had counted may count again). The pad is kept for a re-arm.
func (p *nproc) clearPad(addr uint64) error {
	if p.exited {
		forgetPads(p)
		return nil
	}
	var err error
	p.ex.run(func() {
		ps := p.padSet()
		pd := ps.pads[addr]
		if err = p.disarmPad(addr); err != nil {
			return
		}
		for _, t := range p.threads {
			if e := p.padOut(t, []*pad{pd}); e != nil {
				err = fmt.Errorf("moving thread %d out of the pad at %#x: %w", t.tid, addr, e)
			}
		}
	})
	p.dropReports(addr)
	return err
}
