package debugger

import (
	"errors"

	"github.com/godbg/godbg/pkg/proc"
)

// Several logical breakpoints can share one address of one process: a
// user breakpoint, the temporary breakpoints of a step, the loader hook.
// Each is a breaklet with its own condition; the backend sees one
// breakpoint whose condition evaluates them all and stops when any says
// so. What each said at a thread's last hit is kept, so that a stop can be
// told apart: a user breakpoint whose condition is false no longer hides
// a step's breakpoint on the same line.

// Breaklet owners besides user breakpoints (which use their IDs, > 0).
const (
	ownStep      = -1 // a step's temporary breakpoint
	ownSolibHook = -2 // the loader's _dl_debug_state hook
)

// bpSlot is one address of one process.
type bpSlot struct {
	conds map[int]proc.BreakCond // by owner; nil: always stops
	fired map[int]map[int]bool   // by tid: which owners said stop at its last hit
}

type bpMux map[proc.Process]map[uint64]*bpSlot

// eval runs every breaklet of a slot for one hit.
func (s *bpSlot) eval(h proc.Hit) (bool, error) {
	got := map[int]bool{}
	stop := false
	var firstErr error
	for o, c := range s.conds {
		ok, err := true, error(nil)
		if c != nil {
			ok, err = c(h)
		}
		if err != nil && firstErr == nil {
			firstErr = err
		}
		if ok {
			got[o], stop = true, true
		}
	}
	s.fired[h.Tid()] = got
	return stop, firstErr
}

// setBP adds owner's breaklet at addr in p (replacing its previous one).
func (d *Debugger) setBP(p proc.Process, addr uint64, owner int, cond proc.BreakCond) error {
	if d.mux == nil {
		d.mux = bpMux{}
	}
	for q := range d.mux {
		if q.Exited() {
			delete(d.mux, q) // a gone process (restart, exit)
		}
	}
	slots := d.mux[p]
	if slots == nil {
		slots = map[uint64]*bpSlot{}
		d.mux[p] = slots
	}
	s := slots[addr]
	fresh := &bpSlot{conds: map[int]proc.BreakCond{owner: cond}, fired: map[int]map[int]bool{}}
	err := p.SetBreakpoint(addr, fresh.eval)
	switch {
	case err == nil:
		slots[addr] = fresh // the backend had none: whatever was known is stale
		return nil
	case !errors.Is(err, proc.ErrBreakpointExists):
		return err
	case s == nil:
		// Planted by someone else (inherited at a fork): take it over.
		if err := p.ClearBreakpoint(addr); err != nil {
			return err
		}
		if err := p.SetBreakpoint(addr, fresh.eval); err != nil {
			return err
		}
		slots[addr] = fresh
		return nil
	}
	s.conds[owner] = cond
	return nil
}

// clearBP removes owner's breaklet at addr; the last one removes the
// breakpoint.
func (d *Debugger) clearBP(p proc.Process, addr uint64, owner int) {
	s := d.mux[p][addr]
	if s == nil {
		if !p.Exited() {
			p.ClearBreakpoint(addr)
		}
		return
	}
	delete(s.conds, owner)
	if len(s.conds) > 0 {
		return
	}
	delete(d.mux[p], addr)
	if !p.Exited() {
		p.ClearBreakpoint(addr)
	}
}

// firedFor reports whether owner's breaklet stopped thread tid at its last
// hit of addr.
func (d *Debugger) firedFor(p proc.Process, addr uint64, tid, owner int) bool {
	s := d.mux[p][addr]
	return s != nil && s.fired[tid][owner]
}

// hasBreaklet reports whether owner has a breaklet at addr.
func (d *Debugger) hasBreaklet(p proc.Process, addr uint64, owner int) bool {
	s := d.mux[p][addr]
	if s == nil {
		return false
	}
	_, ok := s.conds[owner]
	return ok
}
