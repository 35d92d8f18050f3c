package debugger

import (
	"errors"
	"fmt"
	"strings"

	"github.com/godbg/godbg/pkg/proc"
	"github.com/godbg/godbg/pkg/proc/expr"
	"github.com/godbg/godbg/pkg/proc/goroutines"
	ptarget "github.com/godbg/godbg/pkg/proc/target"
	"github.com/godbg/godbg/pkg/proc/values"
	"github.com/godbg/godbg/pkg/proc/variables"
	"github.com/godbg/godbg/pkg/symbols"
	"github.com/godbg/godbg/service/api"
)

// Source-level stepping runs the program, not single steps: temporary
// breakpoints go on the places the step may end (every line start of the
// function, the return address; for step, the calls on the current line),
// each with a condition evaluated on the tracer thread that lets only the
// stepping goroutine, in the stepping frame, stop there. Other goroutines
// run through them without a stop; a user breakpoint or signal that stops
// the program meanwhile ends the step and is reported as it is.

// stepKind says what a temporary breakpoint is for.
type stepKind int

const (
	stepLine    stepKind = iota // a line start in the frame: the step ends
	stepRet                     // the frame's return address: the step ends
	stepCall                    // a call on the current line (step): go into it
	stepEntry                   // a callee's first statement (step): the step ends
	stepBack                    // a skipped callee's return address: go on
	stepRetInsn                 // a RET of the frame (stepout): read the results, go on
	stepDefer                   // the call of a deferred function by a panic (or deferreturn, for step): go into it
	stepGo                      // a new goroutine's function (step on a go statement): the step ends there
	stepBody                    // a line start of a range-over-func parent or body: the step ends in the anchor's frame
)

type stepper struct {
	d     *Debugger
	p     proc.Process
	tab   *symbols.Table
	bias  uint64
	g     uint64 // the goroutine's g (Go), or 0: the thread tid
	tid   int
	cfa   uint64 // the stepping frame's CFA
	temps map[uint64]stepKind
	owner string // the stepping frame's function: the deferred calls it made stop the step
	// anchor is the range-over-func parent whose frame is the stepping
	// frame ("": none; see steprange.go).
	anchor string
	op     string         // next, step or stepout: what a continue completes
	res    []api.Variable // stepout: the results read at the RET
	// hiOff is the offset of g.stack.hi in runtime.g (-1: unknown). A Go
	// frame is then identified by its depth below the stack's top, which
	// survives the runtime moving the stack (a panic or a deep call can
	// grow it); depth is the stepping frame's.
	hiOff int
	depth uint64
}

// newStepper captures the selected frame of the current goroutine.
func (d *Debugger) newStepper() (*stepper, []ptarget.Frame, error) {
	p, err := d.live()
	if err != nil {
		return nil, nil, err
	}
	tab := d.table()
	if tab == nil {
		return nil, nil, d.noSymbolsErr()
	}
	frames, err := d.unwind(d.frame + 2)
	if len(frames) <= d.frame {
		if err == nil {
			err = errors.New("no stack")
		}
		return nil, nil, fmt.Errorf("cannot step: %w", err)
	}
	s := &stepper{d: d, p: p, tab: tab, bias: d.bias(), tid: d.cur, cfa: frames[d.frame].CFA, temps: map[uint64]stepKind{}, hiOff: -1}
	if tab.IsGo() {
		if r, err := d.goReader(); err == nil {
			if d.curG == 0 && !isRuntimeFunc(frames[0].Func) && s.fastG(r, frames[0].Regs) {
				return s, frames[d.frame:], nil
			}
			if g, err := d.curGoroutine(r); err == nil {
				s.g = g.Addr
				if g.ThreadID != 0 {
					s.tid = g.ThreadID
				}
				if off, ok := r.Layout().StackHiOffset(); ok && g.StackHi >= s.cfa {
					s.hiOff, s.depth = off, g.StackHi-s.cfa
				}
			}
		}
	}
	return s, frames[d.frame:], nil
}

// fastG takes the goroutine from r14, where Go code keeps g, when the
// thread stopped in Go code outside the runtime (no allm walk needed).
func (s *stepper) fastG(r *goroutines.Reader, regs ptarget.Regs) bool {
	g, ok := regs.Get(14)
	off, okOff := r.Layout().StackHiOffset()
	if !ok || !okOff || g == 0 {
		return false
	}
	var b [8]byte
	if _, err := s.p.ReadMemory(g+uint64(off), b[:]); err != nil {
		return false
	}
	hi := leUint64(b[:])
	if hi < s.cfa || hi-s.cfa > 1<<30 {
		return false // not a plausible g for this stack
	}
	s.g, s.hiOff, s.depth = g, off, hi-s.cfa
	return true
}

// depthOf converts a stack address of the stepping goroutine at a hit to
// its depth below the stack's top (or returns it as is without a g).
func (s *stepper) depthOf(h proc.Hit, addr uint64) (uint64, bool) {
	if s.hiOff < 0 {
		return addr, true
	}
	var b [8]byte
	if _, err := h.ReadMemory(s.g+uint64(s.hiOff), b[:]); err != nil {
		return 0, false
	}
	hi := leUint64(b[:])
	if addr > hi {
		return 0, false
	}
	return hi - addr, true
}

