package native

import (
	"os"
	"strconv"

	"golang.org/x/sys/unix"
)

// releaseChild lets a forked child go (follow-fork-mode parent,
// detach-on-fork on, as gdb by default): a fork child gets its own copy of
// the text, so our int3s are removed from it first; a vfork child shares
// the parent's memory and is let go as it is (it only runs until exec).
// The child is stopped in its initial SIGSTOP, which the detach discards.
// Tracer thread.
func (p *nproc) releaseChild(pid, event int) {
	if event == unix.PTRACE_EVENT_FORK && len(p.bps) > 0 {
		if mem, err := os.OpenFile("/proc/"+strconv.Itoa(pid)+"/mem", os.O_RDWR, 0); err == nil {
			for addr, bp := range p.bps {
				mem.WriteAt(bp.orig[:], int64(addr))
			}
			mem.Close()
		}
	}
	_ = ptraceDetach(pid, 0)
}
