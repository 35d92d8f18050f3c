// Package api holds the plain, serialisable values service.Client returns.
package api

// Location is a code address with what the symbols say of it.
type Location struct {
	PC       uint64 `json:"pc"`
	Function string `json:"function,omitempty"`
	Offset   uint64 `json:"offset,omitempty"` // pc - function entry
	File     string `json:"file,omitempty"`
	Line     int    `json:"line,omitempty"`
	// Library is the shared object holding PC, when it is not the
	// executable ("" otherwise).
	Library string `json:"library,omitempty"`
}

// Thread is one thread of the stopped program.
type Thread struct {
	ID       int      `json:"id"`
	Location Location `json:"location"`
	SP       uint64   `json:"sp"`
	State    string   `json:"state"`
	Current  bool     `json:"current"`
	// Goroutine is the goroutine the thread runs (Go programs; 0: none).
	Goroutine int64 `json:"goroutine,omitempty"`
}

// State is the debugger's state after an operation.
type State struct {
	Pid      int    `json:"pid"`
	Launched bool   `json:"launched"`
	Exited   bool   `json:"exited"`
	Detached bool   `json:"detached,omitempty"`
	ExitCode int    `json:"exitCode"`
	KilledBy string `json:"killedBy,omitempty"` // signal name if a signal killed it
	// Reason is why it stopped: "launched", "attached", "halted",
	// "signal", "trap", "stepped", "exited", "thread-exited",
	// "breakpoint", "syscall", "fork", "exec".
	Reason string `json:"reason"`
	Signal string `json:"signal,omitempty"` // for reason "signal"
	// SignalPasses: continue will deliver Signal to the program.
	SignalPasses bool `json:"signalPasses,omitempty"`
	// StopThread caused the stop (0 if none); CurrentThread is selected.
	StopThread    int     `json:"stopThread,omitempty"`
	CurrentThread *Thread `json:"currentThread,omitempty"`
	Threads       int     `json:"threads"`
	// Breakpoint is the breakpoint hit, for reason "breakpoint".
	Breakpoint *Breakpoint `json:"breakpoint,omitempty"`
	// Syscall is the caught system call, for reason "syscall".
	Syscall *Syscall `json:"syscall,omitempty"`
	// CondError says why a breakpoint condition could not be evaluated.
	CondError string `json:"condError,omitempty"`
	// Child is the new process for reason "fork" (VFork: made by vfork);
	// Exec the new command line for reason "exec".
	Child int    `json:"child,omitempty"`
	VFork bool   `json:"vfork,omitempty"`
	Exec  string `json:"exec,omitempty"`
	// Targets is how many processes are under control.
	Targets int `json:"targets,omitempty"`
	// AskFork: follow-fork-mode is ask; FollowFork answers.
	AskFork bool `json:"askFork,omitempty"`
	// NowPid is the target that became current when Pid exited.
	NowPid int `json:"nowPid,omitempty"`
	// Core is the core file being examined ("" for a live process).
	Core string `json:"core,omitempty"`
	// ReturnValues are the results of the function stepout left.
	ReturnValues []Variable `json:"returnValues,omitempty"`

	// step: NextInProgress says a next, step or stepout (NextOp) was
	// interrupted by another stop; continue completes it.
	NextInProgress bool   `json:"nextInProgress,omitempty"`
	NextOp         string `json:"nextOp,omitempty"`
	// watch: Watch describes a stop at a watchpoint (reason "watchpoint")
	// or one going out of scope.
	Watch *WatchStop `json:"watch,omitempty"`
	// stepb: StopGoroutine is the goroutine whose breakpoint hit is
	// reported (Go programs; 0: unknown).
	StopGoroutine int64 `json:"stopGoroutine,omitempty"`
}

// Register is one register's value.
type Register struct {
	Name  string `json:"name"`
	Value uint64 `json:"value"`
	Bytes []byte `json:"bytes,omitempty"` // wide registers (x87, SSE)
	Text  string `json:"text,omitempty"`  // decoded flags
}

// Event is something that happened while the program ran.
type Event struct {
	// Kind is "new-thread", "thread-exited", "signal", "fork", "vfork",
	// "exec", "syscall", "process-exited", "detached" or "follow-exec".
	Kind   string `json:"kind"`
	Pid    int    `json:"pid"`
	Tid    int    `json:"tid,omitempty"`
	Signal string `json:"signal,omitempty"`
	// Passed: the signal was delivered to the program (kind "signal").
	Passed bool `json:"passed,omitempty"`
	// Text is a traced system call, strace-style, for kind "syscall";
	// the command line for "follow-exec".
	Text string `json:"text,omitempty"`
	// Parent and Kept (the child stays a target) for "fork" and "vfork".
	Parent int  `json:"parent,omitempty"`
	Kept   bool `json:"kept,omitempty"`
	// ExitCode for "process-exited" (Signal if a signal killed it).
	ExitCode int `json:"exitCode,omitempty"`
}

// Target is one process under the debugger's control.
type Target struct {
	Pid     int    `json:"pid"`
	Parent  int    `json:"parent,omitempty"`
	CmdLine string `json:"cmdline"`
	Current bool   `json:"current"`
	// Followed is false for a child traced only until it executes a
	// program (target follow-exec).
	Followed bool `json:"followed"`
}

