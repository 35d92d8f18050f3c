package debugger

import (
	"github.com/godbg/godbg/pkg/proc"
	"github.com/godbg/godbg/service/api"
)

// A step ends at one of its temporary breakpoints. When something else
// stops the program first (another goroutine's breakpoint, a signal,
// Ctrl-C), the stop is reported and the step stays armed, as in Delve:
// the state says NextInProgress and the next continue completes it; a new
// next, step or stepout cancels it first.

func (d *Debugger) Next(count int) (*api.State, error) {
	d.mu.Lock()
	defer d.mu.Unlock()
	if count < 1 {
		count = 1
	}
	var st *api.State
	for i := 0; i < count; i++ {
		s, err := d.startStep("next")
		if err != nil {
			return nil, err
		}
		if st, err = s.drive(); err != nil || d.stepPending != nil || st.Reason != "stepped" {
			return st, err
		}
	}
	return st, nil
}

func (d *Debugger) Step() (*api.State, error) {
	d.mu.Lock()
	defer d.mu.Unlock()
	s, err := d.startStep("step")
	if err != nil {
		return nil, err
	}
	if stop, ok := d.atCall(s); ok {
		// The pc is on a CALL of the line: no breakpoint there will be
		// hit, enter it now.
		if r, done := s.Enter(stop); done {
			return s.report(r), nil
		}
	}
	return s.drive()
}

// atCall reports whether the selected thread, in its innermost frame,
// stands on a CALL instruction.
func (d *Debugger) atCall(s *stepper) (*proc.Stop, bool) {
	if d.frame != 0 || d.curG != 0 {
		return nil, false
	}
	th, r, err := d.curRegisters()
	if err != nil {
		return nil, false
	}
	in, ok := s.InstAt(r.PC())
	if !ok || !in.Call {
		return nil, false
	}
	return &proc.Stop{Reason: proc.StopBreakpoint, Pid: s.Process().Pid(), Tid: th.ID(), Addr: r.PC()}, true
}

func (d *Debugger) StepOut() (*api.State, error) {
	d.mu.Lock()
	defer d.mu.Unlock()
	s, err := d.startStep("stepout")
	if err != nil {
		return nil, err
	}
	return s.drive()
}

// startStep cancels a step in progress and plans a new one from the
// selected frame.
func (d *Debugger) startStep(op string) (*stepper, error) {
	if w, ok := d.proc().(proc.Prewaker); ok {
		w.Prewake(d.cur) // issue 12: the tracer wakes while the step is planned
	}
	d.cancelStep()
	s, frames, err := d.newStepper()
	if err != nil {
		return nil, err
	}
	if err := s.Plan(op, frames); err != nil {
		return nil, err
	}
	return s, nil
}

// cancelStep drops a step that was interrupted.
func (d *Debugger) cancelStep() {
	if s := d.stepPending; s != nil {
		d.stepPending = nil
		s.Cancel()
	}
}

// resumeStep completes an interrupted step (continue); ok false: none.
func (d *Debugger) resumeStep() (*api.State, bool, error) {
	s := d.stepPending
	if s == nil {
		return nil, false, nil
	}
	if s.Process() != d.proc() || s.Process().Exited() {
		d.cancelStep()
		return nil, false, nil
	}
	st, err := s.drive()
	return st, true, err
}