// sameG reports whether a hit is the stepping goroutine's (thread's).
func (s *stepper) sameG(h proc.Hit) (proc.Registers, bool) {
	r, err := h.Registers()
	if err != nil {
		return nil, false
	}
	if s.g == 0 {
		return r, h.Tid() == s.tid
	}
	r14, err := r.DWARFRegister(14) // Go keeps g in r14
	return r, err == nil && r14 == s.g
}

// cfaAt computes the CFA of the frame a hit stopped in.
func (s *stepper) cfaAt(h proc.Hit, r proc.Registers) uint64 {
	regs, err := ptarget.RegsOf(r)
	if err != nil {
		return 0
	}
	frames, _ := ptarget.Unwind(s.tab, s.bias, regs, h, 2)
	if len(frames) == 0 {
		return 0
	}
	return frames[0].CFA
}

// set plants one temporary breakpoint for the frame whose CFA is cfa
// now, as a breaklet beside any user breakpoint at the same address.
func (s *stepper) set(addr uint64, kind stepKind, cfa uint64) {
	if _, ok := s.temps[addr]; ok {
		return
	}
	want := cfa // as a depth below the stack top when a g is known
	if s.hiOff >= 0 {
		want = s.depth + s.cfa - cfa
	}
	cond := func(h proc.Hit) (bool, error) {
		r, ok := s.sameG(h)
		if kind == stepGo {
			return r != nil && !ok, nil
		}
		if !ok || kind == stepDefer {
			return ok, nil
		}
		if kind == stepRet || kind == stepBack {
			// The frame has returned: sp is at or above its CFA.
			sp, ok := s.depthOf(h, r.SP())
			if s.hiOff < 0 {
				return ok && sp >= want, nil
			}
			return ok && sp <= want, nil
		}
		cfa := s.cfaAt(h, r)
		if kind == stepBody {
			cfa = s.anchorCFA(h, r)
		}
		got, ok := s.depthOf(h, cfa)
		return ok && cfa != 0 && got == want, nil
	}
	if err := s.d.setBP(s.p, addr, ownStep, cond); err == nil {
		s.temps[addr] = kind
	}
}

func (s *stepper) clear() {
	for addr := range s.temps {
		s.d.clearBP(s.p, addr, ownStep)
		delete(s.temps, addr)
	}
}

// code returns a function's instructions (cached per image).
func (d *Debugger) code(fn *symbols.Func) []symbols.Inst {
	return d.tgt.img.bin.Code(d.proc(), fn)
}

// frameFunc is the function of a frame, with its code.
func (s *stepper) frameFunc(f *ptarget.Frame) (*symbols.Func, []symbols.Inst, error) {
	fn := s.tab.PCToFunc(f.PC - s.bias)
	if f.Kind != ptarget.KindTop && f.Kind != ptarget.KindSignal {
		fn = s.tab.PCToFunc(f.PC - 1 - s.bias)
	}
	if fn == nil {
		return nil, nil, fmt.Errorf("no function at %#x: nothing to step through (stepi steps instructions)", f.PC)
	}
	return fn, s.d.code(fn), nil
}

// planFrame sets the line starts of the frame's function and its return
// address; with calls, also the calls on the current line.
func (s *stepper) planFrame(frames []ptarget.Frame, calls bool) error {
	f := &frames[0]
	fn, code, err := s.frameFunc(f)
	if err != nil {
		return err
	}
	if calls || !s.planInlined(fn, code, f.PC-s.bias) {
		for _, in := range symbols.LineStarts(code, s.tab.FirstStmtPC(fn)) {
			s.set(in.PC+s.bias, stepLine, s.cfa)
		}
	}
	if calls {
		s.planCalls(f, code, s.cfa)
	}
	if r := returnIndex(frames); r < len(frames) && frames[r].PC != 0 {
		s.set(frames[r].PC, stepRet, s.cfa)
	}
	return nil
}

// planCalls plants the calls on the current line of frame f (CFA cfa).
func (s *stepper) planCalls(f *ptarget.Frame, code []symbols.Inst, cfa uint64) {
	_, line, _ := s.tab.PCToLine(f.PC - s.bias)
	for _, in := range code {
		if in.Call && in.Line == line {
			s.set(in.PC+s.bias, stepCall, cfa)
		}
	}
}

// run continues until a stop; a temporary breakpoint's kind is returned
// with it (ok false: something else stopped the program).
func (s *stepper) run() (*proc.Stop, stepKind, bool, error) {
	st, err := s.d.runToStop(s.p)
	if err != nil {
		return nil, 0, false, err
	}
	if st.Reason == proc.StopBreakpoint && st.CondErr == nil && st.Pid == s.p.Pid() {
		k, ok := s.temps[st.Addr]
		if ok && s.d.firedFor(s.p, st.Addr, st.Tid, ownStep) && !s.d.userFired(s.p, st) {
			return st, k, true, nil
		}
	}
	return st, 0, false, nil
}

