package stack

import "github.com/godbg/godbg/pkg/symbols"

// TopCFA is the CFA of the innermost frame of a thread stopped with regs,
// computed from the executable's call frame information alone: no memory
// is read and no frame is built (issue 12: a step's condition needs only
// this at every hit of its temporary breakpoints, on the tracer thread).
// ok is false wherever the walker does more than apply the row of a Go
// function (runtime functions that switch stacks, signal trampolines,
// vDSO callers, a pc outside the image, a CFA expression): Unwind then.
func TopCFA(tab *symbols.Table, bias uint64, regs Regs) (cfa uint64, ok bool) {
	pc := regs.PC()
	if tab == nil || pc == 0 || pc < bias {
		return 0, false
	}
	im := imageFor(tab)
	if !im.isGo || !im.contains(pc-bias) {
		return 0, false
	}
	// In a Go image a function is a signal trampoline by its name only.
	if class, fn := im.classify(pc - bias); fn == nil || class != classNone {
		return 0, false
	}
	r := im.rowAt(pc - bias)
	if r == nil || r.err != nil || r.cfaProg != nil {
		return 0, false
	}
	v, ok := regs.Get(r.cfaReg)
	if !ok {
		return 0, false
	}
	return v + uint64(r.cfaOff), true
}
