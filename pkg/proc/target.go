package proc

import (
	"errors"
	"fmt"
)

// The backend contract is split by capability: an Inspector is what
// every target has, a live process or a core file (threads, registers,
// memory, the executable); a Process is a live one, which also runs
// (Runner) and is traced with settings (Tracer). A core file implements
// Inspector only: it has nothing that runs and no settings to ignore.

// Inspector is what every target has, live or read from a core file.
type Inspector interface {
	Pid() int
	// Executable returns the path of the program's executable file.
	Executable() string
	// EntryPoint returns the run-time address of the executable's entry
	// point (AT_ENTRY); with the link-time entry it gives a PIE's load bias.
	EntryPoint() (uint64, error)
	// Threads returns the threads of a stopped process, ordered by tid.
	Threads() []Thread
	// Thread returns the thread with the given tid.
	Thread(tid int) (Thread, bool)
	// ReadMemory reads len(buf) bytes at addr.
	ReadMemory(addr uint64, buf []byte) (int, error)
	// ReadText reads code as the program sees it, breakpoints hidden.
	ReadText(addr uint64, buf []byte) (int, error)
	// CommandLine returns the process's argv as /proc shows it.
	CommandLine() []string
}

// Process is one traced process under all-stop control.
//
// Thread-safety: every method except RequestHalt and Pid must be called from
// one goroutine at a time (service/debugger serialises them). RequestHalt may
// be called from any goroutine, typically a signal handler goroutine, while
// Continue is blocked.
type Process interface {
	Inspector
	Runner
	Tracer
}

// Runner runs, changes and ends a live process.
type Runner interface {
	// Launched reports whether the debugger started the process (as opposed to attaching).
	Launched() bool
	// Continue resumes every thread and blocks until the process stops again
	// (every thread halted) or exits. Events observed meanwhile (new and
	// exited threads, passed signals) go to the handler set by SetEventHandler.
	Continue() (*Stop, error)
	// QueueSignal makes the next Continue deliver sig to thread tid
	// (replacing a signal held for it); 0 clears it.
	QueueSignal(tid, sig int) error
	// StepInstruction single-steps one thread; the others stay stopped.
	StepInstruction(tid int) (*Stop, error)
	// RequestHalt asks a running Continue to stop every thread and return.
	// The request lasts until a Continue or StepInstruction returns
	// StopHalted: made while nothing runs, it halts the next one at once.
	RequestHalt()
	// WriteMemory writes data at addr (text included).
	WriteMemory(addr uint64, data []byte) (int, error)
	// SetBreakpoint plants a breakpoint at a run-time address; cond (nil:
	// always stop) is evaluated on the tracer thread at each hit.
	SetBreakpoint(addr uint64, cond BreakCond) error
	// ClearBreakpoint removes it.
	ClearBreakpoint(addr uint64) error
	// Detach removes every breakpoint and lets the process run on untraced.
	Detach() error
	// Kill kills the process and reaps it.
	Kill() error
	// Exited reports whether the process has exited.
	Exited() bool

	// Several processes. Every process a program forks is traced by the
	// same backend; the fork policy decides which stay as targets. All
	// targets share one all-stop: Continue on any of them resumes every
	// target and returns when any stops (Stop.Pid says which); a stop
	// halts all of them. The Tracer's settings apply to every target.

	// Targets returns every process under control, ordered by pid.
	Targets() []Process
	// Parent returns the pid of the target this one was forked from (0:
	// none).
	Parent() int
}

// Tracer holds the settings of how a live process is traced. Each is
// consulted on the backend's tracer thread.
type Tracer interface {
	// SetSignalPolicy installs what to do with each signal the program
	// receives (see DefaultSignalPolicy). It is called on the tracer thread.
	SetSignalPolicy(func(sig int) SignalPolicy)
	// SetSyscallCatch configures system-call stops: catch (nil: none) says
	// whether entering system call nr stops the process (its exit then stops
	// too); trace reports every entry and exit as an EventSyscall. Both
	// are consulted on the tracer thread.
	SetSyscallCatch(catch func(nr uint64) bool, trace bool)
	// SyscallFilter lists the system calls a seccomp filter installed at
	// launch stops at (nil: no filter). UseSyscallFilter(true) says every
	// caught call is among them, so no other call needs to stop.
	SyscallFilter() []uint64
	UseSyscallFilter(bool)
	// SetStopOnExec makes an execve stop the process (StopExec), so that
	// breakpoints can be set in the new image before it runs.
	SetStopOnExec(bool)
	// SetEventHandler installs the sink for asynchronous events. It is
	// called on the backend's tracer thread and must be quick.
	SetEventHandler(func(Event))
	// SetForkPolicy installs what happens at each fork, vfork or clone
	// that makes a process (nil: the child is let go, as gdb's default).
	// It is called on the tracer thread.
	SetForkPolicy(func(Fork) ForkAction)
	// SetQuiet makes breakpoint hits in this process never stop it (a
	// child traced only to see what it executes).
	SetQuiet(bool)
}

// Fork describes a new child process at its creation.
type Fork struct {
	Parent, Child int
	VFork         bool // vfork or CLONE_VFORK: shares the parent's memory until exec
}

