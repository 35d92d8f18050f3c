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
	snap := ptarget.StackSnapshot{Addr: r.SP(), B: make([]byte, warmStackBytes)}
	n, _ := d.proc().ReadMemory(snap.Addr, snap.B)
	snap.B = snap.B[:n]
	go ptarget.PrepareStep(tab, d.bias(), regs, snap, r.PC()-d.bias())
}

// warmStackBytes is how much of the stack warmStep copies: the innermost
// frames of a stop are usually well within it.
const warmStackBytes = 2048
