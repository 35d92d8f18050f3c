package target

import "github.com/godbg/godbg/pkg/proc"

// Several logical breakpoints can share one address of one process: a
// user breakpoint, the temporary breakpoints of a step, the loader hook.
// Each is a breaklet with its own condition; the backend sees one
// breakpoint whose condition (Breaklets.Eval) evaluates them all and
// stops when any says so. What each said at a thread's last hit is kept,
// so that a stop can be told apart: a user breakpoint whose condition is
// false no longer hides a step's breakpoint on the same line.

// Breaklets are the logical breakpoints at one address of one process,
// by owner (the service's numbering: user breakpoints by ID, steps and
// internal hooks by negative numbers).
type Breaklets struct {
	owners []int            // breaklet owners, in order
	conds  []proc.BreakCond // their conditions; nil: always stops
	fired  map[int]uint64   // by tid: bit i set when owners[i] said stop at its last hit
}

// NewBreaklets starts an address with owner's breaklet.
func NewBreaklets(owner int, cond proc.BreakCond) *Breaklets {
	return &Breaklets{owners: []int{owner}, conds: []proc.BreakCond{cond}, fired: map[int]uint64{}}
}

// Eval runs every breaklet for one hit (no allocation once the thread has
// been seen): the backend's condition for the address.
func (s *Breaklets) Eval(h proc.Hit) (bool, error) {
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

// Put sets owner's condition; Drop removes it (reporting whether any
// breaklet is left). Either forgets what fired: the bits follow the order.
func (s *Breaklets) Put(owner int, cond proc.BreakCond) {
	for i, o := range s.owners {
		if o == owner {
			s.conds[i] = cond
			return
		}
	}
	s.owners, s.conds = append(s.owners, owner), append(s.conds, cond)
}

func (s *Breaklets) Drop(owner int) bool {
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

// Has reports whether owner has a breaklet here.
func (s *Breaklets) Has(owner int) bool {
	_, ok := s.index(owner)
	return ok
}

// Only reports whether owner's breaklet is the only one.
func (s *Breaklets) Only(owner int) bool {
	return len(s.owners) == 1 && s.owners[0] == owner
}

// FiredFor reports whether owner's breaklet stopped thread tid at its
// last hit.
func (s *Breaklets) FiredFor(tid, owner int) bool {
	i, ok := s.index(owner)
	return ok && i < 64 && s.fired[tid]&(1<<i) != 0
}

func (s *Breaklets) index(owner int) (int, bool) {
	for i, o := range s.owners {
		if o == owner {
			return i, true
		}
	}
	return 0, false
}