// ForkSettings are the fork and exec following settings.
type ForkSettings struct {
	FollowForkMode  string `json:"followForkMode"`
	DetachOnFork    bool   `json:"detachOnFork"`
	FollowExec      bool   `json:"followExec"`
	FollowExecRegex string `json:"followExecRegex,omitempty"`
}

// Syscall is a system call at a catchpoint.
type Syscall struct {
	Name       string `json:"name"`
	Call       string `json:"call"` // write(1, "hi\n", 3)
	Entry      bool   `json:"entry"`
	Result     string `json:"result,omitempty"` // at exit: 3, or -1 ENOENT (...)
	Catchpoint int    `json:"catchpoint,omitempty"`
}

// Goroutine is one goroutine of a Go program.
type Goroutine struct {
	ID         int64  `json:"id"`
	Status     string `json:"status"`               // running, runnable, waiting, syscall, ...
	WaitReason string `json:"waitReason,omitempty"` // for waiting: "chan receive", "sleep", ...
	ThreadID   int    `json:"threadID,omitempty"`   // the thread running it, 0 if none
	// CurrentLoc is where it is now (its thread's pc if it runs, else the
	// saved pc); UserLoc the innermost frame outside the runtime; GoLoc
	// the go statement that created it; StartLoc its function.
	CurrentLoc Location          `json:"currentLoc"`
	UserLoc    Location          `json:"userLoc"`
	GoLoc      Location          `json:"goLoc"`
	StartLoc   Location          `json:"startLoc"`
	Labels     map[string]string `json:"labels,omitempty"`
	Current    bool              `json:"current,omitempty"`
}

// GoroutineFilter keeps goroutines by location (curloc, userloc, goloc,
// startloc: Arg is a regular expression over "file:line function"),
// label (Arg "key" or "key=value") or state (Arg running, waiting, ...);
// Negated keeps the others (goroutines -without).
type GoroutineFilter struct {
	Kind    string `json:"kind"`
	Arg     string `json:"arg"`
	Negated bool   `json:"negated,omitempty"`
}

// Frame is one frame of a stack, innermost first.
type Frame struct {
	Index    int      `json:"index"`
	Location Location `json:"location"` // for outer frames: the call's line
	CFA      uint64   `json:"cfa,omitempty"`
	SP       uint64   `json:"sp"`
	// Kind: "top", "cfi", "frame pointer", "signal", "stack switch".
	Kind     string `json:"kind"`
	Inlined  bool   `json:"inlined,omitempty"`
	Sigtramp bool   `json:"sigtramp,omitempty"` // the signal handler was called here
	// Err says why the stack ends here (set on the last frame only).
	Err string `json:"err,omitempty"`
	// Args and Locals with stack -full.
	Args   []Variable `json:"args,omitempty"`
	Locals []Variable `json:"locals,omitempty"`
	// step: Defers are the deferred calls this frame registered, innermost
	// first (Go; stack -defer prints them).
	Defers []Defer `json:"defers,omitempty"`
}

// Defer is one pending deferred call: the function it runs (Deferred,
// past any compiler wrapper) and the defer statement (DeferredBy).
type Defer struct {
	Deferred   Location `json:"deferred"`
	DeferredBy Location `json:"deferredBy"`
}

// Variable is one variable's (or expression's) value.
type Variable struct {
	Name  string `json:"name"`
	Type  string `json:"type"`
	Value string `json:"value"` // Go syntax, one line (several with LoadConfig.Multiline)
	// Err says why the value cannot be shown (not live here, unreadable).
	Err string `json:"err,omitempty"`
	// Kind is Go's kind name: int, string, struct, map, slice, ptr, ...
	Kind string `json:"kind,omitempty"`
	Addr uint64 `json:"addr,omitempty"`
	// Len and Cap of strings, slices, arrays, maps and channels.
	Len int64 `json:"len,omitempty"`
	Cap int64 `json:"cap,omitempty"`
	// Children are the loaded fields, elements, map entries (named
	// "[key]"), the pointee or an interface's dynamic value; More says how
	// many elements were not loaded.
	Children []Variable `json:"children,omitempty"`
	More     int64      `json:"more,omitempty"`
	// Shadowed: a variable of the same name in an inner scope hides it.
	Shadowed bool `json:"shadowed,omitempty"`
}

// LoadConfig bounds how much of a value is read (Delve's defaults when
// zero: 1 level of pointers, 64 string bytes, 64 elements).
type LoadConfig struct {
	MaxStringLen   int  `json:"maxStringLen,omitempty"`
	MaxArrayValues int  `json:"maxArrayValues,omitempty"`
	MaxDepth       int  `json:"maxDepth,omitempty"`
	Multiline      bool `json:"multiline,omitempty"` // print -v
}

// Library is one shared object mapped in the current target.
type Library struct {
	Path    string `json:"path"`
	Address uint64 `json:"address"` // where it is mapped (its load bias)
	Symbols bool   `json:"symbols"` // its function names could be read
}
