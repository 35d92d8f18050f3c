package target

import (
	"bytes"
	"errors"
	"sync/atomic"

	"github.com/godbg/godbg/pkg/proc"
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
func PrepareStep(tab *symbols.Table, bias uint64, ps *PreparedStack, pc uint64) {
	ps.unwind(tab, bias)
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

// PreparedStack is the unwind of a stop's innermost frames made in the
// background from a copy of the top of the stack (issue 12: a next's
// fixed cost). The unwind is a function of the registers, the memory it
// reads and the symbols: a step from the same registers over the same
// stack bytes takes its frames instead of unwinding again.
type PreparedStack struct {
	regs  Regs
	snap  StackSnapshot
	depth int

	done   atomic.Bool // frames and err are set
	frames []Frame
	err    error
}

// NewPreparedStack is the preparation of depth frames from regs over the
// stack copy snap; PrepareStep unwinds them.
func NewPreparedStack(regs Regs, snap StackSnapshot, depth int) *PreparedStack {
	return &PreparedStack{regs: regs, snap: snap, depth: depth}
}

// unwind unwinds the copy; an unwind that needed memory outside it is
// dropped (a live one would have read more).
func (ps *PreparedStack) unwind(tab *symbols.Table, bias uint64) {
	mem := &snapReader{snap: ps.snap}
	frames, err := stack.Unwind(tab, bias, ps.regs, mem, ps.depth)
	if mem.outside {
		return
	}
	ps.frames, ps.err = frames, err
	ps.done.Store(true)
}

// PreparedFrames returns the frames ps prepared if they are what
// Unwind(p, regs, depth) would give now: same registers and depth, the
// copied stack still in p's memory, a Go executable without libraries
// (the preparation unwinds through the executable alone). ok false: unwind.
func (img *Image) PreparedFrames(ps *PreparedStack, p proc.Inspector, regs Regs, depth int) (frames []Frame, ok bool, err error) {
	tab := img.Table(p)
	if !ps.done.Load() || tab == nil || !tab.IsGo() || len(img.libs) > 0 || regs != ps.regs || depth != ps.depth {
		return nil, false, nil
	}
	now := make([]byte, len(ps.snap.B))
	if n, err := p.ReadMemory(ps.snap.Addr, now); err != nil || n != len(now) || !bytes.Equal(now, ps.snap.B) {
		return nil, false, nil
	}
	return append([]Frame(nil), ps.frames...), true, ps.err
}

// snapReader reads a StackSnapshot and notes a read outside it.
type snapReader struct {
	snap    StackSnapshot
	outside bool
}

func (r *snapReader) ReadMemory(addr uint64, buf []byte) (int, error) {
	n, err := r.snap.ReadMemory(addr, buf)
	if err != nil {
		r.outside = true
	}
	return n, err
}
