package target

import (
	"github.com/godbg/godbg/pkg/proc"
)

// Taking a plan in O(1) (issue 12: the window between a next's start and
// its resumption). While the program stays stopped after a stop,
// WarmPlans (called by the debugger under its lock, once the plans are
// made) stages each plan's breakpoints in the backend (proc.Stager) and
// builds the breaklets (slots) that will hold them. Staged is dormant: a
// staged breakpoint is not in the backend's breakpoints and a staged
// slot is not in t.bls, so no hit, read, insertion, resume, fork, detach
// or other command ever sees them; they cannot trap and change no read,
// whether dropped or not. The step that takes the plan arms them: for an
// address still held by no breaklet, SetStaged moves the backend's
// breakpoint into its table (refused, and the address set the ordinary
// way, when anything may have changed the process since) and the slot
// goes into t.bls. An address a breaklet holds by then (a user
// breakpoint set meanwhile) is set through SetBreaklet, which shares it.

// stagedSlot is a slot built ahead for one address of a plan, with the
// condition the backend runs for it.
type stagedSlot struct {
	s    *slot
	eval proc.BreakCond
}

// WarmPlans stages the breakpoints of ps's plans (see above; a backend
// that cannot stage is warmed by setting and clearing each breakpoint:
// it keeps what it found, pkg/proc/native bpcache_linux.go), and reads
// ahead what the resumption reads (the running Ps, preempt.go). The
// process must be stopped and used by no one else (the debugger calls it
// under its lock); only a launched process is warmed (an attached one
// tells its guardian of every breakpoint).
func (t *Target) WarmPlans(ps *PreparedStack) {
	p := t.Proc
	if p == nil || p.Exited() || !p.Launched() || !ps.planned.Load() || t.Image.Table(p) != ps.tab {
		return
	}
	st, _ := p.(proc.Stager)
	seen := map[uint64]bool{}
	for _, op := range planOps {
		pl := ps.plans[op]
		if pl == nil {
			continue
		}
		for i, a := range pl.rec.addrs {
			if t.bls[a] != nil {
				continue // set through SetBreaklet at the step
			}
			if st != nil {
				t.stage(st, pl, i, a, seen)
				continue
			}
			if !seen[a] && p.SetBreakpoint(a, nil) == nil {
				p.ClearBreakpoint(a)
			}
			seen[a] = true
		}
	}
	t.blsRoom(len(t.bls) + len(seen))
	t.sysmon.readAhead(t, p)
}

// blsRoom makes t.bls hold n slots without growing (as native's bpRoom).
func (t *Target) blsRoom(n int) {
	if n <= t.room {
		return
	}
	t.room = 2 * n
	bls := make(map[uint64]*slot, t.room)
	for a, s := range t.bls {
		bls[a] = s
	}
	t.bls = bls
}

// stage stages address a, the i-th of pl's, and builds its slot.
func (t *Target) stage(st proc.Stager, pl *stepPlan, i int, a uint64, seen map[uint64]bool) {
	if !seen[a] && st.StageBreakpoint(a) != nil {
		return
	}
	seen[a] = true
	if pl.armed == nil {
		pl.armed = make([]stagedSlot, len(pl.rec.addrs))
	}
	s := newSlot(OwnerStep, pl.rec.conds[a])
	pl.armed[i] = stagedSlot{s: s, eval: s.Eval}
}

// armPlan sets the breaklets of pl, taken by a step: the staged ones
// armed, those at an address a breaklet holds added to it, the others
// set as usual.
func (t *Target) armPlan(pl *stepPlan) {
	s := pl.s
	st, _ := t.Proc.(proc.Stager)
	for i, addr := range pl.rec.addrs {
		cond, ok := pl.rec.conds[addr]
		if !ok {
			delete(s.temps, addr)
			continue
		}
		var ss stagedSlot
		if i < len(pl.armed) {
			ss = pl.armed[i]
		}
		if st != nil && t.arm(st, addr, cond, ss) {
			continue
		}
		if s.host.SetBreaklet(s.p, addr, cond) != nil {
			delete(s.temps, addr)
		}
	}
}

// arm sets the step's breaklet at addr without SetBreaklet: beside those
// of the slot there when the backend holds its breakpoint, else the
// staged slot ss when the backend still has its breakpoint staged.
func (t *Target) arm(st proc.Stager, addr uint64, cond proc.BreakCond, ss stagedSlot) bool {
	if s := t.bls[addr]; s != nil {
		if !st.Holds(addr) || t.share(addr, s, OwnerStep, cond) != nil {
			return false
		}
	} else if ss.s == nil || !st.SetStaged(addr, ss.eval) {
		return false
	} else {
		t.bls[addr] = ss.s
	}
	t.armed++
	return true
}

// unchanged reports whether t's process is as ps copied it: the thread's
// registers and the memory the plans read. When the backend counted no
// change since the copy, the registers are not read either.
func (ps *PreparedStack) unchanged(t *Target) bool {
	if ps.sameGeneration(t.Proc) && t.Image.sameInputs(t.Proc, ps.regs, ps.regs) {
		return true
	}
	regs, ok := threadRegs(t.Proc, t.tid)
	return ok && t.Image.sameInputs(t.Proc, regs, ps.regs) && sameMemory(t.Proc, ps.read, ps.g)
}

// ArmedBreaklets counts the breaklets steps armed without SetBreaklet
// (for tests and measurements).
func (t *Target) ArmedBreaklets() int { return t.armed }

// BreakletSets counts SetBreaklet's calls that set a breaklet.
func (t *Target) BreakletSets() int { return t.sets }
