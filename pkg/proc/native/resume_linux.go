package native

import (
	"errors"

	"golang.org/x/sys/unix"

	"github.com/godbg/godbg/pkg/proc"
)

// Continue resumes every thread of every target and blocks until one
// stops (all of them halted then) or p exits.
func (p *nproc) Continue() (*proc.Stop, error) {
	if p.exited {
		return nil, p.exitErr()
	}
	var st *proc.Stop
	p.ex.run(func() {
		st = p.s.cont(p)
		p.s.consumeHalt(st)
		p.s.removeBreakpoints()
	})
	return st, nil
}

// consumeHalt ends a pending halt request once a stop says halted.
func (s *session) consumeHalt(st *proc.Stop) {
	if st != nil && st.Reason == proc.StopHalted {
		s.haltReq.Store(false)
	}
}

// cont is Continue on the tracer thread.
func (s *session) cont(primary *nproc) *proc.Stop {
	s.primary = primary
	if st := s.takeReport(); st != nil {
		return st
	}
	if st := s.detachPending(); st != nil {
		return st
	}
	s.insertBreakpoints()
	// Threads on a breakpoint that cannot run out of line step over it
	// now, while every thread is still stopped.
	for _, p := range s.sortedProcs() {
		for _, t := range p.threads {
			if !t.running && !p.passIfAtBreakpoint(t) {
				p.stepInPlace(t, p.bps[t.regs.Rip])
			}
		}
	}
	if st := s.takeReport(); st != nil {
		return st
	}
	if len(s.procs) == 0 {
		return primary.exitStop()
	}
	if st := s.halted(); st != nil {
		return st // requested while nothing ran: nothing to resume
	}
	s.setRunning(true)
	s.foreground(true)
	if tid := int(s.quick.Swap(0)); tid != 0 && multiCPU {
		// issue 12: a step usually ends within microseconds; its thread
		// goes first, and the wait polls for a while.
		s.resumeFirst(tid)
		s.spin.pollFor(quickPoll)
	}
	s.resumeAll()
	primary.ex.refresh() // issue 12: while the program runs (refresh.go)
	st := s.runLoop()
	if len(s.procs) > 0 {
		s.stopAll()
	}
	s.foreground(false)
	return st
}

// resumeFirst resumes thread tid (of any target) if it is stopped.
func (s *session) resumeFirst(tid int) {
	if p := s.tids[tid]; p != nil {
		if t := p.threads[tid]; t != nil && !t.running {
			t.resumeUser()
		}
	}
}

func (s *session) resumeAll() {
	for _, p := range s.procs {
		for _, t := range p.threads {
			if !t.running {
				t.resumeUser()
			}
		}
	}
}

// runLoop waits until something should stop the session.
func (s *session) runLoop() *proc.Stop {
	for {
		if st := s.halted(); st != nil {
			return st
		}
		wpid, ws, err := s.spin.waitAny() // churn: polls while events come in bursts
		if err != nil {
			return s.lost(err)
		}
		if st := s.handle(wpid, ws, modeRun); st != nil {
			return st
		}
		p := s.tids[wpid]
		if p == nil {
			continue
		}
		if p.detachSoon {
			if st := s.pause(s.detachPending); st != nil {
				return st
			}
			continue
		}
		t := p.threads[wpid]
		if t == nil || t.running {
			continue
		}
		if t.pageStep { // watch: run a faulting access with the pages open
			t.pageStep = false
			if st := s.pause(func() *proc.Stop { return p.stepFault(t) }); st != nil {
				return st
			}
			continue
		}
		if t.inPlace != nil {
			bp := t.inPlace
			t.inPlace = nil
			if st := s.pause(func() *proc.Stop { p.stepInPlace(t, bp); return nil }); st != nil {
				return st
			}
			continue
		}
		t.resume()
	}
}

// pause stops every thread, runs fn, and resumes them all unless a stop
// came meanwhile (or from fn), which it returns.
func (s *session) pause(fn func() *proc.Stop) *proc.Stop {
	s.stopAll()
	if st := fn(); st != nil {
		return st
	}
	if st := s.takeReport(); st != nil {
		return st
	}
	if len(s.procs) == 0 {
		return s.primary.exitStop()
	}
	if st := s.halted(); st != nil {
		return st // a halt that came while the tracer worked
	}
	s.setRunning(true)
	s.resumeAll()
	return nil
}

// detachPending lets go the targets marked detachSoon (every thread
// stopped). If the primary target goes, the one that forked it takes over.
func (s *session) detachPending() *proc.Stop {
	for _, p := range s.sortedProcs() {
		if !p.detachSoon {
			continue
		}
		wasPrimary := s.primary == p
		p.detachAll()
		if c := s.procs[p.handOver]; c != nil && wasPrimary {
			s.primary = c
		}
		s.emit(proc.Event{Kind: proc.EventDetach, Pid: p.pid, Tid: p.pid})
	}
	return nil
}

