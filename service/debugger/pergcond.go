package debugger

import (
	"encoding/binary"
	"fmt"

	"github.com/godbg/godbg/pkg/proc"
	"github.com/godbg/godbg/pkg/proc/goroutines"
	"github.com/godbg/godbg/service/api"
)

// perGHits keeps a breakpoint's hit count per goroutine, for Delve's
// condition -per-g-hitcount. Updated on the tracer thread at each hit.
type perGHits struct {
	goidOff uint64 // of runtime.g.goid
	hits    map[int64]int
}

// SetPerGHitCondition makes a breakpoint stop only when the hitting
// goroutine's own hit count satisfies op n.
func (d *Debugger) SetPerGHitCondition(idOrName, op string, n int) (*api.Breakpoint, error) {
	d.mu.Lock()
	defer d.mu.Unlock()
	return d.setHitCondition(idOrName, op, n, true)
}

// setPerG reads where a g keeps its id; only Go programs have goroutines.
func (d *Debugger) setPerG(b *breakpoint) error {
	tab := d.table()
	if tab == nil || !tab.IsGo() {
		return fmt.Errorf("breakpoint %d: -per-g-hitcount needs a Go program (this one has no goroutines); use -hitcount", b.ID)
	}
	l, err := goroutines.LoadLayout(tab)
	if err != nil {
		return fmt.Errorf("breakpoint %d: reading the runtime's goroutine layout: %w", b.ID, err)
	}
	off, size := l.GoidField()
	if size != 8 {
		return fmt.Errorf("breakpoint %d: runtime.g.goid has size %d, not 8", b.ID, size)
	}
	b.perG = &perGHits{goidOff: uint64(off), hits: map[int64]int{}}
	b.HitCond = "per goroutine " + b.HitCond
	return nil
}

// hitsFor is the count a hit condition tests: the total, or with
// -per-g-hitcount the hitting goroutine's count (this hit included).
func (b *breakpoint) hitsFor(h proc.Hit) int {
	if b.perG == nil {
		return b.TotalHits
	}
	g := hitGoid(h, b.perG.goidOff)
	b.perG.hits[g]++
	return b.perG.hits[g]
}

// hitGoid reads the goroutine id through the g register (r14 in Go
// code); 0 if there is none.
func hitGoid(h proc.Hit, goidOff uint64) int64 {
	r, err := h.Registers()
	if err != nil {
		return 0
	}
	g, err := r.DWARFRegister(14)
	if err != nil || g == 0 {
		return 0
	}
	var buf [8]byte
	if n, err := h.ReadMemory(g+goidOff, buf[:]); err != nil || n != 8 {
		return 0
	}
	return int64(binary.LittleEndian.Uint64(buf[:]))
}
