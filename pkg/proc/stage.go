package proc

// Stager is a live process whose backend can stage breakpoints ahead
// (issue 12: taking a step planned at a stop in O(1)). A staged
// breakpoint is prepared as SetBreakpoint would prepare it (the
// instruction under it read, how a thread passes it readied) and kept
// apart from the process's breakpoints: it is never written into the
// program's memory, never matched by a hit and never shown by a read,
// whether or not anyone drops it. SetStaged turns it into a breakpoint.
// Both are called only while the process is stopped, by its one user.
type Stager interface {
	// StageBreakpoint prepares a breakpoint at addr without setting it
	// (ErrBreakpointExists: one is set there).
	StageBreakpoint(addr uint64) error
	// SetStaged sets the breakpoint staged at addr with cond, as
	// SetBreakpoint(addr, cond) would, without reading or writing the
	// process. false (nothing done): none is staged there, or something
	// may have changed the process since it was staged (a resumption, a
	// register set, a memory write, a breakpoint or jump pad set there):
	// the caller uses SetBreakpoint.
	SetStaged(addr uint64, cond BreakCond) bool
	// Holds reports whether a breakpoint (or a jump pad) is set at addr.
	Holds(addr uint64) bool
}
