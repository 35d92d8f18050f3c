package debugger

import (
	"errors"

	"github.com/godbg/godbg/pkg/proc/stack"
	"github.com/godbg/godbg/pkg/symbols"
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
	l := d.tgt.img.symbols
	if l == nil || d.isCore {
		return
	}
	select {
	case <-l.done:
	default:
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
	regs, err := stack.RegsFrom(r)
	if err != nil {
		return
	}
	// The innermost frames' words, copied now: the goroutine unwinds from
	// this copy (the callers' rows are the costly part of a first unwind).
	snap := stackSnapshot{addr: r.SP(), b: make([]byte, warmStackBytes)}
	n, _ := d.proc().ReadMemory(snap.addr, snap.b)
	snap.b = snap.b[:n]
	bias := d.bias()
	pc := r.PC() - bias
	go func() {
		stack.Unwind(tab, bias, regs, snap, 2)
		if fn := tab.PCToFunc(pc); fn != nil {
			pcs := []uint64{pc}
			for _, in := range symbols.LineStarts(tab.FuncCode(fn), tab.FirstStmtPC(fn)) {
				pcs = append(pcs, in.PC)
			}
			stack.PreparePCs(tab, pcs)
		}
		if !tab.IsGo() {
			return
		}
		for _, name := range []string{"runtime.gopanic", "runtime.deferreturn"} {
			if fn, err := tab.LookupFunc(name); err == nil {
				tab.FuncCode(fn)
			}
		}
	}()
}

// warmStackBytes is how much of the stack warmStep copies: the innermost
// frames of a stop are usually well within it.
const warmStackBytes = 2048

// stackSnapshot is stack memory copied at a stop (a stack.Memory that
// knows nothing outside the copy).
type stackSnapshot struct {
	addr uint64
	b    []byte
}

func (m stackSnapshot) ReadMemory(addr uint64, buf []byte) (int, error) {
	if addr < m.addr || addr-m.addr > uint64(len(m.b)) || uint64(len(buf)) > uint64(len(m.b))-(addr-m.addr) {
		return 0, errOutsideSnapshot
	}
	return copy(buf, m.b[addr-m.addr:]), nil
}

var errOutsideSnapshot = errors.New("outside the copied stack")