// ForkAction says what to do with a new child process.
type ForkAction struct {
	// Keep traces the child as a target; otherwise its text is cleaned of
	// breakpoints and it runs on untraced.
	Keep bool
	// Quiet: breakpoint hits in the kept child never stop it.
	Quiet bool
	// DetachParent lets the parent go (follow-fork-mode child).
	DetachParent bool
	// Stop halts every target and returns StopFork.
	Stop bool
}

// Thread is one thread of a stopped process (live or in a core file).
type Thread interface {
	ID() int
	// Registers returns the thread's registers (cached until the next resume).
	Registers() (Registers, error)
	// State describes why the thread is stopped ("stopped", "signal SIGSEGV", ...).
	State() string
}

// RegisterSetter is a thread of a live process: its registers can be
// changed. A core file's threads are not.
type RegisterSetter interface {
	// SetRegister changes one register by name (as listed by Registers).
	SetRegister(name string, value uint64) error
}

// Registers is a snapshot of one thread's registers.
type Registers interface {
	PC() uint64
	SP() uint64
	BP() uint64
	// List returns the general-purpose registers; all adds flags, segment,
	// x87 and SSE state.
	List(all bool) []Register
	// DWARFRegister returns a register by its DWARF number (amd64: 0 rax,
	// 1 rdx, 2 rcx, 3 rbx, 4 rsi, 5 rdi, 6 rbp, 7 rsp, 8-15 r8-r15, 16 rip,
	// 17-32 the low 64 bits of xmm0-xmm15), without allocating.
	DWARFRegister(n int) (uint64, error)
}

// Register is one named register value. Wide registers (x87, SSE) carry
// their bytes in Bytes and leave Value zero.
type Register struct {
	Name  string
	Value uint64
	Bytes []byte
	// Text is an optional human rendering (decoded flags, for instance).
	Text string
}

// StopReason says why a process stopped.
type StopReason int

const (
	StopNone       StopReason = iota
	StopLaunched              // just launched, before the first instruction
	StopAttached              // just attached
	StopHalted                // a halt request (Ctrl-C) stopped it
	StopSignal                // a signal that should stop it arrived
	StopTrap                  // an int3 not set by the debugger, or a SIGTRAP
	StopStepped               // a single-step completed
	StopExited                // the process exited or was killed by a signal
	StopThreadExit            // the stepped thread exited
	StopBreakpoint            // a breakpoint set with SetBreakpoint was hit
	StopSyscall               // a caught system call was entered or returned
	StopExec                  // the process executed a new program (SetStopOnExec)
	StopFork                  // a process forked (ForkAction.Stop); Child is set
	// watch: a watchpoint (Watcher.SetWatchpoint) was hit; Addr is its address.
	StopWatchpoint
)

// Stop describes one stop of a process.
type Stop struct {
	Reason StopReason
	Pid    int // the target that stopped
	Tid    int // thread that caused the stop (0 if none)
	Signal int // signal number for StopSignal
	// Exit status when Reason == StopExited: ExitCode if the process called
	// exit, KilledBy if a signal killed it.
	ExitCode int
	KilledBy int
	// Addr is the breakpoint's address for StopBreakpoint.
	Addr uint64
	// CondErr is set when a breakpoint condition failed to evaluate.
	CondErr error
	// Syscall describes the call for StopSyscall.
	Syscall *Syscall
	// Child and VFork describe the new process for StopFork.
	Child int
	VFork bool
}

// Syscall is one system call seen at its entry or exit.
type Syscall struct {
	Nr    uint64
	Args  [6]uint64
	Entry bool
	Ret   uint64 // at exit
}

// EventKind is the kind of an asynchronous event.
type EventKind int

const (
	EventNewThread EventKind = iota
	EventThreadExit
	EventSignal // a signal passed to the program without stopping
	EventExec
	EventFork    // Pid is the new child, Parent its parent; Kept: it is a target
	EventSyscall // a traced system call entered or returned (Syscall set)
	EventExit    // a target other than the continued one exited (ExitCode/KilledBy)
	EventDetach  // a target was let go (follow-fork-mode child)
)

// Event is something that happened while the process ran.
type Event struct {
	Kind   EventKind
	Pid    int
	Tid    int
	Signal int
	Passed bool // for EventSignal: delivered to the program
	// Syscall for EventSyscall.
	Syscall *Syscall
	// Parent, Kept and VFork for EventFork.
	Parent int
	Kept   bool
	VFork  bool
	// ExitCode and KilledBy for EventExit.
	ExitCode, KilledBy int
}

// ErrProcessExited is returned by operations on an exited process.
type ErrProcessExited struct {
	Pid      int
	ExitCode int
	KilledBy int
}

func (e ErrProcessExited) Error() string {
	if e.KilledBy != 0 {
		return fmt.Sprintf("process %d has exited (killed by signal %d)", e.Pid, e.KilledBy)
	}
	return fmt.Sprintf("process %d has exited with status %d", e.Pid, e.ExitCode)
}

var (
	// ErrNoSuchThread is returned for a tid that is not a thread of the process.
	ErrNoSuchThread = errors.New("no such thread")
	// ErrUnknownRegister is returned for a register name the backend does not know.
	ErrUnknownRegister = errors.New("unknown register")
	// ErrDetached is returned by operations on a process the debugger let go.
	ErrDetached = errors.New("detached from the process")
	// ErrNotSupported is returned by a backend that cannot do an operation.
	ErrNotSupported = errors.New("operation not supported by this target")
)
