package target

import (
	"fmt"

	"github.com/godbg/godbg/pkg/proc"
	"github.com/godbg/godbg/pkg/symbols"
)

// Plan plants the temporary breakpoints of op (next, step or stepout)
// from frames, the stack from the selected frame.
func (s *Stepper) Plan(op string, frames []Frame) error {
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
			return fmt.Errorf("frame %d is the outermost: there is no caller to step out to", s.frame)
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
			return err
		}
	}
	if s.owner == "" {
		if fn, _, err := s.frameFunc(&frames[0]); err == nil {
			s.owner = fn.Name
		}
	}
	s.plantDeferCalls()
	return nil
}

// PlanNextInstruction plans next-instruction over the CALL at pc (the
// innermost frame's): ok false when pc is not on a CALL.
func (s *Stepper) PlanNextInstruction(pc uint64) bool {
	in, ok := s.InstAt(pc)
	if !ok || !in.Call {
		return false
	}
	s.op = "next-instruction"
	s.set(pc+uint64(in.Len), stepLine, s.cfa)
	return true
}

// InstAt finds the instruction at run-time pc in the function's code.
func (s *Stepper) InstAt(pc uint64) (symbols.Inst, bool) {
	fn := s.tab.PCToFunc(pc - s.bias)
	if fn == nil {
		return symbols.Inst{}, false
	}
	for _, in := range s.code(fn) {
		if in.PC+s.bias == pc {
			return in, true
		}
	}
	return symbols.Inst{}, false
}

// Cancel removes the step's temporary breakpoints.
func (s *Stepper) Cancel() { s.clear() }

// Enter executes the CALL a thread stopped at (step with the pc on a
// call); done reports that the step ended with it.
func (s *Stepper) Enter(stop *proc.Stop) (Result, bool) {
	done, r := s.enter(stop, false)
	return r, done
}

// Drive runs the program until the step ends or something else stops it.
func (s *Stepper) Drive() (Result, error) {
	for {
		stop, kind, ours, err := s.run()
		if err != nil {
			s.clear()
			return Result{}, err
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
			if done, r := s.enter(stop, true); done {
				return r, nil
			}
			continue
		case s.op == "stepout" && kind == stepRetInsn:
			s.host.AtReturn(stop.Tid)
			continue
		case s.op == "stepout":
			r := s.finish(stop, true)
			r.Returned = true
			return r, nil
		case kind == stepCall: // step's calls on the line, or a wrapper's (any op)
			if done, r := s.enter(stop, false); done {
				return r, nil
			}
			continue
		}
		return s.finish(stop, true), nil
	}
}

// interrupted reports a stop that is not the step's end; the step stays
// armed while the process lives, unless the stepping goroutine itself
// stopped at a breakpoint or watchpoint: that stop ends the step, as in
// Delve (its stepping breakpoints are cleared), so continue runs on from
// the breakpoint instead of coming back to the step.
func (s *Stepper) interrupted(stop *proc.Stop) Result {
	if s.p.Exited() || stop.Reason == proc.StopExited || stop.Pid != s.p.Pid() {
		return s.finish(stop, false)
	}
	if (stop.Reason == proc.StopBreakpoint || stop.Reason == proc.StopWatchpoint) && s.onStepping(stop.Tid) {
		// A breakpoint of the stepping goroutine itself ends the step, as
		// in Delve (TestStepOutBreakpoint): nothing is left to complete.
		return s.finish(stop, false)
	}
	return Result{Stop: stop}
}

// onStepping reports whether thread tid runs the stepping goroutine (or
// is the stepping thread).
func (s *Stepper) onStepping(tid int) bool {
	if s.g == 0 {
		return tid == s.tid
	}
	th, ok := s.p.Thread(tid)
	if !ok {
		return false
	}
	r, err := th.Registers()
	if err != nil {
		return false
	}
	r14, err := r.DWARFRegister(14) // Go keeps g in r14
	return err == nil && r14 == s.g
}
