package debugger

import (
	"errors"

	"github.com/godbg/godbg/pkg/proc"
	ptarget "github.com/godbg/godbg/pkg/proc/target"
)

// Several logical breakpoints can share one address of one process (a
// user breakpoint, the temporary breakpoints of a step, the loader hook):
// each is a breaklet of the address's ptarget.Breaklets. The multiplexer
// below keeps one per address per process, and the jump-pad state of
// the address (padwire.go).

// Breaklet owners besides user breakpoints (which use their IDs, > 0).
const (
	ownStep      = -1 // a step's temporary breakpoint
	ownSolibHook = -2 // the loader's _dl_debug_state hook
)

// bpSlot is one address of one process.
type bpSlot struct {
	*ptarget.Breaklets
	padded bool        // armed as a jump pad (padwire.go): one owner only
	padAt  string      // where the pad reads its operand, for breakpoints
	repad  func() bool // re-arms the pad when its owner is alone again (padwire.go)
}

type bpMux map[proc.Process]map[uint64]*bpSlot

func newSlot(owner int, cond proc.BreakCond) *bpSlot {
	return &bpSlot{Breaklets: ptarget.NewBreaklets(owner, cond)}
}

// eval is the backend's condition for the address: every breaklet runs.
func (s *bpSlot) eval(h proc.Hit) (bool, error) { return s.Eval(h) }

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
	s.Put(owner, cond)
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
	if s.Drop(owner) {
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
	return s.FiredFor(tid, owner)
}
