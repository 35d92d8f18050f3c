package target

import (
	"encoding/binary"
	"errors"
	"fmt"

	"github.com/godbg/godbg/pkg/proc"
	"github.com/godbg/godbg/pkg/proc/goroutines"
	"github.com/godbg/godbg/pkg/symbols"
)

// Hits are a user breakpoint's hits, counted on the tracer thread at
// each hit whose condition holds, and its hit condition (Delve's
// condition -hitcount and -per-g-hitcount). In a Go program (CountGoroutines)
// the hits are counted per goroutine too, as Delve shows them
// (TestBreakpointCounts: "goroutine(N):k total:T"), and the per-goroutine
// hit condition tests the same counts.
type Hits struct {
	Total    int
	ByThread map[int]int
	// ByGoroutine counts the hits of each goroutine (Go programs); a hit
	// in no goroutine (a C or runtime frame) counts in noG.
	ByGoroutine map[int64]int
	noG         int
	last        map[int]int64    // the goroutine of each thread's last hit
	gs          *hitGoroutines   // nil: no goroutines (C programs)
	cond        func(n int) bool // nil: every counted hit stops
	perG        bool             // the hit condition tests the goroutine's count
}

// hitGoroutines is where a hitting thread's goroutine is read; the
// runtime's layout is read at the first hit (from DWARF only, cached per
// binary), so setting breakpoints, internal ones included, costs nothing.
type hitGoroutines struct {
	tab            *symbols.Table // until the layout is read
	ready          bool
	goidOff, loOff uint64 // runtime.g.goid, runtime.g.stack.lo
}

// Hit counts a hit of thread tid.
func (h *Hits) Hit(tid int) {
	h.Total++
	if h.ByThread == nil {
		h.ByThread = map[int]int{}
	}
	h.ByThread[tid]++
}

// SetCond makes the breakpoint stop only when its hit count satisfies
// op n (== != < <= > >= %); it counts all hits again (not per goroutine).
func (h *Hits) SetCond(op string, n int) error {
	var f func(int) bool
	switch op {
	case "==":
		f = func(h int) bool { return h == n }
	case "!=":
		f = func(h int) bool { return h != n }
	case "<":
		f = func(h int) bool { return h < n }
	case "<=":
		f = func(h int) bool { return h <= n }
	case ">":
		f = func(h int) bool { return h > n }
	case ">=":
		f = func(h int) bool { return h >= n }
	case "%":
		if n == 0 {
			return fmt.Errorf("hit condition %% 0 divides by zero")
		}
		f = func(h int) bool { return h%n == 0 }
	default:
		return fmt.Errorf("unknown hit-count operator %q; use one of == != < <= > >= %%", op)
	}
	h.cond, h.perG = f, false
	return nil
}

// CountGoroutines counts the hits per goroutine from now on, tab being
// the program's symbols; nothing changes for a program without goroutines.
func (h *Hits) CountGoroutines(tab *symbols.Table) {
	if h.gs != nil || tab == nil || !tab.IsGo() {
		return
	}
	h.gs = &hitGoroutines{tab: tab}
	h.last = map[int]int64{}
}

// CountPerG makes the hit condition test the hitting goroutine's own
// count (condition -per-g-hitcount); tab is the program's symbols. The
// error says why the program's goroutines cannot be told apart.
func (h *Hits) CountPerG(tab *symbols.Table) error {
	if tab == nil || !tab.IsGo() {
		return errors.New("-per-g-hitcount needs a Go program (this one has no goroutines); use -hitcount")
	}
	if _, _, err := readHitLayout(tab); err != nil {
		return err
	}
	h.CountGoroutines(tab)
	h.perG = true
	return nil
}

// readHitLayout reads the offsets of runtime.g.goid and runtime.g.stack.lo.
func readHitLayout(tab *symbols.Table) (goidOff, loOff uint64, err error) {
	l, err := goroutines.LoadLayout(tab)
	if err != nil {
		return 0, 0, fmt.Errorf("reading the runtime's goroutine layout: %w", err)
	}
	off, size := l.GoidField()
	if size != 8 {
		return 0, 0, fmt.Errorf("runtime.g.goid has size %d, not 8", size)
	}
	hi, ok := l.StackHiOffset()
	if !ok || hi < 8 {
		return 0, 0, errors.New("runtime.g.stack has no hi field")
	}
	return uint64(off), uint64(hi - 8), nil
}

