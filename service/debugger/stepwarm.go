package debugger

import (
	ptarget "github.com/godbg/godbg/pkg/proc/target"
)

// warmStep prepares, in the background while the user reads a stop, what
// a next or step from it needs first (issue 12: a next's fixed cost): the
// decoded code and first statement of the stopped function, the
// unwinder's caches for its innermost frames and at its line starts
// (where a next's temporary breakpoints unwind when hit), the code of
// the runtime functions every Go step plants breakpoints in, and the
// plans of next, step and stepout from the innermost frame (a step from
// frame 0 of this thread takes its plan when nothing changed meanwhile:
// pkg/proc/target planprep.go). The caches are per image (symbols.Table,
// the unwinder's image). Only the registers and copies of the top of the
// stack and of the goroutine's g.stack are taken here; the goroutine
// takes no lock of the debugger and touches no process, so a command
// typed at once never waits for it (it plans on demand if the
// goroutine is not done). Nothing is started before
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
	// The innermost frames' words and the goroutine's, copied now: the
	// goroutine unwinds and plans from the copy.
	ps := ptarget.CopyStop(d.proc(), d.cur, regs, stepDepth)
	d.prepared = ps
	bias, pc := d.bias(), r.PC()
	go func() {
		ptarget.PrepareStep(tab, bias, ps, pc-bias)
		d.warmPlans(ps)
	}()
}

// warmPlans prepares the backend's side of the breakpoints of ps's plans
// (ptarget WarmPlans) once the command that stopped is done: it takes
// the lock as a command does and works only if ps is still the stop's
// preparation. Halt ignores the lock while it is held for this (warming):
// no command runs then.
func (d *Debugger) warmPlans(ps *ptarget.PreparedStack) {
	if !ps.Planned() {
		return
	}
	d.mu.Lock()
	d.warming.Store(true)
	defer func() {
		d.warming.Store(false)
		d.mu.Unlock()
	}()
	if d.prepared != ps {
		return
	}
	if _, err := d.live(); err == nil {
		d.tgt.WarmPlans(ps)
	}
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

// preparedFor is the stop's preparation for a step from the selection (nil:
// none applies: another goroutine is selected).
func (d *Debugger) preparedFor() *ptarget.PreparedStack {
	if d.curG != 0 || d.frame != 0 {
		return nil
	}
	return d.prepared
}
