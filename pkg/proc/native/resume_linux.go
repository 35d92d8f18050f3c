package native

import (
	"errors"

	"golang.org/x/sys/unix"

	"github.com/godbg/godbg/pkg/proc"
)

func (p *nproc) Continue() (*proc.Stop, error) {
	if p.exited {
		return nil, p.exitErr()
	}
	var st *proc.Stop
	p.ex.run(func() { st = p.cont() })
	return st, nil
}

// cont is Continue on the tracer thread.
func (p *nproc) cont() *proc.Stop {
	for len(p.reports) > 0 {
		st := p.reports[0]
		p.reports = p.reports[1:]
		if _, ok := p.threads[st.Tid]; ok {
			return st
		}
	}
	// Threads on a breakpoint that cannot run out of line step over it
	// now, while every thread is still stopped.
	for _, t := range p.threads {
		if !t.running && !p.passIfAtBreakpoint(t) {
			p.stepInPlace(t, p.bps[t.regs.Rip])
			if p.exited {
				return p.exitStop()
			}
		}
	}
	p.setRunning(true)
	p.foreground(true)
	p.resumeAll()
	st := p.runLoop()
	if !p.exited {
		p.stopAll()
	}
	p.foreground(false)
	if p.exited {
		return p.exitStop()
	}
	return st
}

func (p *nproc) resumeAll() {
	for _, t := range p.threads {
		if !t.running {
			t.resumeUser()
		}
	}
}

// runLoop waits until something should stop the process.
func (p *nproc) runLoop() *proc.Stop {
	for {
		if p.haltReq.Load() {
			return &proc.Stop{Reason: proc.StopHalted}
		}
		wpid, ws, err := wait4(-1, 0)
		if err != nil {
			return p.lost(err)
		}
		if st := p.handle(wpid, ws, modeRun); st != nil {
			return st
		}
		t := p.threads[wpid]
		if t == nil || t.running {
			continue
		}
		if t.inPlace != nil {
			if st := p.passInPlace(t); st != nil {
				return st
			}
			continue
		}
		t.resume()
	}
}

// passInPlace stops every thread, steps t over its breakpoint with the
// int3 removed, and resumes them all (unless a stop came meanwhile).
func (p *nproc) passInPlace(t *nthread) *proc.Stop {
	bp := t.inPlace
	t.inPlace = nil
	p.stopAll()
	if p.exited {
		return p.exitStop()
	}
	p.stepInPlace(t, bp)
	if p.exited {
		return p.exitStop()
	}
	if len(p.reports) > 0 {
		st := p.reports[0]
		p.reports = p.reports[1:]
		return st
	}
	p.setRunning(true)
	p.resumeAll()
	return nil
}

// lost handles a failing wait4: ECHILD means every tracee is gone.
func (p *nproc) lost(err error) *proc.Stop {
	if errors.Is(err, unix.ECHILD) {
		p.exited = true
		for tid := range p.threads {
			p.forgetThread(tid)
		}
		return p.exitStop()
	}
	return &proc.Stop{Reason: proc.StopHalted}
}

// stopAll stops every running thread and waits until each has reported the
// SIGSTOP it was sent, so that none is left queued.
func (p *nproc) stopAll() {
	p.haltMu.Lock()
	p.running = false
	p.haltReq.Store(false)
	for tid := range p.haltSent {
		if t := p.threads[tid]; t != nil {
			t.stopQueued = true
		}
		delete(p.haltSent, tid)
	}
	p.haltMu.Unlock()
	for _, t := range p.threads {
		switch {
		case t.running && !t.stopQueued && !t.newThread:
			if err := tgkill(p.pid, t.tid, sigSTOP); err == nil {
				t.stopQueued = true
			}
		case !t.running && t.stopQueued:
			t.resume() // drain the SIGSTOP queued behind its current stop
		}
	}
	p.waitStopped(modeStopping)
	if p.scratch != nil {
		for _, t := range p.threads {
			p.unslot(t, false)
		}
	}
}

// waitStopped waits until no thread has a SIGSTOP outstanding, collecting
// stop-worthy events as reports.
func (p *nproc) waitStopped(mode waitMode) {
	for !p.exited && p.anyOutstanding() {
		wpid, ws, err := wait4(-1, 0)
		if err != nil {
			p.lost(err)
			return
		}
		if st := p.handle(wpid, ws, mode); st != nil && !p.exited {
			p.reports = append(p.reports, st)
		}
		if t := p.threads[wpid]; t != nil && !t.running && t.stopQueued {
			// Another stop came first; its signal is held or passed.
			t.resume()
		}
	}
}

func (p *nproc) anyOutstanding() bool {
	if len(p.forkKids) > 0 {
		return true
	}
	for _, t := range p.threads {
		if t.stopQueued || t.newThread {
			return true
		}
	}
	return false
}

// StepInstruction single-steps one thread while the others stay stopped.
func (p *nproc) StepInstruction(tid int) (*proc.Stop, error) {
	if p.exited {
		return nil, p.exitErr()
	}
	t, ok := p.threads[tid]
	if !ok {
		return nil, proc.ErrNoSuchThread
	}
	var st *proc.Stop
	p.ex.run(func() { st = p.step(t) })
	return st, nil
}

func (p *nproc) step(t *nthread) *proc.Stop {
	p.stepTid = t.tid
	p.haltMu.Lock()
	p.wakeTid = t.tid // a halt must reach the one running thread
	p.haltMu.Unlock()
	p.setRunning(true)
	st := p.stepLoop(t)
	p.stepTid = 0
	if !p.exited {
		p.stopAll() // settles a late halt SIGSTOP and new clone children
	}
	if p.exited {
		return p.exitStop()
	}
	return st
}

func (p *nproc) stepLoop(t *nthread) *proc.Stop {
	if st, done := p.stepBreakpoint(t); done {
		return st
	}
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
				return p.lost(err)
			}
			st := p.handle(wpid, ws, modeStep)
			if p.exited {
				return p.exitStop()
			}
			if st != nil {
				if st.Tid == t.tid || st.Reason == proc.StopThreadExit || st.Reason == proc.StopHalted {
					return st
				}
				p.reports = append(p.reports, st)
			}
		}
	}
}
