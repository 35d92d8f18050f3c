package native

import (
	"golang.org/x/sys/unix"

	"github.com/godbg/godbg/pkg/proc"
)

const (
	sigSTOP = unix.SIGSTOP
	sigTRAP = unix.SIGTRAP
)

type waitMode int

const (
	modeRun      waitMode = iota // threads run; stop only for stop-worthy events
	modeStopping                 // collecting the SIGSTOPs of an all-stop
	modeStep                     // one thread single-steps; the others stay stopped
)

// handle updates the thread state for one wait status and returns a stop
// if the event should stop the session. It does not resume anything: the
// caller decides, by mode, what a thread left stopped does next.
func (s *session) handle(wpid int, ws unix.WaitStatus, mode waitMode) *proc.Stop {
	p := s.tids[wpid]
	if p == nil {
		if k, ok := s.forkKids[wpid]; ok {
			delete(s.forkKids, wpid)
			if ws.Stopped() {
				s.releaseChild(wpid, k.event, s.procs[k.parent])
			}
			return nil
		}
		if ws.Stopped() {
			// A new thread or child process reporting before its
			// creator's event: classified when that event comes.
			s.early[wpid] = true
		} else {
			delete(s.early, wpid) // died before it was classified
		}
		return nil
	}
	st := p.handle(p.threads[wpid], ws, mode)
	if st != nil {
		st.Pid = p.pid
		if st.Reason == proc.StopExited {
			return s.procGone(p, st)
		}
	}
	return st
}

// procGone removes an exited target. The exit of the primary target (or
// of the last one) stops the session; another's is an event.
func (s *session) procGone(p *nproc, st *proc.Stop) *proc.Stop {
	wasPrimary := s.primary == p
	s.remove(p)
	if wasPrimary || len(s.procs) == 0 {
		s.primary = p // Continue reports it; the debugger picks another
		return st
	}
	s.emit(proc.Event{Kind: proc.EventExit, Pid: p.pid, Tid: p.pid, ExitCode: st.ExitCode, KilledBy: st.KilledBy})
	return nil
}

// handle is session.handle for one of p's threads.
func (p *nproc) handle(t *nthread, ws unix.WaitStatus, mode waitMode) *proc.Stop {
	if ws.Exited() || ws.Signaled() {
		return p.threadGone(t, ws)
	}
	if !ws.Stopped() {
		return nil
	}
	t.running = false
	t.regsValid = false // whatever was cached is from before it ran
	sig := ws.StopSignal()
	if sig == sigTRAP|0x80 { // PTRACE_O_TRACESYSGOOD
		t.stopSig = 0
		return p.syscallStop(t)
	}
	if sig == sigTRAP && ws.TrapCause() > 0 {
		t.stopSig = 0
		return p.ptraceEvent(t, ws.TrapCause(), mode)
	}
	t.stopSig = int(sig)
	if sig == sigSTOP {
		switch {
		case t.newThread:
			t.newThread = false
			p.watchNewThread(t) // watch
			return nil
		case t.stopQueued:
			t.stopQueued = false
			return nil
		case p.s.takeHaltStop(t.tid):
			if mode == modeStopping {
				return nil
			}
			// Tid 0: a halt keeps the user's current thread.
			return &proc.Stop{Reason: proc.StopHalted}
		}
		// Somebody else's SIGSTOP: report it, never deliver it (that would
		// put the whole process into group-stop under us).
		t.why = "signal SIGSTOP"
		return &proc.Stop{Reason: proc.StopSignal, Tid: t.tid, Signal: int(sig)}
	}
	return p.signalStop(t, int(sig), mode)
}

