package debugger

import (
	"github.com/godbg/godbg/pkg/proc"
	ptarget "github.com/godbg/godbg/pkg/proc/target"
)

// maxFollowFrames bounds the unwinding that looks for a root function.
const maxFollowFrames = 1024

// rootDepth is, for --follow-calls, the frame number (1: the probed
// function) of the outermost matched function on the stack, as dlv
// trace's frame(N); 0 if none is there.
func (tr *tracer) rootDepth(r proc.Registers, h proc.Hit) int {
	regs, err := ptarget.RegsOf(r)
	if err != nil {
		return 0
	}
	frames, _ := ptarget.Unwind(tr.tab, tr.bias, regs, h, maxFollowFrames)
	for i := len(frames) - 1; i >= 0; i-- {
		if tr.roots[frames[i].Func] {
			return i + 1
		}
	}
	return 0
}
