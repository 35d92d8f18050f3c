package service

import "github.com/godbg/godbg/service/api"

// Client is everything a front end can ask of a debugging session.
//
// Every method but Halt is serialised by the implementation; Halt may be
// called from any goroutine while Continue or StepInstruction runs.
type Client interface {
	// State returns the current state without changing it.
	State() (*api.State, error)
	// Continue resumes every thread until the next stop.
	Continue() (*api.State, error)
	// ContinueWithSignal resumes every thread, the current one with the
	// signal (name or number; "0" resumes it with none, dropping a held one).
	ContinueWithSignal(sig string) (*api.State, error)
	// Next runs the current goroutine to the next source line of the
	// selected frame (count times), over calls; Step stops in a called
	// function's first line; StepOut runs until the selected frame returns.
	Next(count int) (*api.State, error)
	Step() (*api.State, error)
	StepOut() (*api.State, error)
	// StepInstruction executes one instruction on the current thread.
	StepInstruction() (*api.State, error)
	// Halt stops a running Continue (Ctrl-C).
	Halt()

	ListThreads() ([]api.Thread, error)
	SwitchThread(tid int) (*api.Thread, error)

	// Stacktrace unwinds the selected goroutine (or thread): depth frames
	// at most (0: all); full adds each frame's arguments and locals.
	Stacktrace(depth int, full bool) ([]api.Frame, error)
	// SelectFrame makes frame n (0: innermost) the one variables and list
	// use; it returns that frame.
	SelectFrame(n int) (*api.Frame, error)
	// SelectedFrame is the index of the selected frame.
	SelectedFrame() int

	// Eval evaluates a Go expression in the selected frame of the current
	// goroutine: variables, fields, indexing, slicing, len/cap,
	// dereference, casts, arithmetic and comparisons.
	Eval(expr string, cfg api.LoadConfig) (*api.Variable, error)
	// WhatIs returns the type of an expression.
	WhatIs(expr string) (string, error)
	// Locals lists the selected frame's local variables whose names match
	// the regular expression filter (all if empty); Args its parameters
	// and results.
	Locals(filter string, cfg api.LoadConfig) ([]api.Variable, error)
	Args(cfg api.LoadConfig) ([]api.Variable, error)
	// PackageVars lists package variables matching filter (a regular
	// expression over their full names; all if empty).
	PackageVars(filter string, cfg api.LoadConfig) ([]api.Variable, error)
	// SetVariable assigns a value to a variable or an addressable
	// expression of a basic type (numbers, bools, pointers).
	SetVariable(lhs, rhs string) error

	// Goroutines streams the goroutines passing every filter to fn, in
	// the runtime's order, until fn returns false.
	Goroutines(filters []api.GoroutineFilter, fn func(api.Goroutine) bool) error
	// CurrentGoroutine describes the selected goroutine.
	CurrentGoroutine() (*api.Goroutine, error)
	// SwitchGoroutine selects a goroutine: its thread if it runs on one,
	// else its saved context (for stack and variables).
	SwitchGoroutine(id int64) (*api.Goroutine, error)

	ListRegisters(all bool) ([]api.Register, error)
	SetRegister(name string, value uint64) error

	// EvalAddress evaluates an address expression: numbers, $registers,
	// symbols, + and -.
	EvalAddress(expr string) (uint64, error)
	ReadMemory(addr uint64, n int) ([]byte, error)
	// SetMemory evaluates "*(*uint64)(addr)" = value and writes it.
	SetMemory(lhs, rhs string) error

	// ListFunctions returns the names of functions matching the regular
	// expression filter (every function if filter is empty).
	ListFunctions(filter string) ([]string, error)
	// ListSources returns the source files matching filter.
	ListSources(filter string) ([]string, error)
	// ListSource returns the source around a location spec (pkg/locspec
	// syntax; "" means the current thread's pc), context lines each side.
	ListSource(loc string, context int) (*api.SourceListing, error)
	// Disassemble returns the instructions of the function holding a
	// location, or of an address range.
	Disassemble(req api.DisassembleRequest) ([]api.Instruction, error)

	// CreateBreakpoint sets a breakpoint at a location spec with an
	// optional name and Go condition.
	CreateBreakpoint(name, spec, cond string) (*api.Breakpoint, error)
	// CreateCatchpoint stops at events rather than addresses: kind
	// "syscall" with system call names or numbers (none: every call).
	CreateCatchpoint(kind string, args []string) (*api.Breakpoint, error)
	ListBreakpoints() ([]*api.Breakpoint, error)
	// ClearBreakpoint removes the breakpoint with that id or name.
	ClearBreakpoint(idOrName string) (*api.Breakpoint, error)
	// ClearAllBreakpoints removes every breakpoint, or those at a location.
	ClearAllBreakpoints(spec string) (int, error)
	// SetCondition replaces a breakpoint's condition ("" removes it).
	SetCondition(idOrName, cond string) (*api.Breakpoint, error)
	// SetHitCondition makes a breakpoint stop only when its hit count
	// satisfies op n (op is one of == != < <= > >= %).
	SetHitCondition(idOrName, op string, n int) (*api.Breakpoint, error)
	// ToggleBreakpoint enables or disables a breakpoint.
	ToggleBreakpoint(idOrName string) (*api.Breakpoint, error)

	// SignalPolicies lists what happens to each signal.
	SignalPolicies() ([]api.SignalPolicy, error)
	// HandleSignal changes a signal's policy with gdb's keywords: stop,
	// nostop, print, noprint, pass, nopass (stop implies print, noprint
	// implies nostop).
	HandleSignal(sig string, keywords []string) (*api.SignalPolicy, error)

	// ListTargets lists the processes under control (forked children kept
	// by detach-on-fork off, follow-fork-mode child, target follow-exec).
	ListTargets() ([]api.Target, error)
	// SwitchTarget makes the process with pid the current target.
	SwitchTarget(pid int) (*api.State, error)
	// FollowExec turns target follow-exec on (regex: only children whose
	// command line matches; "" all) or off.
	FollowExec(on bool, regex string) error
	// SetForkOption sets follow-fork-mode (parent|child|ask) or
	// detach-on-fork (on|off).
	SetForkOption(name, value string) error
	// ForkSettings reports them.
	ForkSettings() api.ForkSettings
	// FollowFork answers follow-fork-mode ask at a fork stop.
	FollowFork(child bool) (*api.State, error)

	// Libraries lists the shared objects the current target has mapped.
	Libraries() ([]api.Library, error)

	// Dump writes an ELF core file of the current target.
	Dump(path string) error

	// Detach lets the current target run on untraced.
	Detach() error
	// Kill kills the current target.
	Kill() error
	// Restart kills a launched program and starts it again.
	Restart() (*api.State, error)
	// Close ends the session: kills a launched program, detaches from an
	// attached one; does nothing if the program is gone.
	Close() error

	// step: more ways to run.

	// NextInstruction executes one instruction, running a CALL to its return.
	NextInstruction() (*api.State, error)
	// ContinueTo runs until a location spec is reached or something else stops the program.
	ContinueTo(spec string) (*api.State, error)
	// Jump moves the current thread's pc to a location in its function.
	Jump(spec string) (*api.State, error)
	// watch: CreateWatchpoint stops the program when expr's memory is
	// accessed; kind is "w" (write, the default), "r" or "rw".
	CreateWatchpoint(expr, kind string) (*api.Breakpoint, error)
	// call: CallFunction runs a call expression on the current goroutine
	// and returns its results (or "~panic"); unsafe passes pointers into
	// the goroutine's stack.
	CallFunction(expr string, unsafe bool) ([]api.Variable, error)

	// step2: SetPerGHitCondition is SetHitCondition with the hit count
	// kept per goroutine (Delve's condition -per-g-hitcount).
	SetPerGHitCondition(idOrName, op string, n int) (*api.Breakpoint, error)
	// DeferredArgs returns the arguments the n-th deferred call of the
	// selected frame will receive (read from its deferwrap's captures).
	DeferredArgs(n int, cfg api.LoadConfig) ([]api.Variable, error)
}
