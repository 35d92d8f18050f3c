package debugger

import (
	"errors"

	"github.com/godbg/godbg/pkg/proc"
	ptarget "github.com/godbg/godbg/pkg/proc/target"
	"github.com/godbg/godbg/service/api"
)

// A step ends at one of its temporary breakpoints. When something else
// stops the program first (another goroutine's breakpoint, a signal,
// Ctrl-C), the stop is reported and the step stays armed, as in Delve:
// the state says NextInProgress and the next continue completes it; a new
// next, step or stepout cancels it first. The steps run on the current
// Target (pkg/proc/target: StepFrom, ResumeStep); the debugger gives them
// the user's selection and turns their end into the session's stop.

func (d *Debugger) Next(count int) (*api.State, error) {
	d.mu.Lock()
	defer d.mu.Unlock()
	if count < 1 {
		count = 1
	}
	var st *api.State
	for i := 0; i < count; i++ {
		var err error
		if st, err = d.step("next"); err != nil || d.stepping != nil || st.Reason != "stepped" {
			return st, err
		}
	}
	return st, nil
}

func (d *Debugger) Step() (*api.State, error) {
	d.mu.Lock()
	defer d.mu.Unlock()
	return d.step("step")
}

func (d *Debugger) StepOut() (*api.State, error) {
	d.mu.Lock()
	defer d.mu.Unlock()
	return d.step("stepout")
}

// NextInstruction executes one instruction of the current thread; a CALL
// runs to its return (the current goroutine's, in this frame).
func (d *Debugger) NextInstruction() (*api.State, error) {
	d.mu.Lock()
	defer d.mu.Unlock()
	st, err := d.step("next-instruction")
	if errors.Is(err, ptarget.ErrNotOnCall) {
		return d.stepInstruction()
	}
	return st, err
}

// step cancels a step in progress and runs op from the selected frame.
func (d *Debugger) step(op string) (*api.State, error) {
	if w, ok := d.proc().(proc.Prewaker); ok {
		w.Prewake(d.cur) // issue 12: the tracer wakes while the step is planned
	}
	d.cancelStep()
	if _, err := d.live(); err != nil {
		return nil, err
	}
	if d.table() == nil {
		return nil, d.noSymbolsErr()
	}
	d.stepRes = nil
	t := d.tgt
	r, err := t.StepFrom(op, d.from())
	return d.report(t, r, err)
}

// from is the user's selection as a step's start.
func (d *Debugger) from() ptarget.From {
	d.tgt.SetThread(d.cur)
	return ptarget.From{
		Frame: d.frame, OffThread: d.curG != 0, Unwind: d.stepFrames, Goroutine: d.curGoroutine,
		AtReturn: func(tid int) { d.stepRes = d.resultsAt(tid) },
		Prepared: d.preparedFor(),
	}
}

// report makes a step's result the session's stop. An interrupted step
// stays armed: the state says NextInProgress and continue completes it.
func (d *Debugger) report(t *target, r ptarget.Result, err error) (*api.State, error) {
	d.stepping = nil
	if op := t.StepPending(); op != "" {
		d.stepping = t
	}
	if err != nil {
		return nil, err
	}
	d.stopIn(r.Stop)
	st := d.state()
	if !r.Done {
		st.NextInProgress, st.NextOp = true, t.StepPending()
		return st, nil
	}
	if r.Returned {
		d.returned, st.ReturnValues = d.stepRes, d.stepRes
	}
	return st, nil
}

// cancelStep drops a step that was interrupted.
func (d *Debugger) cancelStep() {
	if t := d.stepping; t != nil {
		d.stepping = nil
		t.CancelStep()
	}
}

// resumeStep completes an interrupted step (continue); ok false: none.
func (d *Debugger) resumeStep() (*api.State, bool, error) {
	t := d.stepping
	if t == nil {
		return nil, false, nil
	}
	if t != d.tgt || t.Exited() {
		d.cancelStep()
		return nil, false, nil
	}
	r, _, err := t.ResumeStep()
	st, err := d.report(t, r, err)
	return st, true, err
}
