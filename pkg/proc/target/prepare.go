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
// runtime functions every Go step plants breakpoints in; and, given
// ForStep, the plans of next, step and stepout (planprep.go). The caches
// are per image; the debugger runs it in the background after a stop.
func PrepareStep(tab *symbols.Table, bias uint64, ps *PreparedStack, pc uint64) {
	ps.unwind(tab, bias)
	ps.planSteps(tab, bias) // planprep.go: the steps themselves
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

// CopyStop copies, at a stop of thread tid (registers regs), what a
// preparation of depth frames and of the steps reads: the top of the
// stack from the start of sp's page (the unwinder reads whole pages; the
// innermost frames are usually well within them) and, for Go code, the
// first words of the goroutine r14 holds (g.stack). PrepareStep then
// works from the copy alone.
func CopyStop(p proc.Inspector, tid int, regs Regs, depth int) *PreparedStack {
	gen, hasGen := generation(p) // before the copy: a change after it counts
	snap := StackSnapshot{Addr: regs.SP() &^ (stopPage - 1), B: make([]byte, stopStackBytes)}
	n, _ := p.ReadMemory(snap.Addr, snap.B)
	snap.B = snap.B[:n]
	ps := NewPreparedStack(regs, snap, depth)
	ps.gen, ps.hasGen = gen, hasGen
	if g, ok := regs.Get(14); ok && g != 0 {
		gs := StackSnapshot{Addr: g, B: make([]byte, stopGBytes)}
		if n, err := p.ReadMemory(g, gs.B); err == nil && n == len(gs.B) {
			ps.ForStep(tid, gs)
		}
	}
	return ps
}

// What CopyStop copies.
const (
	stopPage       = 4096
	stopStackBytes = 2 * stopPage
	stopGBytes     = 16 // runtime.g starts with stack.lo, stack.hi
)

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
	read  StackSnapshot // the part of snap the unwind read: what its frames depend on
	depth int

	done   atomic.Bool // frames and err are set
	frames []Frame
	err    error

	// The steps planned from frames (planprep.go), for a step of thread
	// tid whose goroutine's first words (g.stack) were copied in g.
	tid     int
	g       StackSnapshot
	planned atomic.Bool // plans, tab and bias are set
	plans   map[string]*stepPlan
	tab     *symbols.Table
	bias    uint64
	// gen is the backend's generation when the copies were taken
	// (hasGen: it counts them; proc.Generations).
	gen    uint64
	hasGen bool
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
	ps.frames, ps.err, ps.read = frames, err, mem.span()
	ps.done.Store(true)
}

// PreparedFrames returns the frames ps prepared if they are what
// Unwind(p, regs, depth) would give now: same registers and depth, the
// copied stack still in p's memory, a Go executable without libraries
// (the preparation unwinds through the executable alone). ok false: unwind.
func (img *Image) PreparedFrames(ps *PreparedStack, p proc.Inspector, regs Regs, depth int) (frames []Frame, ok bool, err error) {
	if !ps.done.Load() || depth != ps.depth || !img.unchanged(p, regs, ps.regs, ps.read) {
		return nil, false, nil
	}
	return append([]Frame(nil), ps.frames...), true, ps.err
}

// unchanged reports whether what a preparation read at a stop is what p
// has now: the registers it unwound from, the memory it copied (snaps),
// for a Go executable without libraries (the preparation reads the
// executable alone).
func (img *Image) unchanged(p proc.Inspector, regs, then Regs, snaps ...StackSnapshot) bool {
	return img.sameInputs(p, regs, then) && sameMemory(p, snaps...)
}

// sameInputs: the same registers, and symbols a preparation uses alone.
func (img *Image) sameInputs(p proc.Inspector, regs, then Regs) bool {
	tab := img.Table(p)
	return tab != nil && tab.IsGo() && len(img.libs) == 0 && regs == then
}

// sameMemory reports whether p holds the bytes of snaps.
func sameMemory(p proc.Inspector, snaps ...StackSnapshot) bool {
	for _, snap := range snaps {
		if len(snap.B) == 0 {
			continue
		}
		now := make([]byte, len(snap.B))
		if n, err := p.ReadMemory(snap.Addr, now); err != nil || n != len(now) || !bytes.Equal(now, snap.B) {
			return false
		}
	}
	return true
}

// snapReader reads a StackSnapshot, notes a read outside it and the span
// of the copy it read.
type snapReader struct {
	snap    StackSnapshot
	outside bool
	lo, hi  uint64 // the span read (lo == hi: none)
}

func (r *snapReader) ReadMemory(addr uint64, buf []byte) (int, error) {
	n, err := r.snap.ReadMemory(addr, buf)
	if err != nil {
		r.outside = true
		return n, err
	}
	if end := addr + uint64(n); r.lo == r.hi {
		r.lo, r.hi = addr, end
	} else {
		r.lo, r.hi = min(r.lo, addr), max(r.hi, end)
	}
	return n, err
}

// span is the part of the copy that was read.
func (r *snapReader) span() StackSnapshot {
	if r.lo == r.hi {
		return StackSnapshot{Addr: r.lo}
	}
	return StackSnapshot{Addr: r.lo, B: r.snap.B[r.lo-r.snap.Addr : r.hi-r.snap.Addr]}
}
