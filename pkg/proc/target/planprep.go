package target

import (
	"errors"

	"github.com/godbg/godbg/pkg/proc"
	"github.com/godbg/godbg/pkg/proc/goroutines"
	"github.com/godbg/godbg/pkg/symbols"
)

// A step planned in the background (issue 12: a next's fixed cost).
// After a stop, PrepareStep plans next, step and stepout from the
// prepared frames, as StepFrom would from frame 0 of the current thread,
// with a host that only records the temporary breakpoints. The memory the
// plans read is the copy taken at the stop (the top of the stack, the
// goroutine's g.stack words); the goroutine touches no process. StepFrom
// takes a plan when nothing it was made from changed: the same thread,
// frame 0 of its own goroutine, the same registers, the same copied bytes
// in memory (known without reading it when the backend counted no change
// since the copy: proc.Generations), the same symbols. It then sets the
// recorded breaklets and runs: no unwind, no goroutine lookup, no
// decoding, no line table. WarmPlans stages those breaklets beforehand,
// dormant, and the step arms them (planarm.go).

// stepPlan is one command's plan: the Stepper planned in the background
// and the breaklets it set, in order.
type stepPlan struct {
	s     *Stepper
	rec   *planRecorder
	taken bool // a plan is used once
	// arm: the breaklets staged for it by WarmPlans (planarm.go), in the
	// order of rec.addrs (nil: none staged there).
	armed []stagedSlot
}

// planOps are the commands PrepareStep plans.
var planOps = []string{"next", "step", "stepout"}

// ForStep makes the preparation plan the steps of thread tid, whose
// goroutine's first words (g.stack, read through r14) were copied in g.
// Without it PrepareStep prepares the frames only.
func (ps *PreparedStack) ForStep(tid int, g StackSnapshot) {
	ps.tid, ps.g = tid, g
}

// Planned reports whether the background goroutine has made its plans
// (some may have been impossible: a step then plans on demand).
func (ps *PreparedStack) Planned() bool { return ps.planned.Load() }

// planSteps plans planOps from the prepared frames (PrepareStep's
// goroutine, after unwind).
func (ps *PreparedStack) planSteps(tab *symbols.Table, bias uint64) {
	if !ps.done.Load() || ps.tid == 0 || !tab.IsGo() || len(ps.frames) == 0 || IsRuntimeFunc(ps.frames[0].Func) {
		return // Prepare would look for the goroutine otherwise than in r14
	}
	l, err := goroutines.LoadLayout(tab)
	if err != nil {
		return
	}
	off, okOff := l.StackHiOffset()
	g, okG := ps.frames[0].Regs.Get(14)
	if !okOff || !okG {
		return
	}
	cfa := ps.frames[0].CFA
	depth, ok := stackDepth(ps.g, g, off, cfa)
	if !ok {
		return
	}
	plans := map[string]*stepPlan{}
	for _, op := range planOps {
		rec := &planRecorder{conds: map[uint64]proc.BreakCond{}}
		s := &Stepper{host: rec, tab: tab, bias: bias, tid: ps.tid, cfa: cfa, temps: map[uint64]stepKind{},
			g: g, hiOff: off, depth: depth}
		if err := s.Plan(op, append([]Frame(nil), ps.frames...)); err == nil && !rec.failed {
			plans[op] = &stepPlan{s: s, rec: rec}
		}
	}
	ps.tab, ps.bias, ps.plans = tab, bias, plans
	ps.planned.Store(true)
}

// stackDepth is the depth of cfa below the top of goroutine g's stack
// (g.stack.hi, at offset off in runtime.g, read through mem); ok false:
// g is not a plausible goroutine for that stack.
func stackDepth(mem Memory, g uint64, off int, cfa uint64) (uint64, bool) {
	if g == 0 {
		return 0, false
	}
	var b [8]byte
	if _, err := mem.ReadMemory(g+uint64(off), b[:]); err != nil {
		return 0, false
	}
	hi := leUint64(b[:])
	if hi < cfa || hi-cfa > 1<<30 {
		return 0, false
	}
	return hi - cfa, true
}

// takePlan gives the Stepper planned in the background for op from
// from, bound to t and with its breaklets set; ok false: there is none,
// or something it was made from changed (then StepFrom prepares and plans
// as usual).
func (t *Target) takePlan(op string, from From) (*Stepper, []Frame, bool) {
	ps := from.Prepared
	if ps == nil || from.Frame != 0 || from.OffThread || !ps.planned.Load() || ps.tid != t.tid {
		return nil, nil, false
	}
	pl := ps.plans[op]
	if pl == nil || pl.taken || t.Image.Table(t.Proc) != ps.tab || t.Image.Bias(t.Proc) != ps.bias {
		return nil, nil, false
	}
	if !ps.unchanged(t) {
		return nil, nil, false
	}
	pl.taken = true
	s := pl.s
	s.host, s.p, s.img = stepHost{t, from}, t.Proc, t.Image
	t.armPlan(pl)
	t.planned++
	return s, append([]Frame(nil), ps.frames...), true
}

// sameGeneration reports whether the backend counted no change of any
// process since the copies were taken: then the copies are still what
// the process holds, without reading it again.
func (ps *PreparedStack) sameGeneration(p proc.Inspector) bool {
	gen, ok := generation(p)
	return ok && ps.hasGen && gen == ps.gen
}

// generation is p's backend generation (ok false: it counts none).
func generation(p proc.Inspector) (uint64, bool) {
	g, ok := p.(proc.Generations)
	if !ok {
		return 0, false
	}
	return g.Generation(), true
}

// PlannedSteps counts the steps that ran a plan made in the background
// (for tests and measurements).
func (t *Target) PlannedSteps() int { return t.planned }

// planRecorder is the StepHost of a plan made in the background: it
// records the breaklets; anything that needs the process fails the plan.
type planRecorder struct {
	addrs  []uint64 // in the order they were set
	conds  map[uint64]proc.BreakCond
	failed bool
}

var errInBackground = errors.New("not available to a plan made in the background")

func (r *planRecorder) SetBreaklet(_ proc.Process, addr uint64, cond proc.BreakCond) error {
	if _, ok := r.conds[addr]; !ok {
		r.addrs = append(r.addrs, addr)
	}
	r.conds[addr] = cond
	return nil
}

func (r *planRecorder) ClearBreaklet(_ proc.Process, addr uint64) { delete(r.conds, addr) }

func (r *planRecorder) StepFired(proc.Process, *proc.Stop) bool { return false }

func (r *planRecorder) Run(proc.Process) (*proc.Stop, error) {
	r.failed = true
	return nil, errInBackground
}

// Unwind: the plan needs more frames than were prepared (a range-over-func
// parent further out).
func (r *planRecorder) Unwind(int) ([]Frame, error) {
	r.failed = true
	return nil, errInBackground
}

func (r *planRecorder) AtReturn(int) {}
