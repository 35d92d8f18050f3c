package target

import (
	"errors"
	"fmt"

	"github.com/godbg/godbg/pkg/proc"
	"github.com/godbg/godbg/pkg/proc/goroutines"
)

// The run loop: a Target resumes its process until a stop worth
// reporting. Stops that only the layer above understands (a watched
// stack moved, a followed exec, the loader's library hook) are handed to
// its RunHooks, which may make another target the one to resume.

// RunHooks are what the layer that owns several targets (service/debugger)
// does around each resumption of Run.
type RunHooks interface {
	// Resuming is called before each resumption of t's process.
	Resuming(t *Target)
	// Stopped is called after each resumption (err: it failed). It returns
	// the target to resume next when the stop is not worth reporting, or
	// nil to report st.
	Stopped(t *Target, st *proc.Stop, err error) (next *Target)
}

// SetHooks makes h the target's run hooks (nil: none).
func (t *Target) SetHooks(h RunHooks) { t.hooks = h }

// Run resumes the process until a stop worth reporting (of this target
// or, through the hooks, of another one), without completing an
// interrupted step (Continue does).
func (t *Target) Run() (*proc.Stop, error) {
	cur := t
	for {
		p, err := cur.Live("continue")
		if err != nil {
			return nil, err
		}
		h := cur.hooks
		if h == nil {
			return cur.resume(p)
		}
		h.Resuming(cur)
		st, err := cur.resume(p)
		next := h.Stopped(cur, st, err)
		if err != nil {
			return nil, err
		}
		if next == nil {
			return st, nil
		}
		cur = next
	}
}

// From says where a step starts; the zero value is the innermost frame
// of the current thread's goroutine.
type From struct {
	// Frame is the selected frame (0: innermost).
	Frame int
	// OffThread: a goroutine selected without its thread (parked); the
	// step follows it, not the thread.
	OffThread bool
	// Unwind returns up to depth frames of the selected goroutine (nil:
	// the current thread's).
	Unwind func(depth int) ([]Frame, error)
	// Goroutine returns the selected goroutine when it is not the one Go
	// code keeps in r14 (nil: the step follows the thread).
	Goroutine func(r *goroutines.Reader) (goroutines.G, error)
	// AtReturn is called when a stepout's frame stands on a RET of thread
	// tid: its results can be read.
	AtReturn func(tid int)
	// Prepared is the preparation made at the stop (nil: none): a step
	// from frame 0 of the current thread takes its plan when nothing it
	// was made from changed (planprep.go).
	Prepared *PreparedStack
}

// ErrNotOnCall is what next-instruction says when the thread does not
// stand on a CALL: a plain instruction step does.
var ErrNotOnCall = errors.New("not on a call instruction")

// Prepare captures the selected frame of from and makes a Stepper of it
// (not planned: Plan or StepFrom do), with the frames from the selected
// one outwards.
func (t *Target) Prepare(from From) (*Stepper, []Frame, error) {
	if _, err := t.Live("continue"); err != nil {
		return nil, nil, err // a step runs the program
	}
	unwind := from.Unwind
	if unwind == nil {
		unwind = t.Frames
	}
	frames, err := unwind(from.Frame + 2)
	if len(frames) <= from.Frame {
		if err == nil {
			err = errors.New("no stack")
		}
		return nil, nil, fmt.Errorf("cannot step: %w", err)
	}
	s := NewStepper(stepHost{t, from}, t.Proc, t.Image, t.tid, from.Frame, frames[from.Frame].CFA)
	if tab := t.Image.Table(t.Proc); tab != nil && tab.IsGo() {
		if r, err := t.Goroutines(); err == nil && r != nil {
			if !from.OffThread && !IsRuntimeFunc(frames[0].Func) && s.FastG(r, frames[0].Regs) {
				return s, frames[from.Frame:], nil
			}
			if from.Goroutine != nil {
				if g, err := from.Goroutine(r); err == nil {
					s.UseGoroutine(r, g)
				}
			}
		}
	}
	return s, frames[from.Frame:], nil
}

