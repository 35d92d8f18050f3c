package target

import (
	"fmt"

	"github.com/godbg/godbg/pkg/proc"
	"github.com/godbg/godbg/pkg/proc/goroutines"
)

// Target is one process under control on its own: its backend, the Image
// it runs, the breaklets at its addresses, its current thread, and
// source-level stepping (Next, Step, StepOut) hosted on those breaklets.
// service/debugger and the in-process tests drive programs through it;
// the debugger's RunHooks handle what concerns several targets
// (watchpoints, exec and library events).
//
// A Target is not safe for concurrent use.
type Target struct {
	Proc  proc.Process
	Image *Image
	bls   map[uint64]*slot   // the breaklets at each address (bpmux.go)
	hooks RunHooks           // the run loop's (run.go); nil: none
	tid   int                // the current thread
	gr    *goroutines.Reader // made for grImg
	grImg *Image
	// pending is a step another stop interrupted: Continue completes it.
	pending *Stepper
}

// New makes a Target of a process stopped at its start (or attached).
func New(p proc.Process, img *Image) *Target {
	return &Target{Proc: p, Image: img, bls: map[uint64]*slot{}, tid: p.Pid()}
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

// Continue resumes the process until it stops (completing an interrupted
// step first) and makes the stopped thread current. A stop at Go's
// runtime.Breakpoint is reported in its caller, at the call's line.
func (t *Target) Continue() (*proc.Stop, error) {
	if r, ok, err := t.ResumeStep(); ok {
		return r.Stop, err
	}
	st, err := t.Run()
	if err != nil {
		return nil, err
	}
	if st.Pid != 0 && st.Pid != t.Proc.Pid() {
		return st, nil // another target's stop (hooks)
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
func (t *Target) Next() (*proc.Stop, error) { return t.stepOp("next") }

// Step steps into the calls of the current line.
func (t *Target) Step() (*proc.Stop, error) { return t.stepOp("step") }

// StepOut runs until the current function returns to its caller.
func (t *Target) StepOut() (*proc.Stop, error) { return t.stepOp("stepout") }

// StepInstruction executes one instruction of the current thread.
func (t *Target) StepInstruction() (*proc.Stop, error) {
	t.CancelStep()
	return t.Proc.StepInstruction(t.tid)
}

// stepOp runs op from the innermost frame of the current goroutine (the
// thread's, when it runs no Go code outside the runtime). A stop that is
// not the step's end is returned as it is; the step stays armed and
// Continue completes it.
func (t *Target) stepOp(op string) (*proc.Stop, error) {
	r, err := t.StepFrom(op, From{})
	return r.Stop, err
}
