package native

import (
	"encoding/binary"
	"errors"
	"fmt"

	"golang.org/x/sys/unix"
)

// Leaving a pad (issue 17). No signal is ever delivered to a thread whose
// pc is in a pad or at a trampoline: the kernel would save that pc in the
// signal frame, on the signal stack where the debugger does not look,
// and the handler would return there — after a detach that unmapped the
// pad, into nothing. resumeThread calls padLeave before it delivers a
// signal, so a signal frame never holds a pad pc and detach can restore
// the text and unmap every pad area (releasePads).
//
// padLeave walks the thread forward, one single step at a time, until
// its pc is back in the program's code (at most the ~15 instructions of a
// pad): the pass completes exactly once, so the counters stay exact. Two
// places are not stepped:
//   - a trampoline (only the jmp rel8 was run): back to the padded
//     address;
//   - the true path's int3: the thread has undone every push, so it is
//     moved back to the padded address and will find the condition true
//     again after the handler; the pass and the true hit it had counted
//     are remembered in pad.over and subtracted by padCounts.

// padSpot says where pc is: in pd's code (tramp false) or at pd's
// trampoline (tramp true); nil when pc is in no pad.
func (ps *padSet) padSpot(pc uint64) (pd *pad, tramp bool) {
	for _, q := range ps.all {
		if pc >= q.base && pc < q.base+uint64(len(q.depth)) {
			return q, false
		}
		if q.tramp != 0 && pc == q.tramp {
			return q, true
		}
	}
	return nil, false
}

// padsEver reports whether p has had a pad (a thread may be in one).
func (p *nproc) padsEver() *padSet {
	padMu.Lock()
	defer padMu.Unlock()
	if ps := padSets[p]; ps != nil && len(ps.all) > 0 {
		return ps
	}
	return nil
}

// padSignal is resumeThread's hook: t is about to be resumed with signal
// sig from a signal-delivery stop; if it is in a pad it leaves it first
// (its siginfo kept). Tracer thread.
func (p *nproc) padSignal(t *nthread, sig int) {
	if sig == 0 || t.stopSig == 0 {
		return // nothing delivered now (an event stop sends it later)
	}
	ps := p.padsEver()
	if ps == nil {
		return
	}
	t.regsValid = false
	if t.getRegs() != nil {
		return
	}
	if pd, _ := ps.padSpot(t.regs.Rip); pd == nil {
		return
	}
	var si siginfo
	infoOK := ptraceGetSiginfo(t.tid, &si) == nil
	stopSig, queued := t.stopSig, t.stopQueued
	_ = p.padLeave(t, ps) // on failure the signal goes in anyway
	t.stopSig = stopSig
	if queued && !t.stopQueued {
		// The walk consumed the SIGSTOP an all-stop queued (stepOne):
		// queue another, the all-stop waits for it.
		if tgkill(p.pid, t.tid, sigSTOP) == nil {
			t.stopQueued = true
		}
	}
	if infoOK {
		_ = ptraceSetSiginfo(t.tid, &si)
	}
	t.regsValid = false
}

// padLeave moves stopped thread t out of every pad (see above). Tracer
// thread; the other threads may run.
func (p *nproc) padLeave(t *nthread, ps *padSet) error {
	for i := 0; i < 4*padChunk; i++ {
		t.regsValid = false
		if err := t.getRegs(); err != nil {
			return err
		}
		pd, tramp := ps.padSpot(t.regs.Rip)
		switch {
		case pd == nil:
			return nil
		case tramp:
			t.regs.Rip = pd.addr
			return ptraceSetRegs(t.tid, &t.regs)
		case t.regs.Rip == pd.trap:
			if ps.pads[pd.addr] == pd { // it passes the pad again
				pd.over[0]++
				pd.over[1]++
			}
			t.regs.Rip = pd.addr
			return ptraceSetRegs(t.tid, &t.regs)
		}
		if err := p.padStepOne(t, pd); err != nil {
			return err
		}
	}
	return fmt.Errorf("thread %d does not leave the pads", t.tid)
}

// padStepOne single-steps t (in pd, registers loaded) by one
// instruction. The pad's pushfq and popfq are emulated, not stepped: a
// stepped pushfq pushes the trap flag the step set, and a stepped popf
// makes the kernel forget that the trap flag is the debugger's (it then
// survives the resume, and the program traps after every instruction).
func (p *nproc) padStepOne(t *nthread, pd *pad) error {
	var op [1]byte
	if _, err := p.mem.ReadAt(op[:], int64(t.regs.Rip)); err != nil {
		return err
	}
	r := &t.regs
	var w [8]byte
	switch op[0] {
	case 0x9c: // pushfq
		binary.LittleEndian.PutUint64(w[:], r.Eflags&^0x100)
		if _, err := p.mem.WriteAt(w[:], int64(r.Rsp-8)); err != nil {
			return err
		}
		r.Rsp -= 8
		r.Rip++
		return ptraceSetRegs(t.tid, r)
	case 0x9d: // popfq
		if _, err := p.mem.ReadAt(w[:], int64(r.Rsp)); err != nil {
			return err
		}
		const userFlags = 0x40cd5 // CF PF AF ZF SF DF OF AC (TF, IF, IOPL kept)
		r.Eflags = r.Eflags&^userFlags | binary.LittleEndian.Uint64(w[:])&userFlags
		r.Rsp += 8
		r.Rip++
		return ptraceSetRegs(t.tid, r)
	}
	ws, err := stepOne(t, 8)
	if err != nil {
		return fmt.Errorf("stepping thread %d out of the pad at %#x: %w", t.tid, pd.addr, err)
	}
	if !ws.Stopped() {
		return fmt.Errorf("thread %d ended in the pad at %#x", t.tid, pd.addr)
	}
	if ws.StopSignal() != unix.SIGTRAP {
		return fmt.Errorf("thread %d stopped by %v in the pad at %#x", t.tid, ws.StopSignal(), pd.addr)
	}
	return nil
}

// padsLeave moves every stopped thread of p out of the pads: before the
// text is restored and the pad areas are unmapped, or a pad disarmed.
func (p *nproc) padsLeave(ps *padSet) error {
	var errs []error
	for _, t := range p.sortedThreads() {
		if t.running {
			continue
		}
		if err := p.padLeave(t, ps); err != nil {
			errs = append(errs, err)
		}
	}
	return errors.Join(errs...)
}

// padsOut walks every stopped thread of p out of the pads at an
// all-stop: the user, the unwinder and the debugger's own stepping never
// see a pad pc. Tracer thread.
func (p *nproc) padsOut() {
	if ps := p.padsEver(); ps != nil {
		_ = p.padsLeave(ps)
	}
}
