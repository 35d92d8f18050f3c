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
	owners []int            // breaklet owners, in order
	conds  []proc.BreakCond // their conditions; nil: always stops
	fired  map[int]uint64   // by tid: bit i set when owners[i] said stop at its last hit
	padded bool             // armed as a jump pad (padwire.go): one owner only
	padAt  string           // where the pad reads its operand, for breakpoints
	repad  func() bool      // re-arms the pad when its owner is alone again (padwire.go)
}

type bpMux map[proc.Process]map[uint64]*bpSlot

func newSlot(owner int, cond proc.BreakCond) *bpSlot {
	return &bpSlot{owners: []int{owner}, conds: []proc.BreakCond{cond}, fired: map[int]uint64{}}
}

// eval runs every breaklet of a slot for one hit (no allocation once the
// thread has been seen).
func (s *bpSlot) eval(h proc.Hit) (bool, error) {
	var bits uint64
	var firstErr error
	for i, c := range s.conds {
		ok, err := true, error(nil)
		if c != nil {
			ok, err = c(h)
		}
		if err != nil && firstErr == nil {
			firstErr = err
		}
		if ok && i < 64 {
			bits |= 1 << i
		}
	}
	s.fired[h.Tid()] = bits
	return bits != 0, firstErr
}

// put sets owner's condition; drop removes it (reporting whether any
// breaklet is left). Either forgets what fired: the bits follow the order.
func (s *bpSlot) put(owner int, cond proc.BreakCond) {
	for i, o := range s.owners {
		if o == owner {
			s.conds[i] = cond
			return
		}
	}
	s.owners, s.conds = append(s.owners, owner), append(s.conds, cond)
}

func (s *bpSlot) drop(owner int) bool {
	for i, o := range s.owners {
		if o == owner {
			s.owners = append(s.owners[:i], s.owners[i+1:]...)
			s.conds = append(s.conds[:i], s.conds[i+1:]...)
			clear(s.fired)
			break
		}
	}
	return len(s.owners) > 0
}

func (s *bpSlot) has(owner int) (int, bool) {
	for i, o := range s.owners {
		if o == owner {
			return i, true
		}
	}
	return 0, false
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
	fresh := newSlot(owner, cond)
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
	if s.padded { // pad (issue 17): a second breaklet needs every hit
		if err := d.unpad(p, addr, s); err != nil {
			return err
		}
	}
	s.put(owner, cond)
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
	if s.drop(owner) {
		if s.repad != nil && !s.padded && !p.Exited() { // pad (issue 17)
			s.repad()
		}
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
	if s == nil {
		return false
	}
	i, ok := s.has(owner)
	return ok && i < 64 && s.fired[tid]&(1<<i) != 0
}
