package debugger

import (
	"encoding/binary"

	"github.com/godbg/godbg/pkg/proc"
	"github.com/godbg/godbg/pkg/proc/goroutines"
	ptarget "github.com/godbg/godbg/pkg/proc/target"
	"github.com/godbg/godbg/pkg/symbols"
)

// stepb: a breakpoint's hits counted per goroutine in Go programs, as
// Delve counts them (TestBreakpointCounts: hits goroutine(N):k total:T),
// beside the per-thread counts that C programs keep.

// goHits is where a hitting thread's goroutine id is read, and the goroutine
// of each thread's last hit (the stop line names the reported hit's).
type goHits struct {
	tab            *symbols.Table // a Go program's; nil: no goroutines
	ready          bool           // the offsets below are read (at the first hit)
	goidOff, loOff uint64         // runtime.g.goid, runtime.g.stack.lo
	last           map[int]int64
}

// newGoHits prepares the per-goroutine counts of a Go program; the
// runtime's layout is read at the first hit (from DWARF only, cached per
// binary), so setting breakpoints, internal ones included, costs nothing.
func (d *Debugger) newGoHits() *goHits {
	tab := d.table()
	if tab == nil || !tab.IsGo() {
		return &goHits{}
	}
	return &goHits{tab: tab, last: map[int]int64{}}
}

// layout reads the offsets once; false: no goroutines can be told apart.
func (gh *goHits) layout() bool {
	if gh.ready || gh.tab == nil {
		return gh.ready
	}
	l, err := goroutines.LoadLayout(gh.tab)
	gh.tab = nil // tried once
	if err != nil {
		return false
	}
	off, size := l.GoidField()
	hi, ok := l.StackHiOffset()
	if size != 8 || !ok || hi < 8 {
		return false
	}
	gh.goidOff, gh.loOff, gh.ready = uint64(off), uint64(hi-8), true
	return true
}

// goid reads the goroutine of a hit from r14, where Go code keeps g; the
// hit's sp must lie in that g's stack, so a C or runtime frame (r14 is then
// not a g) counts for no goroutine.
func (gh *goHits) goid(h proc.Hit) (int64, bool) {
	r, err := h.Registers()
	if err != nil {
		return 0, false
	}
	g, id, ok := ptarget.HitG(r, h, gh.goidOff)
	if !ok {
		return 0, false
	}
	var st [16]byte // stack.lo, stack.hi
	if n, err := h.ReadMemory(g+gh.loOff, st[:]); err != nil || n != 16 {
		return 0, false
	}
	lo, hi := binary.LittleEndian.Uint64(st[:8]), binary.LittleEndian.Uint64(st[8:])
	if sp := r.SP(); sp < lo || sp >= hi {
		return 0, false
	}
	return id, true
}

// prepareGoHits notes, when b is set, whether its program has goroutines.
func (d *Debugger) prepareGoHits(b *breakpoint) {
	if b.goHits == nil {
		b.goHits = d.newGoHits()
	}
}

// countG counts a hit of b for its goroutine (Go programs).
func (b *breakpoint) countG(h proc.Hit) {
	gh := b.goHits
	if gh == nil || gh.last == nil || !gh.layout() {
		return
	}
	g, ok := gh.goid(h)
	if !ok {
		delete(gh.last, h.Tid())
		return
	}
	if b.HitsByGoroutine == nil {
		b.HitsByGoroutine = map[int64]int{}
	}
	b.HitsByGoroutine[g]++
	gh.last[h.Tid()] = g
}

// stopGoroutine is the goroutine whose hit of b stopped thread tid (0:
// none known).
func (b *breakpoint) stopGoroutine(tid int) int64 {
	if b.goHits == nil || b.goHits.last == nil {
		return 0
	}
	return b.goHits.last[tid]
}
