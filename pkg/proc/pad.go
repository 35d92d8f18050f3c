package proc

// Jump pads (issue 17): a breakpoint whose condition is one integer
// variable compared with a constant can be evaluated inside the tracee by
// a backend that supports it, without a trap for a false condition.

// PadLoc says where a pad condition's operand lives at the breakpoint.
type PadLoc int

const (
	PadReg   PadLoc = iota // in DWARF register Reg
	PadStack               // at rsp+Off at the breakpoint's pc
	PadAbs                 // at the absolute run-time address Off (a package variable)
)

// PadCond is a condition a pad can evaluate: the operand (an integer of
// Size bytes, Signed or not) Op K, Op one of == != < <= > >=.
type PadCond struct {
	Loc    PadLoc
	Reg    int
	Off    int64
	Size   int
	Signed bool
	Op     string
	K      int64
}

// PadArmer is implemented by a backend that can arm jump pads.
type PadArmer interface {
	// ArmPad plants a breakpoint at addr whose condition c is evaluated in
	// the tracee; cond then runs only for hits where c is true, exactly as
	// SetBreakpoint's. false (and no error) when no pad is possible there:
	// the caller uses SetBreakpoint. ClearBreakpoint removes it.
	ArmPad(addr uint64, c PadCond, cond BreakCond) (bool, error)
	// PadCounts returns the passes through the pad at addr and how many
	// found c true; ok false when addr has no armed pad.
	PadCounts(addr uint64) (passes, trues uint64, ok bool)
}
