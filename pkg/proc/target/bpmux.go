package target

import (
	"errors"

	"github.com/godbg/godbg/pkg/proc"
)

// Several logical breakpoints can share one address of one process (a
// user breakpoint, the temporary breakpoints of a step, the loader hook):
// each is a breaklet of the address's Breaklets. A Target keeps one per
// address, with the jump-pad state of the address (padwire.go); the
// backend sees one breakpoint whose condition runs every breaklet.

// Breaklet owners besides user breakpoints (which use their IDs, > 0).
const (
	OwnerStep      = -1 // a step's temporary breakpoint
	OwnerSolibHook = -2 // the loader's _dl_debug_state hook
	OwnerRunTo     = -3 // the temporary breakpoints of continue <locspec>
	OwnerWatchRet  = -4 // where a watched local's frame returns (its scope ends)
)

// slot is one address of the process.
type slot struct {
	*Breaklets
	padded bool        // armed as a jump pad (padwire.go): one owner only
	padAt  string      // where the pad reads its operand, for breakpoints
	repad  func() bool // re-arms the pad when its owner is alone again (padwire.go)
}

func newSlot(owner int, cond proc.BreakCond) *slot {
	return &slot{Breaklets: NewBreaklets(owner, cond)}
}

// SetBreaklet adds owner's breaklet (cond nil: always stops) at addr,
// beside the others there (replacing owner's previous one).
func (t *Target) SetBreaklet(addr uint64, owner int, cond proc.BreakCond) error {
	p, err := t.Live("a breakpoint")
	if err != nil {
		return err
	}
	s := t.bls[addr]
	t.sets++
	fresh := newSlot(owner, cond)
	err = p.SetBreakpoint(addr, fresh.Eval)
	switch {
	case err == nil:
		t.bls[addr] = fresh // the backend had none: whatever was known is stale
		return nil
	case !errors.Is(err, proc.ErrBreakpointExists):
		return err
	case s == nil:
		// Planted by someone else (inherited at a fork): take it over.
		if err := p.ClearBreakpoint(addr); err != nil {
			return err
		}
		if err := p.SetBreakpoint(addr, fresh.Eval); err != nil {
			return err
		}
		t.bls[addr] = fresh
		return nil
	}
	return t.share(addr, s, owner, cond)
}

// share adds owner's breaklet to s, the slot at addr, whose breakpoint
// the backend holds.
func (t *Target) share(addr uint64, s *slot, owner int, cond proc.BreakCond) error {
	if s.padded { // pad (issue 17): a second breaklet needs every hit
		if err := t.unpad(addr, s); err != nil {
			return err
		}
	}
	s.Put(owner, cond)
	return nil
}

// ClearBreaklet removes owner's breaklet at addr; the last one removes
// the breakpoint.
func (t *Target) ClearBreaklet(addr uint64, owner int) {
	p := t.Proc
	if p == nil {
		return // a core file has none
	}
	s := t.bls[addr]
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
	delete(t.bls, addr)
	if !p.Exited() {
		p.ClearBreakpoint(addr)
	}
}

// Breaklets are those at addr (nil: none).
func (t *Target) Breaklets(addr uint64) *Breaklets {
	if s := t.bls[addr]; s != nil {
		return s.Breaklets
	}
	return nil
}

// FiredFor reports whether owner's breaklet stopped thread tid at its
// last hit of addr.
func (t *Target) FiredFor(addr uint64, tid, owner int) bool {
	s := t.bls[addr]
	return s != nil && s.FiredFor(tid, owner)
}

// Fired reports whether owner's breaklet stopped the thread of st.
func (t *Target) Fired(st *proc.Stop, owner int) bool {
	return st.Reason == proc.StopBreakpoint && t.FiredFor(st.Addr, st.Tid, owner)
}

// FiredAlone reports whether owner's breaklet stopped the thread of st
// and no user breakpoint (owner > 0) at the address did.
func (t *Target) FiredAlone(st *proc.Stop, owner int) bool {
	s := t.bls[st.Addr]
	if s == nil || !s.FiredFor(st.Tid, owner) {
		return false
	}
	for _, o := range s.owners {
		if o > 0 && o != owner && s.FiredFor(st.Tid, o) {
			return false
		}
	}
	return true
}
