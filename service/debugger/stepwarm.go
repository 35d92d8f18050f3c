package debugger

import (
	ptarget "github.com/godbg/godbg/pkg/proc/target"
)

// warmStep prepares, in the background while the user reads a stop, what
// a next or step from it needs first (issue 12: a next's fixed cost): the
// decoded code and first statement of the stopped function, the
// unwinder's caches for its innermost frames and at its line starts
// (where a next's temporary breakpoints unwind when hit), and the code of
// the runtime functions every Go step plants breakpoints in. All of it is
// cached per image (symbols.Table, the unwinder's image). Only the
// registers and a copy of the top of the stack are taken here; the
// goroutine takes no lock of the debugger and touches no process, so a
// command typed at once never waits for it. Nothing is started before
// the symbols are loaded.
func (d *Debugger) warmStep() {
	if !d.tgt.img.bin.Loaded() || d.tgt.IsCore() {
		return
	}
	tab := d.table()
	if tab == nil {
		return
	}
	th, ok := d.proc().Thread(d.cur)
	if !ok {
		return
	}
	r, err := th.Registers()
	if err != nil {
		return
	}
	regs, err := ptarget.RegsOf(r)
	if err != nil {
		return
	}
	// The innermost frames' words, copied now: the goroutine unwinds from
	// this copy (the callers' rows are the costly part of a first unwind).
	// Whole pages, as the unwinder reads them.
	snap := ptarget.StackSnapshot{Addr: r.SP() &^ (warmPage - 1), B: make([]byte, warmStackBytes)}
	n, _ := d.proc().ReadMemory(snap.Addr, snap.B)
	snap.B = snap.B[:n]
	d.prepared = ptarget.NewPreparedStack(regs, snap, stepDepth)
	go ptarget.PrepareStep(tab, d.bias(), d.prepared, r.PC()-d.bias())
}

// stepDepth is how many frames a step from the innermost frame unwinds.
const stepDepth = 2

// stepFrames is unwind(depth) for a step: the frames warmStep's goroutine
// unwound from its copy of the stack at the stop, if it is done and the
// registers and that stack are unchanged (the same inputs: the same
// frames); else a new unwind.
func (d *Debugger) stepFrames(depth int) ([]ptarget.Frame, error) {
	if ps := d.prepared; ps != nil && d.curG == 0 && d.tgt.img.bin.Loaded() {
		if regs, err := d.frameRegs(); err == nil {
			if frames, ok, err := d.tgt.img.bin.PreparedFrames(ps, d.proc(), regs, depth); ok {
				return frames, err
			}
		}
	}
	return d.unwind(depth)
}

// warmStackBytes is how much of the stack warmStep copies, from the start
// of sp's page: the innermost frames of a stop are usually well within it.
const (
	warmPage       = 4096
	warmStackBytes = 2 * warmPage
)