// StepFrom cancels an interrupted step and runs op (next, step, stepout,
// next-instruction) from the selection. A stop that is not the step's
// end is returned with Done false: the step stays armed and Continue (or
// ResumeStep) completes it.
func (t *Target) StepFrom(op string, from From) (Result, error) {
	t.CancelStep()
	if op == "next-instruction" && t.IsCore() {
		return Result{}, ErrNotOnCall // StepInstruction says what a core cannot do
	}
	if s, frames, ok := t.takePlan(op, from); ok {
		return t.stepPlanned(s, op, frames)
	}
	s, frames, err := t.Prepare(from)
	if err != nil {
		return Result{}, err
	}
	atTop := from.Frame == 0 && !from.OffThread
	switch op {
	case "next-instruction":
		if from.Frame != 0 || !s.PlanNextInstruction(frames[0].PC) {
			return Result{}, ErrNotOnCall
		}
	default:
		if err := s.Plan(op, frames); err != nil {
			return Result{}, err
		}
		if atTop {
			return t.stepPlanned(s, op, frames)
		}
	}
	r, err := s.Drive()
	return t.finish(s, r, err)
}

// stepPlanned runs op, planned from frame 0 of the current thread (its
// frames from there).
func (t *Target) stepPlanned(s *Stepper, op string, frames []Frame) (Result, error) {
	if pc := frames[0].PC; op == "step" {
		if in, ok := s.InstAt(pc); ok && in.Call { // no breakpoint there will be hit: enter it now
			if r, done := s.Enter(&proc.Stop{Reason: proc.StopBreakpoint, Pid: t.Proc.Pid(), Tid: t.tid, Addr: pc}); done {
				return t.finish(s, r, nil)
			}
		}
	}
	r, err := s.Drive()
	return t.finish(s, r, err)
}

func (t *Target) finish(s *Stepper, r Result, err error) (Result, error) {
	if err != nil {
		return Result{}, err
	}
	if !r.Done {
		t.pending = s
	}
	if r.Stop.Tid != 0 && (r.Stop.Pid == 0 || r.Stop.Pid == t.Proc.Pid()) {
		t.tid = r.Stop.Tid
	}
	return r, nil
}

// StepPending is the command of an interrupted step ("": none).
func (t *Target) StepPending() string {
	if t.pending == nil {
		return ""
	}
	return t.pending.Op()
}

// ResumeStep completes an interrupted step; ok false: there is none.
func (t *Target) ResumeStep() (r Result, ok bool, err error) {
	s := t.pending
	if s == nil {
		return Result{}, false, nil
	}
	t.pending = nil
	r, err = s.Drive()
	r, err = t.finish(s, r, err)
	return r, true, err
}

// CancelStep drops an interrupted step.
func (t *Target) CancelStep() {
	if s := t.pending; s != nil {
		t.pending = nil
		s.Cancel()
	}
}

// stepHost hosts a Target's steps on its breaklets and its run loop.
type stepHost struct {
	t    *Target
	from From
}

func (h stepHost) SetBreaklet(p proc.Process, addr uint64, cond proc.BreakCond) error {
	return h.t.SetBreaklet(addr, OwnerStep, cond)
}

func (h stepHost) ClearBreaklet(p proc.Process, addr uint64) { h.t.ClearBreaklet(addr, OwnerStep) }

// StepFired: the step's breaklet stopped the thread and no user
// breakpoint did.
func (h stepHost) StepFired(p proc.Process, st *proc.Stop) bool {
	return h.t.FiredAlone(st, OwnerStep)
}

func (h stepHost) Run(p proc.Process) (*proc.Stop, error) { return h.t.Run() }

func (h stepHost) Unwind(depth int) ([]Frame, error) {
	if h.from.Unwind != nil {
		return h.from.Unwind(depth)
	}
	return h.t.Frames(depth)
}

func (h stepHost) AtReturn(tid int) {
	if h.from.AtReturn != nil {
		h.from.AtReturn(tid)
	}
}
