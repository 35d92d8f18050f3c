package native

import (
	"golang.org/x/sys/unix"
)

// Detach lets every thread run on untraced. A signal held for a thread is
// delivered as it goes.
func (p *nproc) Detach() error {
	if p.exited {
		return p.exitErr()
	}
	if p.s.filter != nil {
		return ErrFilterDetach
	}
	p.ex.run(func() { p.detachAll() })
	p.release()
	return nil
}

// detachAll runs on the tracer thread; every thread must be stopped.
func (p *nproc) detachAll() {
	p.removeAllBreakpoints()
	p.unwatchAll() // watch
	// pad (issue 17): jump pads out of the text before the areas go.
	_ = p.releasePads()
	_ = p.unmapScratch() // best effort: the detach goes on
	for _, t := range p.threads {
		sig := t.heldSig
		if sig != 0 && t.stopSig != 0 && t.stopSig != sig {
			_ = ptraceSetSiginfo(t.tid, &t.heldInfo)
		}
		if sig == 0 {
			sig = t.passSig
		}
		if sig == 0 && t.slotSig != 0 { // moved out of its slot by unmapScratch
			sig = t.slotSig
			_ = ptraceSetSiginfo(t.tid, &t.slotInfo)
		}
		_ = ptraceDetach(t.tid, sig)
	}
	p.exited = true
	p.detached = true
	s := p.s
	s.remove(p)
	kept := s.reports[:0]
	for _, st := range s.reports {
		if st.Pid != p.pid {
			kept = append(kept, st)
		}
	}
	s.reports = kept
}

// Kill kills the process and reaps every thread.
func (p *nproc) Kill() error {
	if p.exited {
		return p.exitErr()
	}
	p.ex.run(func() {
		_ = unix.Kill(p.pid, unix.SIGKILL)
		for !p.exited {
			wpid, ws, err := wait4(-1, 0)
			if err != nil {
				p.s.lost(err)
				break
			}
			if st := p.s.handle(wpid, ws, modeStopping); st != nil && st.Pid != p.pid {
				p.s.reports = append(p.s.reports, st)
			}
		}
	})
	p.release()
	return nil
}

// release frees what the process held on the debugger's side.
func (p *nproc) release() {
	forgetPads(p) // pad (issue 17)
	if p.mem != nil {
		p.mem.Close()
		p.mem = nil
	}
	if p.cmd != nil && p.cmd.Process != nil {
		p.cmd.Process.Release()
	}
}