// userFired reports whether a user breakpoint stopped the thread of st.
func (d *Debugger) userFired(p proc.Process, st *proc.Stop) bool {
	b := d.tgt.img.byAddr[st.Addr]
	if t := d.targets[st.Pid]; t != nil {
		b = t.img.byAddr[st.Addr]
	}
	return b != nil && d.firedFor(p, st.Addr, st.Tid, b.ID)
}

// finish records the end of a step: a temporary stop is "stepped".
func (s *stepper) finish(st *proc.Stop, ours bool) *api.State {
	s.clear()
	if s.d.stepPending == s {
		s.d.stepPending = nil
	}
	if ours {
		st = &proc.Stop{Reason: proc.StopStepped, Pid: st.Pid, Tid: st.Tid}
	}
	s.d.stopIn(st)
	return s.d.state()
}

// skipFunc: functions step does not enter (the runtime, wrappers, code
// without source).
func skipFunc(fn *symbols.Func, file string) bool {
	return fn == nil || file == "" || file == "<autogenerated>" || isRuntimeFunc(fn.Name) ||
		strings.HasPrefix(fn.Name, "runtime/")
}

// enter executes the call a thread stopped at and either stops at the
// callee's first statement, or arranges to come back from a callee step
// does not enter.
func (s *stepper) enter(stop *proc.Stop, deferred bool) (bool, *api.State) {
	st, err := s.p.StepInstruction(stop.Tid)
	if err != nil || st.Reason != proc.StopStepped {
		if err != nil {
			st = stop
		}
		return true, s.finish(st, false)
	}
	th, ok := s.p.Thread(stop.Tid)
	if !ok {
		return true, s.finish(st, false)
	}
	r, err := th.Registers()
	if err != nil {
		return true, s.finish(st, false)
	}
	pc, sp := r.PC(), r.SP()
	fn := s.tab.PCToFunc(pc - s.bias)
	var file string
	var first uint64
	if fn != nil {
		first = s.tab.FirstStmtPC(fn)
		file, _, _ = s.tab.PCToLine(first)
	}
	if fn != nil && fn.Name == "runtime.newproc" && s.op == "step" {
		if to := s.newprocTarget(r); to != 0 {
			s.clear() // the step follows the new goroutine only
			s.set(to, stepGo, 0)
			return false, nil
		}
	}
	var ret [8]byte
	wrapper := s.passThrough(fn, file)
	if deferred && !s.ownsDeferred(fn) {
		wrapper = false // deferred by another frame: run it through
	}
	if wrapper || skipFunc(fn, file) || deferred && !s.ownsDeferred(fn) {
		if _, err := s.p.ReadMemory(sp, ret[:]); err == nil {
			s.set(leUint64(ret[:]), stepBack, sp+8)
		}
		if wrapper {
			s.through(fn, sp+8) // on into what it calls
		}
		return false, nil
	}
	if first+s.bias == pc {
		return true, s.finish(&proc.Stop{Reason: proc.StopStepped, Pid: st.Pid, Tid: stop.Tid}, false)
	}
	s.set(first+s.bias, stepEntry, sp+8)
	return false, nil
}

// resultsAt reads the results of the function thread tid is about to
// return from (it stands on a RET).
func (d *Debugger) resultsAt(tid int) []api.Variable {
	regs, ok := threadRegs(d.proc(), tid)
	if !ok {
		return nil
	}
	frames, _ := ptarget.Unwind(d.table(), d.bias(), regs, d.proc(), 2)
	if len(frames) == 0 {
		return nil
	}
	vf, err := d.varFrame(&frames[0])
	if err != nil {
		return nil
	}
	l, err := d.loader()
	if err != nil {
		return nil
	}
	sc := expr.NewFrameScope(d.table(), vf, l, d.proc())
	var out []api.Variable
	for _, v := range vf.Args() {
		if v.Kind == variables.Result {
			out = append(out, apiVariable(sc.LoadVar(v, values.DefaultLoadConfig), false, 0))
		}
	}
	return out
}

// runToStop continues every target until a stop worth reporting,
// following execs as Continue does.
func (d *Debugger) runToStop(p proc.Process) (*proc.Stop, error) {
	d.noteGoProgram()
	for {
		d.watchResync() // watch
		st, err := p.Continue()
		if err != nil {
			return nil, err
		}
		d.syncTargets()
		if d.watchStop(p, st) { // watch: a watched stack moved
			continue
		}
		if st.Reason == proc.StopExec && !d.afterExec(st) {
			p = d.proc()
			continue
		}
		if d.solibEvent(st) {
			continue // the loader changed the libraries: breakpoints were updated
		}
		return st, nil
	}
}

func leUint64(b []byte) uint64 {
	return uint64(b[0]) | uint64(b[1])<<8 | uint64(b[2])<<16 | uint64(b[3])<<24 |
		uint64(b[4])<<32 | uint64(b[5])<<40 | uint64(b[6])<<48 | uint64(b[7])<<56
}
