package target

import (
	"encoding/binary"
	"fmt"

	"github.com/godbg/godbg/pkg/proc"
)

// Hits are a user breakpoint's hits, counted on the tracer thread at
// each hit whose condition holds, and its hit condition (Delve's
// condition -hitcount and -per-g-hitcount).
type Hits struct {
	Total    int
	ByThread map[int]int
	// Counted, if set, is called for each counted hit, after Total and
	// ByThread and before the hit condition (other counts, such as per
	// goroutine), on the tracer thread.
	Counted func(hit proc.Hit)
	cond    func(n int) bool // nil: every counted hit stops
	perG    *perGHits        // the hit condition counts per goroutine
}

// perGHits keeps a breakpoint's hit count per goroutine.
type perGHits struct {
	goidOff uint64 // of runtime.g.goid
	hits    map[int64]int
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
	h.cond, h.perG = f, nil
	return nil
}

// CountPerG makes the hit condition test the hitting goroutine's own
// count; goidOff is the offset of runtime.g.goid.
func (h *Hits) CountPerG(goidOff uint64) {
	h.perG = &perGHits{goidOff: goidOff, hits: map[int64]int{}}
}

// Allows reports whether the hit condition lets the n-th hit stop.
func (h *Hits) Allows(n int) bool { return h.cond == nil || h.cond(n) }

// Stops counts a hit and reports whether the hit condition lets it stop.
func (h *Hits) Stops(hit proc.Hit) bool {
	h.Hit(hit.Tid())
	if h.Counted != nil {
		h.Counted(hit)
	}
	if h.cond == nil {
		return true
	}
	return h.cond(h.countFor(hit))
}

// countFor is the count a hit condition tests: the total, or with
// -per-g-hitcount the hitting goroutine's count (this hit included).
func (h *Hits) countFor(hit proc.Hit) int {
	if h.perG == nil {
		return h.Total
	}
	var g int64 // 0: no goroutine
	if r, err := hit.Registers(); err == nil {
		_, g, _ = HitG(r, hit, h.perG.goidOff)
	}
	h.perG.hits[g]++
	return h.perG.hits[g]
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
