package debugger

import (
	"github.com/godbg/godbg/pkg/proc/expr"
	ptarget "github.com/godbg/godbg/pkg/proc/target"
)

// stepb: runtime.frame(n).x (Delve) in print and in breakpoint
// conditions: the scopes of the outer frames of the same goroutine.

// upFromSelected gives print the frames outside the selected one.
func (d *Debugger) upFromSelected(sc *expr.FrameScope) {
	sc.SetFrameUp(func(n int) (expr.Scope, error) {
		frames, err := d.unwind(d.frame + n + 2)
		f, err := ptarget.OuterFrame(frames, d.frame+n, err)
		if err != nil {
			return nil, err
		}
		vf, _ := d.varFrame(f)
		return expr.NewFrameScope(d.table(), vf, sc.Loader(), d.tgt.Memory()), nil
	})
}