// lost handles a failing wait4: ECHILD means every tracee is gone.
func (s *session) lost(err error) *proc.Stop {
	if errors.Is(err, unix.ECHILD) {
		primary := s.primary
		for _, p := range s.sortedProcs() {
			p.exited = true
			s.remove(p)
		}
		if primary == nil {
			return &proc.Stop{Reason: proc.StopExited}
		}
		primary.exited = true
		return primary.exitStop()
	}
	return &proc.Stop{Reason: proc.StopHalted}
}

// stopAll stops every running thread and waits until each has reported the
// SIGSTOP it was sent, so that none is left queued.
func (s *session) stopAll() {
	s.haltMu.Lock()
	s.running = false
	for tid := range s.haltSent {
		if p := s.tids[tid]; p != nil {
			p.threads[tid].stopQueued = true
		}
		delete(s.haltSent, tid)
	}
	s.haltMu.Unlock()
	for _, p := range s.procs {
		for _, t := range p.threads {
			switch {
			case t.running && !t.stopQueued && !t.newThread:
				if err := tgkill(p.pid, t.tid, sigSTOP); err == nil {
					t.stopQueued = true
				}
			case !t.running && t.stopQueued && !t.vforkWaits():
				t.resume() // drain the SIGSTOP queued behind its current stop
			}
		}
	}
	s.waitStopped(modeStopping)
	for _, p := range s.procs {
		p.padsOut() // pad (issue 17): a stopped program shows no thread in a pad
		if p.scratch != nil {
			for _, t := range p.threads {
				p.unslot(t, false)
			}
		}
	}
}

// waitStopped waits until no thread has a SIGSTOP outstanding, collecting
// stop-worthy events as reports.
func (s *session) waitStopped(mode waitMode) {
	for len(s.procs) > 0 && s.anyOutstanding() {
		wpid, ws, err := s.spin.pollStopped()
		if err != nil {
			s.lost(err)
			return
		}
		if st := s.handle(wpid, ws, mode); st != nil {
			s.reports = append(s.reports, st)
		}
		if p := s.tids[wpid]; p != nil {
			if t := p.threads[wpid]; t != nil && !t.running && t.stopQueued && !t.vforkWaits() {
				// Another stop came first; its signal is held or passed.
				t.resume()
			}
		}
	}
}

func (s *session) anyOutstanding() bool {
	if len(s.forkKids) > 0 {
		return true
	}
	for _, p := range s.procs {
		for _, t := range p.threads {
			if t.newThread || t.stopQueued && !t.vforkWaits() {
				return true
			}
		}
	}
	return false
}

// StepInstruction single-steps one thread while every other stays stopped.
func (p *nproc) StepInstruction(tid int) (*proc.Stop, error) {
	if p.exited {
		return nil, p.exitErr()
	}
	t, ok := p.threads[tid]
	if !ok {
		return nil, proc.ErrNoSuchThread
	}
	var st *proc.Stop
	p.ex.run(func() {
		st = p.s.step(t)
		p.s.consumeHalt(st)
		p.s.removeBreakpoints()
	})
	return st, nil
}

func (s *session) step(t *nthread) *proc.Stop {
	p := t.p
	s.primary = p
	if st := s.halted(); st != nil {
		return st
	}
	s.insertBreakpoints()
	s.stepTid = t.tid
	s.setWake(p.pid, t.tid) // a halt must reach the one running thread
	s.setRunning(true)
	st := p.stepLoop(t)
	s.stepTid = 0
	if st != nil && st.Pid == 0 {
		st.Pid = p.pid
	}
	if len(s.procs) > 0 {
		s.stopAll() // settles a late halt SIGSTOP and new clone children
	}
	s.haltMu.Lock()
	s.pickWake()
	s.haltMu.Unlock()
	return st
}

func (p *nproc) stepLoop(t *nthread) *proc.Stop {
	if st, done := p.stepBreakpoint(t); done {
		return st
	}
	s := p.s
	for {
		sig := t.passSig
		t.passSig = 0
		t.running = true
		t.regsValid = false
		t.why = ""
		if err := ptraceStep(t.tid, sig); err != nil {
			return &proc.Stop{Reason: proc.StopThreadExit, Tid: t.tid}
		}
		for t.running {
			wpid, ws, err := wait4(-1, 0)
			if err != nil {
				return s.lost(err)
			}
			st := s.handle(wpid, ws, modeStep)
			if p.exited {
				return p.exitStop()
			}
			if st != nil {
				if st.Tid == t.tid || st.Reason == proc.StopThreadExit || st.Reason == proc.StopHalted {
					return st
				}
				s.reports = append(s.reports, st)
			}
		}
	}
}

// Prewake wakes the tracer thread for a Continue that follows shortly,
// for a step of thread tid (proc.Prewaker).
func (p *nproc) Prewake(tid int) {
	p.s.quick.Store(int32(tid))
	p.ex.prewake()
}
