package debugger

import (
	"github.com/godbg/godbg/pkg/proc"
	"github.com/godbg/godbg/pkg/proc/goroutines"
)

// cgoGoid returns the goroutine that called into the C code a thread
// runs (a cgo call): r14 means nothing in C, so the g comes from the
// thread's TLS slot, which holds its m's g0 during the call, and the
// goroutine is that m's curg. 0 when the thread runs no goroutine (a C
// thread, the scheduler): the event then names only the thread.
func (tr *tracer) cgoGoid(r proc.Registers, h proc.Hit) int64 {
	if tr.goidOff < 0 {
		return 0
	}
	var fsBase uint64
	for _, reg := range r.List(false) {
		if reg.Name == "fs_base" {
			fsBase = reg.Value
		}
	}
	rd, err := goroutines.NewReader(tr.tab, h, tr.bias)
	if err != nil || fsBase == 0 {
		return 0
	}
	g, ok, err := rd.ThreadG(h.Tid(), fsBase, 0)
	if err != nil || !ok {
		return 0
	}
	return g.ID
}
