package debugger

import (
	"fmt"

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
		if done, st := s.enter(stop, false); done {
			return st, nil
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
	in, ok := s.instAt(r.PC())
	if !ok || !in.Call {
		return nil, false
	}
	return &proc.Stop{Reason: proc.StopBreakpoint, Pid: s.p.Pid(), Tid: th.ID(), Addr: r.PC()}, true
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
	d.cancelStep()
	s, frames, err := d.newStepper()
	if err != nil {
		return nil, err
	}
	s.op = op
	switch op {
	case "stepout":
		if s.stepOutInlined(frames) {
			break
		}
		if name, k, ok := s.rangeAnchor(&frames); ok {
			s.useAnchor(name, frames[k].CFA)
			frames = frames[k:] // out of the range-over-func parent
		}
		r := returnIndex(frames)
		if r >= len(frames) || frames[r].PC == 0 {
			return nil, fmt.Errorf("frame %d is the outermost: there is no caller to step out to", d.frame)
		}
		s.set(frames[r].PC, stepRet, s.cfa)
		if _, code, err := s.frameFunc(&frames[0]); err == nil {
			for _, in := range code {
				if in.Ret {
					s.set(in.PC+s.bias, stepRetInsn, s.cfa)
				}
			}
		}
	default:
		if name, k, ok := s.rangeAnchor(&frames); ok {
			f0 := frames[0]
			s.useAnchor(name, frames[k].CFA)
			s.planRange(frames, k)
			if _, code, err := s.frameFunc(&f0); err == nil && op == "step" {
				s.planCalls(&f0, code, f0.CFA)
			}
			if r := k + returnIndex(frames[k:]); r < len(frames) && frames[r].PC != 0 {
				s.set(frames[r].PC, stepRet, s.cfa)
			}
			break
		}
		if err := s.planFrame(frames, op == "step"); err != nil {
			s.clear()
			return nil, err
		}
	}
	if s.owner == "" {
		if fn, _, err := s.frameFunc(&frames[0]); err == nil {
			s.owner = fn.Name
		}
	}
	s.plantDeferCalls()
	return s, nil
}

// cancelStep drops a step that was interrupted.
func (d *Debugger) cancelStep() {
	if s := d.stepPending; s != nil {
		d.stepPending = nil
		s.clear()
	}
}

// resumeStep completes an interrupted step (continue); ok false: none.
func (d *Debugger) resumeStep() (*api.State, bool, error) {
	s := d.stepPending
	if s == nil {
		return nil, false, nil
	}
	if s.p != d.proc() || s.p.Exited() {
		d.cancelStep()
		return nil, false, nil
	}
	st, err := s.drive()
	return st, true, err
}

// drive runs the program until the step ends or something else stops it.
func (s *stepper) drive() (*api.State, error) {
	for {
		stop, kind, ours, err := s.run()
		if err != nil {
			s.clear()
			if s.d.stepPending == s {
				s.d.stepPending = nil
			}
			return nil, err
		}
		if !ours {
			return s.interrupted(stop), nil
		}
		switch {
		case kind == stepRet && s.passesOut(stop.Addr) && s.outOf(stop):
			continue // returned into a wrapper or the runtime's deferred-call loop: on out
		case kind == stepBack:
			continue // back from a skipped callee, mid-line: on to the line's end
		case kind == stepDefer:
			if done, st := s.enter(stop, true); done {
				return st, nil
			}
			continue
		case s.op == "stepout" && kind == stepRetInsn:
			s.res = s.d.resultsAt(stop.Tid)
			continue
		case s.op == "stepout":
			st := s.finish(stop, true)
			s.d.returned, st.ReturnValues = s.res, s.res
			return st, nil
		case kind == stepCall: // step's calls on the line, or a wrapper's (any op)
			if done, st := s.enter(stop, false); done {
				return st, nil
			}
			continue
		}
		return s.finish(stop, true), nil
	}
}

// interrupted reports a stop that is not the step's end; the step stays
// armed while the process lives.
func (s *stepper) interrupted(stop *proc.Stop) *api.State {
	if s.p.Exited() || stop.Reason == proc.StopExited || stop.Pid != s.p.Pid() {
		return s.finish(stop, false)
	}
	s.d.stepPending = s
	s.d.stopIn(stop)
	st := s.d.state()
	st.NextInProgress, st.NextOp = true, s.op
	return st
}
