package target

import (
	"strings"

	"github.com/godbg/godbg/pkg/proc"
	"github.com/godbg/godbg/pkg/symbols"
)

// StepHost is what a Stepper needs from the layer that owns the
// breakpoints of a process and its run loop (service/debugger): its
// temporary breakpoints are breaklets beside the user's on one address.
type StepHost interface {
	// SetBreaklet adds the step's breaklet at addr (cond says whether a
	// hit is the step's); ClearBreaklet removes it.
	SetBreaklet(p proc.Process, addr uint64, cond proc.BreakCond) error
	ClearBreaklet(p proc.Process, addr uint64)
	// StepFired reports whether the step's breaklet stopped st.Tid at
	// st.Addr and no user breakpoint did.
	StepFired(p proc.Process, st *proc.Stop) bool
	// Run continues every target until a stop worth reporting.
	Run(p proc.Process) (*proc.Stop, error)
	// Unwind returns up to depth frames of the selected goroutine.
	Unwind(depth int) ([]Frame, error)
	// AtReturn is called when a stepout's frame stands on a RET of thread
	// tid: its results can be read.
	AtReturn(tid int)
}

// Result is how a step's run ended.
type Result struct {
	// Stop is the stop to report: StopStepped when the step ended at
	// one of its own breakpoints.
	Stop *proc.Stop
	// Done is false when something else stopped the program first: the
	// step stays armed and Drive completes it.
	Done bool
	// Returned: a stepout ended in its caller (results were read at
	// AtReturn).
	Returned bool
}

// IsRuntimeFunc reports functions a user does not write: the runtime and
// its internal packages.
func IsRuntimeFunc(name string) bool {
	return strings.HasPrefix(name, "runtime.") || strings.HasPrefix(name, "internal/") ||
		strings.HasPrefix(name, "runtime/internal/")
}

// ThreadRegs reads a thread's registers for unwinding.
func ThreadRegs(p proc.Inspector, tid int) (Regs, bool) { return threadRegs(p, tid) }

// GoFrame describes the stepping frame on its goroutine's stack: g (0:
// the step follows a thread), the offset of g.stack.hi in runtime.g (-1:
// unknown), the frame's CFA and its depth below the stack's top.
func (s *Stepper) GoFrame() (g uint64, hiOff int, cfa, depth uint64) {
	return s.g, s.hiOff, s.cfa, s.depth
}

// IsWrapper reports compiler-made code that steps pass through.
func IsWrapper(fn *symbols.Func, file string) bool { return isWrapper(fn, file) }

// LeaveRuntimeBreakpoint moves thread tid of p, stopped at the int3 of
// Go's runtime.breakpoint, out to the caller of runtime.Breakpoint, as
// Delve reports it: at the line of the call, from where step and next go
// on. It does nothing elsewhere.
func (img *Image) LeaveRuntimeBreakpoint(p proc.Process, tid int) {
	if p == nil {
		return // a core file
	}
	tab := img.Table(p)
	if tab == nil || !tab.IsGo() || p.Exited() {
		return
	}
	inRuntimeBreak := func() bool {
		th, ok := p.Thread(tid)
		if !ok {
			return false
		}
		r, err := th.Registers()
		if err != nil {
			return false
		}
		pc := r.PC() - img.Bias(p)
		fn := tab.PCToFunc(pc)
		return fn != nil && (fn.Name == "runtime.breakpoint" || fn.Name == "runtime.Breakpoint" || inlinedBreakpoint(tab, fn, pc))
	}
	for i := 0; i < 64 && inRuntimeBreak(); i++ {
		if st, err := p.StepInstruction(tid); err != nil || st.Reason != proc.StopStepped {
			return
		}
	}
}

// inlinedBreakpoint reports whether link-time pc is in a body of
// runtime.Breakpoint inlined into fn (optimised builds since Go 1.26 call
// runtime.breakpoint directly): stepping out goes past it too, as Delve's
// TestIssue1795 stops at the line after the call.
func inlinedBreakpoint(tab *symbols.Table, fn *symbols.Func, pc uint64) bool {
	for _, c := range InlinedCalls(tab, fn) {
		if c.Name == "runtime.Breakpoint" && c.Covers(pc) {
			return true
		}
	}
	return false
}
