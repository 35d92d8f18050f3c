package target

import (
	"github.com/godbg/godbg/pkg/proc"
	"github.com/godbg/godbg/pkg/proc/stack"
	"github.com/godbg/godbg/pkg/symbols"
)

// The frames of a thread or goroutine. The types are the unwinder's
// (pkg/proc/stack); the service reaches the unwinder only through here.

type (
	// Frame is one frame of a stack, innermost first.
	Frame = stack.Frame
	// Regs are the registers a stack starts from.
	Regs = stack.Regs
	// InlinedCall is one inlined call inside a function.
	InlinedCall = stack.InlinedCall
	// Memory is what an unwind reads: a process, a hit, a copy of stack.
	Memory = stack.Memory
)

// Frame kinds a stepper needs to tell apart.
const (
	KindTop    = stack.KindTop
	KindSignal = stack.KindSignal
)

// ErrDepth ends a stack cut at the depth asked for.
var ErrDepth = stack.ErrDepth

// RegsOf reads the registers a stack starts from out of a thread's (or a
// hit's) registers.
func RegsOf(r proc.Registers) (Regs, error) { return stack.RegsFrom(r) }

// RegsAt are the registers of a parked goroutine (its saved pc, sp, bp).
func RegsAt(pc, sp, bp uint64) Regs { return stack.NewRegs(pc, sp, bp) }

// Unwind walks up to depth frames of the executable only (tab, loaded at
// bias) from regs, reading mem (a process or a hit).
func Unwind(tab *symbols.Table, bias uint64, regs Regs, mem Memory, depth int) ([]Frame, error) {
	return stack.Unwind(tab, bias, regs, mem, depth)
}

// TopCFA is the CFA of the innermost frame at regs from its call frame
// row alone, without reading memory (ok false: Unwind gives it).
func TopCFA(tab *symbols.Table, bias uint64, regs Regs) (uint64, bool) {
	return stack.TopCFA(tab, bias, regs)
}

// UnwindUntil is Unwind that stops after the first frame stop accepts.
func UnwindUntil(tab *symbols.Table, bias uint64, regs Regs, mem Memory, depth int, stop func(*Frame) bool) ([]Frame, error) {
	return stack.UnwindUntil(tab, bias, regs, mem, depth, stop)
}

// Unwind walks up to depth frames of p from regs through the executable
// and the libraries read so far (their call frame tables: C programs run
// in libc).
func (img *Image) Unwind(p proc.Inspector, regs Regs, depth int) ([]Frame, error) {
	imgs := []stack.Image{{Table: img.Table(p), Bias: img.Bias(p)}}
	for _, l := range img.libs {
		imgs = append(imgs, stack.Image{Table: l.Table, Bias: l.Bias})
	}
	return stack.UnwindImages(imgs, regs, p, depth)
}

// InlinedCalls lists the calls inlined into fn.
func InlinedCalls(tab *symbols.Table, fn *symbols.Func) []InlinedCall {
	return stack.InlinedCalls(tab, fn)
}
