package native

import "github.com/godbg/godbg/pkg/proc"

// bpHit handles thread t stopped by the int3 of bp (t.regs loaded, rip one
// past the int3). A false condition lets t go on at once in run mode; the
// other threads never stop for it.
func (p *nproc) bpHit(t *nthread, bp *breakpoint, mode waitMode) *proc.Stop {
	t.regs.Rip = bp.addr
	stop, err := !p.quiet, error(nil)
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

// stepOffSlot starts a thread that is to take signal sig while it stands
// on the copied instruction of a scratch slot: a handler must never
// return into a slot (it is unmapped at detach; Go's handler may even
// keep the pc as a preempted goroutine's return address), nor may the
// thread go back to the breakpoint (a preempted goroutine would hit it
// again on another thread). So the instruction is single-stepped first,
// with the signal kept (and its siginfo); steppedOffSlot delivers it from
// the next instruction in the original code. It reports false if t is not
// on a copied instruction. The other threads keep running. Tracer thread.
func (p *nproc) stepOffSlot(t *nthread, sig int) (bool, error) {
	if t.slotSig == 0 {
		if _, off, ok := p.inSlot(t); !ok || off != 0 {
			return false, nil
		}
		t.slotSig = sig
		if ptraceGetSiginfo(t.tid, &t.slotInfo) != nil {
			t.slotInfo = siginfo{}
		}
	} else if sig != 0 && t.heldSig == 0 {
		t.heldSig = sig // a second signal waits for the next Continue
		_ = ptraceGetSiginfo(t.tid, &t.heldInfo)
	}
	t.regsValid = false
	return true, ptraceStep(t.tid, 0)
}

// steppedOffSlot handles a stop of a thread stepping off a slot: the
// step's SIGTRAP puts the thread in the original code and passes the
// signal it waited with; another signal stop is left to the caller (the
// step is taken again at the next resume). Tracer thread.
func (p *nproc) steppedOffSlot(t *nthread, sig int) bool {
	if sig != int(sigTRAP) {
		return false
	}
	var si siginfo
	if ptraceGetSiginfo(t.tid, &si) == nil && si.code() == siKernel {
		return false // an int3, not the step
	}
	p.unslot(t, false)
	_ = ptraceSetSiginfo(t.tid, &t.slotInfo)
	t.passSig, t.slotSig = t.slotSig, 0
	t.stopSig = t.passSig
	t.regsValid = false
	return true
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
