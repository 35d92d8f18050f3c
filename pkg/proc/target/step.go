package target

import (
	"fmt"
	"strings"

	"github.com/godbg/godbg/pkg/proc"
	"github.com/godbg/godbg/pkg/proc/goroutines"
	"github.com/godbg/godbg/pkg/symbols"
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

// Stepper is one next, step or stepout of one goroutine (or thread) from
// one frame. It plants its temporary breakpoints through its StepHost,
// which owns the breaklets and the run loop.
type Stepper struct {
	host  StepHost
	img   *Image
	frame int // the selected frame the step started from
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
	op     string // next, step or stepout: what a continue completes
	// hiOff is the offset of g.stack.hi in runtime.g (-1: unknown). A Go
	// frame is then identified by its depth below the stack's top, which
	// survives the runtime moving the stack (a panic or a deep call can
	// grow it); depth is the stepping frame's.
	hiOff int
	depth uint64
}

// NewStepper prepares a step of thread tid of p from frame number frame
// (CFA cfa) of its selected goroutine; img is the image p runs. Without
// a goroutine (UseG, UseGoroutine) the step follows the thread.
func NewStepper(host StepHost, p proc.Process, img *Image, tid, frame int, cfa uint64) *Stepper {
	return &Stepper{host: host, img: img, frame: frame, p: p, tab: img.Table(p), bias: img.Bias(p), tid: tid, cfa: cfa, temps: map[uint64]stepKind{}, hiOff: -1}
}

// UseGoroutine makes the step follow goroutine g (read by r) instead of
// a thread.
func (s *Stepper) UseGoroutine(r *goroutines.Reader, g goroutines.G) {
	s.g = g.Addr
	if g.ThreadID != 0 {
		s.tid = g.ThreadID
	}
	if off, ok := r.Layout().StackHiOffset(); ok && g.StackHi >= s.cfa {
		s.hiOff, s.depth = off, g.StackHi-s.cfa
	}
}

// Op is the step's command: next, step, stepout or next-instruction.
func (s *Stepper) Op() string { return s.op }

// Process is the process the step runs.
func (s *Stepper) Process() proc.Process { return s.p }

// FastG takes the goroutine from r14, where Go code keeps g, when the
// thread stopped in Go code outside the runtime (no allm walk needed).
func (s *Stepper) FastG(r *goroutines.Reader, regs Regs) bool {
	g, ok := regs.Get(14)
	off, okOff := r.Layout().StackHiOffset()
	if !ok || !okOff {
		return false
	}
	depth, ok := stackDepth(s.p, g, off, s.cfa)
	if !ok {
		return false
	}
	s.g, s.hiOff, s.depth = g, off, depth
	return true
}

// depthOf converts a stack address of the stepping goroutine at a hit to
// its depth below the stack's top (or returns it as is without a g).
func (s *Stepper) depthOf(h proc.Hit, addr uint64) (uint64, bool) {
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
func (s *Stepper) sameG(h proc.Hit) (proc.Registers, bool) {
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
func (s *Stepper) cfaAt(h proc.Hit, r proc.Registers) uint64 {
	regs, err := RegsOf(r)
	if err != nil {
		return 0
	}
	if cfa, ok := TopCFA(s.tab, s.bias, regs); ok {
		return cfa // issue 12: from the call frame row alone, no memory read
	}
	frames, _ := Unwind(s.tab, s.bias, regs, h, 1) // issue 12: frame 0's CFA needs no caller
	if len(frames) == 0 {
		return 0
	}
	return frames[0].CFA
}

// set plants one temporary breakpoint for the frame whose CFA is cfa
// now, as a breaklet beside any user breakpoint at the same address.
func (s *Stepper) set(addr uint64, kind stepKind, cfa uint64) {
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
	if err := s.host.SetBreaklet(s.p, addr, cond); err == nil {
		s.temps[addr] = kind
	}
}

func (s *Stepper) clear() {
	for addr := range s.temps {
		s.host.ClearBreaklet(s.p, addr)
		delete(s.temps, addr)
	}
}

// frameFunc is the function of a frame, with its code.
func (s *Stepper) frameFunc(f *Frame) (*symbols.Func, []symbols.Inst, error) {
	fn := s.tab.PCToFunc(f.PC - s.bias)
	if f.Kind != KindTop && f.Kind != KindSignal {
		fn = s.tab.PCToFunc(f.PC - 1 - s.bias)
	}
	if fn == nil {
		return nil, nil, fmt.Errorf("no function at %#x: nothing to step through (stepi steps instructions)", f.PC)
	}
	return fn, s.code(fn), nil
}

// code is fn's decoded code (the image's cache; a plan made in the
// background, which has no image yet, takes the table's).
func (s *Stepper) code(fn *symbols.Func) []symbols.Inst {
	if s.img == nil {
		return s.tab.FuncCode(fn)
	}
	return s.img.Code(s.p, fn)
}

// planFrame sets the line starts of the frame's function and its return
// address; with calls, also the calls on the current line.
func (s *Stepper) planFrame(frames []Frame, calls bool) error {
	f := &frames[0]
	fn, code, err := s.frameFunc(f)
	if err != nil {
		return err
	}
	if s.isCFunc(fn) && s.planCLines(fn, f.PC-s.bias) {
		// gdb's rule: statement starts of other lines (stepc.go)
	} else if calls || !s.planInlined(fn, code, f.PC-s.bias) {
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
func (s *Stepper) planCalls(f *Frame, code []symbols.Inst, cfa uint64) {
	_, line, _ := s.tab.PCToLine(f.PC - s.bias)
	for _, in := range code {
		if in.Call && in.Line == line {
			s.set(in.PC+s.bias, stepCall, cfa)
		}
	}
}

// run continues until a stop; a temporary breakpoint's kind is returned
// with it (ok false: something else stopped the program).
func (s *Stepper) run() (*proc.Stop, stepKind, bool, error) {
	st, err := s.host.Run(s.p)
	if err != nil {
		return nil, 0, false, err
	}
	if st.Reason == proc.StopBreakpoint && st.CondErr == nil && st.Pid == s.p.Pid() {
		k, ok := s.temps[st.Addr]
		if ok && s.host.StepFired(s.p, st) {
			return st, k, true, nil
		}
	}
	return st, 0, false, nil
}

// finish records the end of a step: a temporary stop is "stepped".
func (s *Stepper) finish(st *proc.Stop, ours bool) Result {
	s.clear()
	if ours {
		st = &proc.Stop{Reason: proc.StopStepped, Pid: st.Pid, Tid: st.Tid}
	}
	return Result{Stop: st, Done: true}
}

// skipFunc: functions step does not enter (the runtime, wrappers, code
// without source).
func skipFunc(fn *symbols.Func, file string) bool {
	return fn == nil || file == "" || file == "<autogenerated>" || IsRuntimeFunc(fn.Name) ||
		strings.HasPrefix(fn.Name, "runtime/")
}

// enter executes the call a thread stopped at and either stops at the
// callee's first statement, or arranges to come back from a callee step
// does not enter.
func (s *Stepper) enter(stop *proc.Stop, deferred bool) (bool, Result) {
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
			return false, Result{}
		}
	}
	if fn != nil && isCoroClosure(fn.Name) && s.op == "step" && !deferred {
		if st, ok := s.throughCoro(stop.Tid); ok {
			return true, s.finish(st, false)
		}
		// not followed through: on as over a callee
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
		return false, Result{}
	}
	if first+s.bias == pc {
		return true, s.finish(&proc.Stop{Reason: proc.StopStepped, Pid: st.Pid, Tid: stop.Tid}, false)
	}
	s.set(first+s.bias, stepEntry, sp+8)
	return false, Result{}
}

func leUint64(b []byte) uint64 {
	return uint64(b[0]) | uint64(b[1])<<8 | uint64(b[2])<<16 | uint64(b[3])<<24 |
		uint64(b[4])<<32 | uint64(b[5])<<40 | uint64(b[6])<<48 | uint64(b[7])<<56
}