// signalStop decides what a signal-delivery-stop means.
func (p *nproc) signalStop(t *nthread, sig int, mode waitMode) *proc.Stop {
	if t.slotSig != 0 && p.steppedOffSlot(t, sig) {
		if mode == modeStep && t.tid == p.s.stepTid && t.heldSig == 0 {
			// The single step asked for ran the copied instruction: it
			// is done; the signal waits for the next Continue (a step
			// does not go into a handler).
			t.heldSig, t.heldInfo, t.passSig = t.passSig, t.slotInfo, 0
			t.why = "stepped"
			return &proc.Stop{Reason: proc.StopStepped, Tid: t.tid}
		}
		return nil
	}
	if sig == int(sigTRAP) && p.watch != nil { // watch: a debug register fired?
		if st, ok := p.watchTrap(t, mode); ok {
			return st
		}
	}
	if sig == int(unix.SIGSEGV) && p.pages != nil && len(p.pages.orig) > 0 { // watch: a watched page?
		if st, ok := p.pageFault(t, mode); ok {
			return st
		}
	}
	if sig == int(sigTRAP) && len(p.bps) > 0 && !(mode == modeStep && t.tid == p.s.stepTid) {
		t.regsValid = false
		if t.getRegs() == nil {
			if bp := p.bps[t.regs.Rip-1]; bp != nil {
				return p.bpHit(t, bp, mode)
			}
		}
	}
	if bp := p.padTrap(t, sig, mode); bp != nil { // pad (issue 17): a true hit in a jump pad
		return p.bpHit(t, bp, mode)
	}
	p.trampSignal(t, sig) // pad (issue 17): never deliver a signal at a trampoline pc
	pol := p.s.policy(sig)
	fault := p.scratch != nil && isFault(sig)
	needInfo := sig == int(sigTRAP) || sig == int(unix.SIGINT) || pol.Stop || fault
	var si siginfo
	if needInfo {
		_ = ptraceGetSiginfo(t.tid, &si)
	}
	if fault && si.code() > 0 && si.code() < siKernel {
		// A fault of a slot's copied instruction belongs to the original
		// pc: passed (a Go program's nil dereference), it is delivered
		// there; stepping the copy again (stepOffSlot) would only fault
		// again, for ever.
		p.unslot(t, true)
	}
	if sig == int(sigTRAP) {
		if mode == modeStep && t.tid == p.s.stepTid && si.code() != siKernel {
			t.why = "stepped"
			return &proc.Stop{Reason: proc.StopStepped, Tid: t.tid}
		}
		if si.code() == siKernel {
			// An int3 the debugger did not place: rip is past it already.
			t.why = "trap"
			return &proc.Stop{Reason: proc.StopTrap, Tid: t.tid}
		}
	}
	if sig == int(unix.SIGINT) && p.s.tty >= 0 && si.code() == siKernel {
		// Ctrl-C typed while the program owned the terminal: a halt.
		return &proc.Stop{Reason: proc.StopHalted}
	}
	if !pol.Stop {
		if pol.Pass {
			if mode == modeStep && t.tid == p.s.stepTid && (t.heldSig == 0 || t.heldSig == sig) {
				// Do not step into a handler: deliver at the next continue.
				_ = ptraceGetSiginfo(t.tid, &t.heldInfo)
				t.heldSig = sig
			} else {
				t.passSig = sig
			}
		}
		if pol.Print {
			p.emitSignal(t.tid, sig, pol.Pass)
		}
		return nil
	}
	if pol.Pass {
		t.heldSig = sig
		t.heldInfo = si
	}
	if p.scratch != nil && si.code() > 0 && si.code() < siKernel {
		p.unslot(t, true) // a fault inside a slot belongs to the original pc
	}
	t.why = "signal " + proc.SignalName(sig)
	return &proc.Stop{Reason: proc.StopSignal, Tid: t.tid, Signal: sig}
}

// ptraceEvent handles PTRACE_EVENT_* stops.
func (p *nproc) ptraceEvent(t *nthread, cause int, mode waitMode) *proc.Stop {
	switch cause {
	case unix.PTRACE_EVENT_CLONE:
		msg, err := ptraceEventMsg(t.tid)
		if err != nil {
			return nil
		}
		ntid := int(msg)
		if _, ok := p.threads[ntid]; !ok {
			nt := p.addThread(ntid)
			nt.optioned = true
			p.emit(proc.EventNewThread, ntid, 0)
			if p.s.early[ntid] { // its initial SIGSTOP came first
				delete(p.s.early, ntid)
				nt.running, nt.stopSig = false, int(sigSTOP)
				p.watchNewThread(nt) // watch
				if mode == modeRun {
					nt.resume()
				}
			} else {
				nt.newThread = true
			}
		}
	case unix.PTRACE_EVENT_FORK, unix.PTRACE_EVENT_VFORK:
		msg, err := ptraceEventMsg(t.tid)
		if err != nil {
			return nil
		}
		return p.s.forked(p, t, int(msg), cause, mode)
	case ptraceEventSeccomp:
		return p.seccompStop(t)
	case unix.PTRACE_EVENT_EXEC:
		p.afterExec(t)
		if p.s.stopOnExec {
			t.why = "exec"
			return &proc.Stop{Reason: proc.StopExec, Tid: t.tid}
		}
	}
	return nil
}

// afterExec keeps only the thread that exec'd, now carrying the pid.
func (p *nproc) afterExec(t *nthread) {
	p.execed = true
	for tid := range p.threads {
		if tid != t.tid {
			p.forgetThread(tid)
		}
	}
	if t.tid != p.pid {
		p.forgetThread(t.tid)
		t.tid = p.pid
		p.threads[p.pid] = t
		p.s.tids[p.pid] = p
	}
	if p.mem != nil {
		p.mem.Close()
		p.mem, _ = openMem(p.pid)
	}
	// The old image and its breakpoints and scratch memory are gone.
	p.guardForget() // guard
	forgetPads(p)   // pad (issue 17)
	clear(p.bps)
	p.watch, p.pages, p.arena = nil, nil, nil // watch, call: exec flushed the debug registers, the pages, our data
	p.scratch, p.farScratch, p.slots, p.slotOf, p.areas = nil, 0, nil, nil, nil
	p.emit(proc.EventExec, p.pid, 0)
}

// threadGone records the exit of one thread, or of the process when the
// thread group leader's exit is reported (the kernel reports it last).
func (p *nproc) threadGone(t *nthread, ws unix.WaitStatus) *proc.Stop {
	if t.tid != p.pid {
		p.forgetThread(t.tid)
		p.emit(proc.EventThreadExit, t.tid, 0)
		if t.tid == p.s.stepTid {
			return &proc.Stop{Reason: proc.StopThreadExit, Tid: t.tid}
		}
		return nil
	}
	p.exited = true
	if ws.Exited() {
		p.exitCode = ws.ExitStatus()
	} else {
		p.killedBy = int(ws.Signal())
	}
	if p.mem != nil {
		p.mem.Close()
		p.mem = nil
	}
	return p.exitStop()
}

// isFault says whether sig is one the kernel raises for the instruction
// that faulted (when its si_code is positive and below SI_KERNEL).
func isFault(sig int) bool {
	switch unix.Signal(sig) {
	case unix.SIGSEGV, unix.SIGBUS, unix.SIGFPE, unix.SIGILL:
		return true
	}
	return false
}
