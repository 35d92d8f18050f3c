package target

import (
	"fmt"

	"github.com/godbg/godbg/pkg/proc"
	"github.com/godbg/godbg/pkg/proc/core"
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
	// Proc is the live process: it runs and is traced (nil: a core file).
	Proc proc.Process
	// Insp is what every target has, live or a core: threads, registers,
	// memory, the executable (Proc itself when live).
	Insp  proc.Inspector
	Image *Image
	bls   map[uint64]*slot   // the breaklets at each address (bpmux.go)
	hooks RunHooks           // the run loop's (run.go); nil: none
	tid   int                // the current thread
	gr    *goroutines.Reader // made for grImg
	grImg *Image
	// pending is a step another stop interrupted: Continue completes it.
	pending *Stepper
	sysmon  sysmonClock // the runtime's preemption clock (preempt.go)
	// plan: planned counts the steps that ran a plan made in the
	// background (planprep.go).
	planned int
	// arm: armed counts the breaklets steps took staged, sets those
	// SetBreaklet set (planarm.go).
	armed, sets int
	room        int // t.bls was made for this many (planarm.go)
}

// New makes a Target of a process stopped at its start (or attached).
func New(p proc.Process, img *Image) *Target {
	return &Target{Proc: p, Insp: p, Image: img, bls: map[uint64]*slot{}, tid: p.Pid()}
}

// NewCore makes a Target of a core file: it can be inspected, not run.
func NewCore(c proc.Inspector, img *Image) *Target {
	return &Target{Insp: c, Image: img, bls: map[uint64]*slot{}, tid: c.Pid()}
}

// Process is the target's live process (a Group's Member; nil: a core).
func (t *Target) Process() proc.Process { return t.Proc }

// Pid is the process's pid (a core's: the dumped process's).
func (t *Target) Pid() int { return t.Insp.Pid() }

// Exited reports whether the live process is gone; a core never is.
func (t *Target) Exited() bool { return t.Proc != nil && t.Proc.Exited() }

// Parent is the pid of the target the process was forked from (0: none,
// or a core file).
func (t *Target) Parent() int {
	if t.Proc == nil {
		return 0
	}
	return t.Proc.Parent()
}

// IsCore reports whether the target is a core file.
func (t *Target) IsCore() bool { return t.Proc == nil }

// Live returns the live process, or for a core file the error that op
// needs a live process ("a core file cannot run; continue needs a live
// process").
func (t *Target) Live(op string) (proc.Process, error) {
	if t.Proc == nil {
		return nil, core.CannotRun(op)
	}
	return t.Proc, nil
}

// Writable is Live for an operation that changes the process: a core
// file is read-only.
func (t *Target) Writable(op string) (proc.Process, error) {
	if t.Proc == nil {
		return nil, core.ReadOnly(op)
	}
	return t.Proc, nil
}

// Goroutines is the reader of the process's goroutines, made once per
// Image (nil and no error: no symbols).
func (t *Target) Goroutines() (*goroutines.Reader, error) {
	if t.gr != nil && t.grImg == t.Image {
		return t.gr, nil
	}
	tab := t.Image.Table(t.Insp)
	if tab == nil {
		return nil, nil
	}
	r, err := goroutines.NewReader(tab, t.Insp, t.Image.Bias(t.Insp))
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
	regs, ok := ThreadRegs(t.Insp, t.tid)
	if !ok {
		return nil, fmt.Errorf("no registers of thread %d of process %d", t.tid, t.Insp.Pid())
	}
	return t.Image.Unwind(t.Insp, regs, depth)
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
	return t.StepThread(t.tid)
}

// StepThread executes one instruction of thread tid; the others stay
// stopped, and an interrupted step stays armed.
func (t *Target) StepThread(tid int) (*proc.Stop, error) {
	p, err := t.Live("stepping")
	if err != nil {
		return nil, err
	}
	return p.StepInstruction(tid)
}

// stepOp runs op from the innermost frame of the current goroutine (the
// thread's, when it runs no Go code outside the runtime). A stop that is
// not the step's end is returned as it is; the step stays armed and
// Continue completes it.
func (t *Target) stepOp(op string) (*proc.Stop, error) {
	r, err := t.StepFrom(op, From{})
	return r.Stop, err
}

// SetRegister changes register name of thread th; a core file's threads
// are read-only ("setting register rip needs a live process").
func (t *Target) SetRegister(th proc.Thread, name string, value uint64) error {
	rs, ok := th.(proc.RegisterSetter)
	if !ok || t.Proc == nil {
		return core.ReadOnly("setting register " + name)
	}
	return rs.SetRegister(name, value)
}

// RWMemory reads and writes a target's memory.
type RWMemory interface {
	ReadMemory(addr uint64, buf []byte) (int, error)
	WriteMemory(addr uint64, data []byte) (int, error)
}

// Memory is the target's memory: a core file's refuses writes (it is
// read-only: "writing memory needs a live process").
func (t *Target) Memory() RWMemory {
	if t.Proc != nil {
		return t.Proc
	}
	return coreMemory{t.Insp}
}

// coreMemory is a core file's memory, read-only.
type coreMemory struct{ proc.Inspector }

func (m coreMemory) WriteMemory(addr uint64, data []byte) (int, error) {
	return 0, core.ReadOnly("writing memory")
}
