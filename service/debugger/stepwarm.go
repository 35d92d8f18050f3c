package debugger

import (
	"github.com/godbg/godbg/pkg/proc/stack"
	"github.com/godbg/godbg/pkg/symbols"
)

// warmStep prepares, in the background while the user reads a stop, what
// a next or step from it needs first (issue 12: a next's fixed cost): the
// unwind of the stopped goroutine's innermost frames (the unwinder's
// per-pc caches), the decoded code and first statement of its function
// and the unwinder's caches at its line starts (where a next's temporary
// breakpoints unwind when hit), the code of the runtime functions every
// step plants breakpoints in (cached per image), and the goroutine reader. It takes the debugger's lock like any command and
// does nothing if another stop came meanwhile or the user selected
// another frame or goroutine; it changes nothing a command could see.
func (d *Debugger) warmStep() {
	stops := d.stops
	go func() {
		d.mu.Lock()
		defer d.mu.Unlock()
		if d.stops != stops || d.frame != 0 || d.curG != 0 || d.isCore {
			return
		}
		if _, err := d.live(); err != nil {
			return
		}
		tab := d.table()
		if tab == nil {
			return
		}
		frames, _ := d.unwind(2)
		if len(frames) > 0 {
			if fn := tab.PCToFunc(frames[0].PC - d.bias()); fn != nil {
				var pcs []uint64
				for _, in := range symbols.LineStarts(d.code(fn), tab.FirstStmtPC(fn)) {
					pcs = append(pcs, in.PC)
				}
				stack.PreparePCs(tab, pcs)
			}
		}
		if !tab.IsGo() {
			return
		}
		d.goReader()
		for _, name := range []string{"runtime.gopanic", "runtime.deferreturn"} {
			if fn, err := tab.LookupFunc(name); err == nil {
				d.code(fn)
			}
		}
	}()
}
