package target

import (
	"fmt"

	"github.com/godbg/godbg/pkg/proc"
	"github.com/godbg/godbg/pkg/proc/goroutines"
)

// Target is one process under control on its own: its backend, the Image
// it runs, the breaklets at its addresses, its current thread, and
// source-level stepping (Next, Step, StepOut) hosted on those breaklets.
// The in-process tests drive programs through it. service/debugger hosts
// the Stepper itself (several targets, jump pads, watchpoints, exec and
// library events); see doc.go.
//
// A Target is not safe for concurrent use.
type Target struct {
	Proc  proc.Process
	Image *Image
	bls   map[uint64]*Breaklets
	tid   int                // the current thread
	gr    *goroutines.Reader // made for grImg
	grImg *Image
	// pending is a step another stop interrupted: Continue completes it.
	pending *Stepper
}

// OwnerStep owns the breaklets of a Target's steps; callers number their
// own breakpoints from 1.
const OwnerStep = -1

// New makes a Target of a process stopped at its start (or attached).
func New(p proc.Process, img *Image) *Target {
	return &Target{Proc: p, Image: img, bls: map[uint64]*Breaklets{}, tid: p.Pid()}
}

// Process is the target's process (a Group's Member).
func (t *Target) Process() proc.Process { return t.Proc }

// Goroutines is the reader of the process's goroutines, made once per
// Image (nil and no error: no symbols).
func (t *Target) Goroutines() (*goroutines.Reader, error) {
	if t.gr != nil && t.grImg == t.Image {
		return t.gr, nil
	}
	tab := t.Image.Table(t.Proc)
	if tab == nil {
		return nil, nil
	}
	r, err := goroutines.NewReader(tab, t.Proc, t.Image.Bias(t.Proc))
	if err != nil {
		return nil, err
	}
	t.gr, t.grImg = r, t.Image
	return r, nil
}

// Thread is the current thread: the one the last stop was reported for,
// or the one SetThread chose.
func (t *Target) Thread() int { return t.tid }

// SetThread makes tid the current thread.
func (t *Target) SetThread(tid int) { t.tid = tid }

// SetBreaklet adds owner's breaklet (cond nil: always stops) at addr,
// beside the others there.
func (t *Target) SetBreaklet(addr uint64, owner int, cond proc.BreakCond) error {
	if bl := t.bls[addr]; bl != nil {
		bl.Put(owner, cond)
		return nil
	}
	bl := NewBreaklets(owner, cond)
	if err := t.Proc.SetBreakpoint(addr, bl.Eval); err != nil {
		return err
	}
	t.bls[addr] = bl
	return nil
}

// ClearBreaklet removes owner's breaklet at addr; the last one removes
// the breakpoint.
func (t *Target) ClearBreaklet(addr uint64, owner int) {
	if bl := t.bls[addr]; bl != nil && !bl.Drop(owner) {
		delete(t.bls, addr)
		t.Proc.ClearBreakpoint(addr)
	}
}

// Breaklets are those at addr (nil: none).
func (t *Target) Breaklets(addr uint64) *Breaklets { return t.bls[addr] }

// Fired reports whether owner's breaklet stopped the thread of st.
func (t *Target) Fired(st *proc.Stop, owner int) bool {
	bl := t.bls[st.Addr]
	return st.Reason == proc.StopBreakpoint && bl != nil && bl.FiredFor(st.Tid, owner)
}

// Continue resumes the process until it stops (completing an interrupted
// step first) and makes the stopped thread current. A stop at Go's
// runtime.Breakpoint is reported in its caller, at the call's line.
func (t *Target) Continue() (*proc.Stop, error) {
	if s := t.pending; s != nil {
		t.pending = nil
		r, err := s.Drive()
		return t.finish(s, r, err)
	}
	st, err := t.Proc.Continue()
	if err != nil {
		return nil, err
	}
	t.tid = st.Tid
	if st.Reason == proc.StopTrap {
		t.Image.LeaveRuntimeBreakpoint(t.Proc, st.Tid)
	}
	return st, nil
}

// Frames are up to depth frames of the current thread.
func (t *Target) Frames(depth int) ([]Frame, error) {
	regs, ok := ThreadRegs(t.Proc, t.tid)
	if !ok {
		return nil, fmt.Errorf("no registers of thread %d of process %d", t.tid, t.Proc.Pid())
	}
	return t.Image.Unwind(t.Proc, regs, depth)
}

// Next steps over the current line of the current goroutine (thread).
func (t *Target) Next() (*proc.Stop, error) { return t.step("next") }

// Step steps into the calls of the current line.
func (t *Target) Step() (*proc.Stop, error) { return t.step("step") }

// StepOut runs until the current function returns to its caller.
func (t *Target) StepOut() (*proc.Stop, error) { return t.step("stepout") }

// StepInstruction executes one instruction of the current thread.
func (t *Target) StepInstruction() (*proc.Stop, error) {
	t.cancel()
	return t.Proc.StepInstruction(t.tid)
}

// step plans op from the innermost frame of the current goroutine (the
// thread's, when it runs no Go code outside the runtime) and drives it. A
// stop that is not the step's end is returned as it is; the step stays
// armed and Continue completes it.
func (t *Target) step(op string) (*proc.Stop, error) {
	t.cancel()
	frames, err := t.Frames(2)
	if len(frames) == 0 {
		return nil, fmt.Errorf("cannot %s: no stack: %w", op, err)
	}
	s := NewStepper(stepHost{t}, t.Proc, t.Image, t.tid, 0, frames[0].CFA)
	if tab := t.Image.Table(t.Proc); tab != nil && tab.IsGo() && !IsRuntimeFunc(frames[0].Func) {
		if gr, _ := t.Goroutines(); gr != nil {
			s.FastG(gr, frames[0].Regs)
		}
	}
	if err := s.Plan(op, frames); err != nil {
		return nil, err
	}
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

func (t *Target) finish(s *Stepper, r Result, err error) (*proc.Stop, error) {
	if err != nil {
		return nil, err
	}
	if !r.Done {
		t.pending = s
	}
	t.tid = r.Stop.Tid
	return r.Stop, nil
}

// cancel drops an interrupted step.
func (t *Target) cancel() {
	if s := t.pending; s != nil {
		t.pending = nil
		s.Cancel()
	}
}

// stepHost hosts a Target's steps on its breaklets.
type stepHost struct{ t *Target }

func (h stepHost) SetBreaklet(p proc.Process, addr uint64, cond proc.BreakCond) error {
	return h.t.SetBreaklet(addr, OwnerStep, cond)
}

func (h stepHost) ClearBreaklet(p proc.Process, addr uint64) { h.t.ClearBreaklet(addr, OwnerStep) }

// StepFired: the step's breaklet stopped the thread and no other did.
func (h stepHost) StepFired(p proc.Process, st *proc.Stop) bool {
	bl := h.t.bls[st.Addr]
	if bl == nil || !bl.FiredFor(st.Tid, OwnerStep) {
		return false
	}
	for _, o := range bl.owners {
		if o != OwnerStep && bl.FiredFor(st.Tid, o) {
			return false
		}
	}
	return true
}

func (h stepHost) Run(p proc.Process) (*proc.Stop, error) { return p.Continue() }

func (h stepHost) Unwind(depth int) ([]Frame, error) { return h.t.Frames(depth) }

func (h stepHost) AtReturn(tid int) {}
