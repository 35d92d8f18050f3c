package debugger

import (
	"encoding/binary"
	"errors"
	"fmt"

	"github.com/godbg/godbg/pkg/proc"
	"github.com/godbg/godbg/pkg/proc/expr"
	ptarget "github.com/godbg/godbg/pkg/proc/target"
	"github.com/godbg/godbg/pkg/proc/values"
	"github.com/godbg/godbg/pkg/proc/variables"
	"github.com/godbg/godbg/pkg/symbols"
	"github.com/godbg/godbg/service/api"
)

// Source-level stepping lives in pkg/proc/target (its Stepper); the
// debugger hosts it: the step's temporary breakpoints are breaklets of
// the multiplexer (bpmux.go) owned by ownStep, the run loop is runToStop,
// and a stop ends in the user's selection and an api.State.

// stepper is one step of the session.
type stepper struct {
	*ptarget.Stepper
	d   *Debugger
	res []api.Variable // stepout: the results read at the RET
}

// newStepper captures the selected frame of the current goroutine.
func (d *Debugger) newStepper() (*stepper, []ptarget.Frame, error) {
	p, err := d.live()
	if err != nil {
		return nil, nil, err
	}
	tab := d.table()
	if tab == nil {
		return nil, nil, d.noSymbolsErr()
	}
	frames, err := d.stepFrames(d.frame + stepDepth)
	if len(frames) <= d.frame {
		if err == nil {
			err = errors.New("no stack")
		}
		return nil, nil, fmt.Errorf("cannot step: %w", err)
	}
	s := &stepper{d: d}
	s.Stepper = ptarget.NewStepper(s, p, d.tgt.img.bin, d.cur, d.frame, frames[d.frame].CFA)
	if tab.IsGo() {
		if r, err := d.goReader(); err == nil {
			if d.curG == 0 && !isRuntimeFunc(frames[0].Func) && s.FastG(r, frames[0].Regs) {
				return s, frames[d.frame:], nil
			}
			if g, err := d.curGoroutine(r); err == nil {
				s.UseGoroutine(r, g)
			}
		}
	}
	return s, frames[d.frame:], nil
}

func (s *stepper) SetBreaklet(p proc.Process, addr uint64, cond proc.BreakCond) error {
	return s.d.setBP(p, addr, ownStep, cond)
}

func (s *stepper) ClearBreaklet(p proc.Process, addr uint64) { s.d.clearBP(p, addr, ownStep) }

func (s *stepper) StepFired(p proc.Process, st *proc.Stop) bool {
	return s.d.firedFor(p, st.Addr, st.Tid, ownStep) && !s.d.userFired(p, st)
}

func (s *stepper) Run(p proc.Process) (*proc.Stop, error) { return s.d.runToStop(p) }

func (s *stepper) Unwind(depth int) ([]ptarget.Frame, error) { return s.d.unwind(depth) }

func (s *stepper) AtReturn(tid int) { s.res = s.d.resultsAt(tid) }

// drive runs the step and reports where it ended.
func (s *stepper) drive() (*api.State, error) {
	r, err := s.Drive()
	if err != nil {
		if s.d.stepPending == s {
			s.d.stepPending = nil
		}
		return nil, err
	}
	return s.report(r), nil
}

// report makes a step's result the session's stop. An interrupted step
// stays armed: the state says NextInProgress and continue completes it.
func (s *stepper) report(r ptarget.Result) *api.State {
	if !r.Done {
		s.d.stepPending = s
		s.d.stopIn(r.Stop)
		st := s.d.state()
		st.NextInProgress, st.NextOp = true, s.Op()
		return st
	}
	if s.d.stepPending == s {
		s.d.stepPending = nil
	}
	s.d.stopIn(r.Stop)
	st := s.d.state()
	if r.Returned {
		s.d.returned, st.ReturnValues = s.res, s.res
	}
	return st
}

// code returns a function's instructions (cached per image).
func (d *Debugger) code(fn *symbols.Func) []symbols.Inst {
	return d.tgt.img.bin.Code(d.proc(), fn)
}

// userFired reports whether a user breakpoint stopped the thread of st.
func (d *Debugger) userFired(p proc.Process, st *proc.Stop) bool {
	b := d.tgt.img.byAddr[st.Addr]
	if t := d.group.Get(st.Pid); t != nil {
		b = t.img.byAddr[st.Addr]
	}
	return b != nil && d.firedFor(p, st.Addr, st.Tid, b.ID)
}

// resultsAt reads the results of the function thread tid is about to
// return from (it stands on a RET).
func (d *Debugger) resultsAt(tid int) []api.Variable {
	regs, ok := ptarget.ThreadRegs(d.proc(), tid)
	if !ok {
		return nil
	}
	frames, _ := ptarget.Unwind(d.table(), d.bias(), regs, d.proc(), 2)
	if len(frames) == 0 {
		return nil
	}
	vf, err := d.varFrame(&frames[0])
	if err != nil {
		return nil
	}
	l, err := d.loader()
	if err != nil {
		return nil
	}
	sc := expr.NewFrameScope(d.table(), vf, l, d.proc())
	var out []api.Variable
	for _, v := range vf.Args() {
		if v.Kind == variables.Result {
			out = append(out, apiVariable(sc.LoadVar(v, values.DefaultLoadConfig), false, 0))
		}
	}
	return out
}

// runToStop continues every target until a stop worth reporting,
// following execs as Continue does.
func (d *Debugger) runToStop(p proc.Process) (*proc.Stop, error) {
	d.noteGoProgram()
	for {
		d.watchResync()   // watch
		d.warmGate.Hold() // churn
		st, err := p.Continue()
		d.warmGate.Stopped(err == nil && st.Reason == proc.StopExited && p.Exited())
		if err != nil {
			return nil, err
		}
		d.syncTargets()
		if d.watchStop(p, st) { // watch: a watched stack moved
			continue
		}
		if st.Reason == proc.StopExec && !d.afterExec(st) {
			p = d.proc()
			continue
		}
		if d.solibEvent(st) {
			continue // the loader changed the libraries: breakpoints were updated
		}
		return st, nil
	}
}

func leUint64(b []byte) uint64 { return binary.LittleEndian.Uint64(b) }
