package target

import (
	"errors"

	"github.com/godbg/godbg/pkg/proc/stack"
	"github.com/godbg/godbg/pkg/symbols"
)

// PrepareStep fills, from the symbols and a copy of the top of the stack
// only (it touches no process and takes no lock), what a next or step from
// pc needs first (issue 12: a next's fixed cost): the unwinder's caches
// for the innermost frames and at every line start of the stopped
// function (where a next's temporary breakpoints unwind when hit), the
// function's decoded code and first statement, and the code of the
// runtime functions every Go step plants breakpoints in. All of it is
// cached per image; the debugger runs it in the background after a stop.
func PrepareStep(tab *symbols.Table, bias uint64, regs Regs, snap StackSnapshot, pc uint64) {
	stack.Unwind(tab, bias, regs, snap, 2)
	if fn := tab.PCToFunc(pc); fn != nil {
		pcs := []uint64{pc}
		for _, in := range symbols.LineStarts(tab.FuncCode(fn), tab.FirstStmtPC(fn)) {
			pcs = append(pcs, in.PC)
		}
		stack.PreparePCs(tab, pcs)
	}
	rangeIndex(tab) // every step looks for range-over-func bodies
	if !tab.IsGo() {
		return
	}
	for _, name := range []string{"runtime.gopanic", "runtime.deferreturn"} {
		if fn, err := tab.LookupFunc(name); err == nil {
			tab.FuncCode(fn)
		}
	}
}

// StackSnapshot is stack memory copied at a stop (a Memory that knows
// nothing outside the copy).
type StackSnapshot struct {
	Addr uint64
	B    []byte
}

func (m StackSnapshot) ReadMemory(addr uint64, buf []byte) (int, error) {
	if addr < m.Addr || addr-m.Addr > uint64(len(m.B)) || uint64(len(buf)) > uint64(len(m.B))-(addr-m.Addr) {
		return 0, errOutsideSnapshot
	}
	return copy(buf, m.B[addr-m.Addr:]), nil
}

var errOutsideSnapshot = errors.New("outside the copied stack")
