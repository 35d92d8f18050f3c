package native

import "github.com/godbg/godbg/pkg/proc"

// bpHit handles thread t stopped by the int3 of bp (t.regs loaded, rip one
// past the int3). A false condition lets t go on at once in run mode; the
// other threads never stop for it; so does a replay (see signalOutOfSlot).
func (p *nproc) bpHit(t *nthread, bp *breakpoint, mode waitMode, replay bool) *proc.Stop {
	t.regs.Rip = bp.addr
	stop, err := !p.quiet && !replay, error(nil)
	if bp.cond != nil && stop {
		stop, err = bp.cond(hit{t})
	}
	if err == nil && !stop {
		if mode == modeRun {
			ok, perr := p.pass(t, bp)
			if perr == nil && ok {
				t.regsValid = false
				return nil // runLoop resumes it past the breakpoint
			}
			t.inPlace = bp
		}
		ptraceSetRegs(t.tid, &t.regs)
		return nil
	}
	ptraceSetRegs(t.tid, &t.regs)
	t.why = "breakpoint"
	return &proc.Stop{Reason: proc.StopBreakpoint, Tid: t.tid, Addr: bp.addr, CondErr: err}
}

// passIfAtBreakpoint prepares a stopped thread about to resume: if it sits
// on a breakpoint it goes past it. It reports false when the thread needs
// stepInPlace first. Tracer thread.
func (p *nproc) passIfAtBreakpoint(t *nthread) bool {
	if len(p.bps) == 0 && !p.hasPads() || t.getRegs() != nil { // pad (issue 17): hasPads
		return true
	}
	bp := p.bps[t.regs.Rip]
	if bp == nil {
		bp = p.padBreakpoint(t.regs.Rip, false) // pad (issue 17)
	}
	if bp == nil {
		return true
	}
	ok, err := p.pass(t, bp)
	if err != nil {
		return true
	}
	t.regsValid = false
	return ok
}

// unslot maps a thread's pc inside a scratch slot back to the original
// code: at the jump back it is the next instruction; on the copied
// instruction itself (fault) it is the breakpoint's address.
func (p *nproc) unslot(t *nthread, fault bool) {
	back, off, ok := p.inSlot(t)
	if !ok {
		return
	}
	switch {
	case off == back.n, fault && off < back.n:
		t.regs.Rip = back.addr + off
	default:
		return
	}
	ptraceSetRegs(t.tid, &t.regs)
}

// inSlot says which slot thread t's pc is in, and at what offset.
func (p *nproc) inSlot(t *nthread) (back slotBack, off uint64, ok bool) {
	s := p.scratch
	if s == nil || t.getRegs() != nil || t.regs.Rip < s.base || t.regs.Rip >= s.next {
		return back, 0, false
	}
	slot := t.regs.Rip - (t.regs.Rip-s.base)%slotSize
	back, ok = p.slotOf[slot]
	return back, t.regs.Rip - slot, ok
}

// signalOutOfSlot moves a thread about to take a signal out of a scratch
// slot: a handler must never return to one (the slot is unmapped at
// detach; a Go handler may even keep the pc as a goroutine's return
// address). On the copied instruction the thread goes back to the
// breakpoint, whose next hit is then a replay, not a new one; at the jump
// back it goes to the next instruction. Tracer thread.
func (p *nproc) signalOutOfSlot(t *nthread) {
	back, off, ok := p.inSlot(t)
	if !ok {
		return
	}
	switch {
	case off == 0:
		t.regs.Rip = back.addr
		if p.bps[back.addr] != nil {
			t.replay = back.addr
		}
	case off == back.n:
		t.regs.Rip = back.addr + off
	default:
		return
	}
	ptraceSetRegs(t.tid, &t.regs)
	t.regsValid = false
}

// stepBreakpoint single-steps a thread sitting on a breakpoint: emulated
// branches complete without running anything, a slot is stepped and the
// pc mapped back, in-place is stepped with the int3 removed (the other
// threads are stopped during a step). done is false if t is not on one.
func (p *nproc) stepBreakpoint(t *nthread) (*proc.Stop, bool) {
	if len(p.bps) == 0 && !p.hasPads() || t.getRegs() != nil { // pad (issue 17): hasPads
		return nil, false
	}
	bp := p.bps[t.regs.Rip]
	if pbp := p.padBreakpoint(t.regs.Rip, false); bp == nil && pbp != nil { // pad (issue 17)
		return p.padStep(t, pbp), true
	}
	if bp == nil {
		return nil, false
	}
	if bp.kind == passSlot {
		t.regs.Rip = bp.slot
		ptraceSetRegs(t.tid, &t.regs)
		t.regsValid = false
		ptraceStep(t.tid, 0)
		for {
			wpid, ws, err := wait4(-1, 0)
			if err != nil {
				return p.s.lost(err), true
			}
			st := p.s.handle(wpid, ws, modeStep)
			if p.exited {
				return p.exitStop(), true
			}
			if wpid != t.tid {
				continue
			}
			if st == nil && !t.running { // consumed something: step again
				ptraceStep(t.tid, t.passSig)
				t.passSig = 0
				continue
			}
			p.unslot(t, st != nil && st.Reason == proc.StopSignal)
			return st, true
		}
	}
	if ok, err := p.pass(t, bp); err == nil && ok {
		t.regsValid = false
		t.why = "stepped"
		return &proc.Stop{Reason: proc.StopStepped, Tid: t.tid}, true
	}
	p.stepInPlace(t, bp)
	if p.exited {
		return p.exitStop(), true
	}
	t.why = "stepped"
	return &proc.Stop{Reason: proc.StopStepped, Tid: t.tid}, true
}