// Allows reports whether the hit condition lets the n-th hit stop.
func (h *Hits) Allows(n int) bool { return h.cond == nil || h.cond(n) }

// Stops counts a hit and reports whether the hit condition lets it stop.
func (h *Hits) Stops(hit proc.Hit) bool {
	h.Hit(hit.Tid())
	g, inG := h.countG(hit)
	if h.cond == nil {
		return true
	}
	switch {
	case !h.perG:
		return h.cond(h.Total)
	case inG:
		return h.cond(h.ByGoroutine[g])
	}
	return h.cond(h.noG)
}

// countG counts a hit for its goroutine (Go programs); false: the hit is
// in no goroutine, or goroutines are not counted.
func (h *Hits) countG(hit proc.Hit) (int64, bool) {
	if h.gs == nil {
		return 0, false
	}
	g, ok := h.gs.of(hit)
	if !ok {
		h.noG++
		delete(h.last, hit.Tid())
		return 0, false
	}
	if h.ByGoroutine == nil {
		h.ByGoroutine = map[int64]int{}
	}
	h.ByGoroutine[g]++
	h.last[hit.Tid()] = g
	return g, true
}

// StopGoroutine is the goroutine whose hit stopped thread tid last (0:
// none known).
func (h *Hits) StopGoroutine(tid int) int64 { return h.last[tid] }

// of reads the goroutine of a hit from r14, where Go code keeps g; the
// hit's sp must lie in that g's stack, so a C or runtime frame (r14 is then
// not a g) counts for no goroutine.
func (gs *hitGoroutines) of(hit proc.Hit) (int64, bool) {
	if !gs.ready {
		if gs.tab == nil {
			return 0, false // the layout could not be read
		}
		goidOff, loOff, err := readHitLayout(gs.tab)
		gs.tab = nil // tried once
		if err != nil {
			return 0, false
		}
		gs.goidOff, gs.loOff, gs.ready = goidOff, loOff, true
	}
	r, err := hit.Registers()
	if err != nil {
		return 0, false
	}
	g, id, ok := HitG(r, hit, gs.goidOff)
	if !ok {
		return 0, false
	}
	var st [16]byte // stack.lo, stack.hi
	if n, err := hit.ReadMemory(g+gs.loOff, st[:]); err != nil || n != 16 {
		return 0, false
	}
	lo, hi := binary.LittleEndian.Uint64(st[:8]), binary.LittleEndian.Uint64(st[8:])
	if sp := r.SP(); sp < lo || sp >= hi {
		return 0, false
	}
	return id, true
}

// HitG reads the goroutine of a thread stopped at a hit through the g
// register (r14 in Go code): the g's address and its goid (runtime.g.goid
// at goidOff); ok false if there is none.
func HitG(r proc.Registers, h proc.Hit, goidOff uint64) (g uint64, goid int64, ok bool) {
	g, err := r.DWARFRegister(14)
	if err != nil || g == 0 {
		return 0, 0, false
	}
	var buf [8]byte
	if n, err := h.ReadMemory(g+goidOff, buf[:]); err != nil || n != 8 {
		return 0, 0, false
	}
	return g, int64(binary.LittleEndian.Uint64(buf[:])), true
}

// UserHit decides one hit of user breakpoint id at an address (the body
// of its breaklet's condition, on the tracer thread): its condition src
// (bound there as c; src "": none), whose error stops the program, then
// its hits and hit condition.
func UserHit(id int, src string, c *CondAt, h *Hits, hit proc.Hit) (bool, error) {
	if src != "" {
		if c == nil {
			return true, fmt.Errorf("condition %q of breakpoint %d is not bound here", src, id)
		}
		ok, err := c.Eval(hit)
		if err != nil {
			return true, fmt.Errorf("condition %q of breakpoint %d: %w", src, id, err)
		}
		if !ok {
			return false, nil
		}
	}
	return h.Stops(hit), nil
}
