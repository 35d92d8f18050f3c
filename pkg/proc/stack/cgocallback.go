package stack

// Stacks of cgo callbacks: Go code called from C that Go called.
//
// runtime.cgocallback runs on the g0 stack (called by crosscall2 from the
// C side), saves the g0 stack pointer in m.g0.sched.sp and continues on
// the goroutine's stack, where it opens a frame whose return address is
// the goroutine's old saved pc (runtime.systemstack_switch of the cgo call
// that led to C). Go's own traceback follows that and skips the C frames;
// the unwinder goes back to the g0 stack instead, as Delve does, so that
// the C functions between the cgo call and the callback are shown.
//
// runtime.asmcgocall saves, on the g0 stack just above its call of the C
// function, the goroutine's stack depth (stack.hi minus its stack pointer)
// and the g: that, not m.curg.sched (which a callback overwrites), is where
// the goroutine's stack continues below a callback.

// cgocallbackG0 returns the registers of runtime.cgocallback's frame on
// the g0 stack for its frame f on a goroutine stack (ok false when f is
// not on a goroutine stack of a thread that is in a callback). The g0
// frame of the innermost callback is at m.g0.sched.sp; each keeps the
// previous value at its stack pointer, for the callback below it.
func (w *walker) cgocallbackG0(l *loaded, f *Frame) (regs Regs, ok bool, err error) {
	if rt, m, err := w.g0Owner(l, f.SP); err != nil || m != 0 {
		if err == nil && rt != nil {
			w.outerG0SP(m, f.SP) // on g0: unwind by CFI
		}
		return Regs{}, false, err
	}
	rt, m, err := w.curgOwner(l, f.SP)
	if err != nil || m == 0 {
		return Regs{}, false, err
	}
	sp, seen := w.g0sp[m]
	if !seen {
		g0, err := w.mem.word(m + rt.mG0)
		if err != nil || g0 == 0 {
			return Regs{}, false, err
		}
		if sp, err = w.mem.word(g0 + rt.gSchedSP); err != nil {
			return Regs{}, false, err
		}
	}
	if sp == 0 {
		return Regs{}, false, nil
	}
	regs = NewRegs(f.PC, sp, 0)
	regs.Unset(RegRBP)
	return regs, true, nil
}

// outerG0SP records, from the g0 frame of a callback at sp, the g0
// stack pointer of the callback below it.
func (w *walker) outerG0SP(m, sp uint64) {
	old, err := w.mem.word(sp)
	if err != nil {
		old = 0
	}
	if w.g0sp == nil {
		w.g0sp = map[uint64]uint64{}
	}
	w.g0sp[m] = old
}

// curgOwner returns the M whose current goroutine's stack holds sp.
func (w *walker) curgOwner(l *loaded, sp uint64) (*goRuntime, uint64, error) {
	return w.stackOwner(l, sp, func(rt *goRuntime) uint64 { return rt.mCurg })
}

// asmcgocallSaved returns the goroutine registers for the frame f of
// runtime.asmcgocall on the g0 stack of m: the stack pointer from the
// depth asmcgocall saved at f.SP (with the g at f.SP+8), the pc where
// gosave_systemstack_switch puts it (runtime.systemstack_switch+8), as
// m.curg.sched would have them had no callback run since. ok is false
// when those words do not name m's current goroutine.
func (w *walker) asmcgocallSaved(l *loaded, rt *goRuntime, m uint64, f *Frame) (Regs, bool) {
	depth, err1 := w.mem.word(f.SP)
	g, err2 := w.mem.word(f.SP + 8)
	curg, err3 := w.mem.word(m + rt.mCurg)
	if err1 != nil || err2 != nil || err3 != nil || g == 0 || g != curg {
		return Regs{}, false
	}
	hi, err1 := w.mem.word(g + rt.gStackHi)
	lo, err2 := w.mem.word(g + rt.gStackLo)
	pc := l.im.switchPC()
	if err1 != nil || err2 != nil || depth == 0 || depth > hi-lo || pc == 0 {
		return Regs{}, false
	}
	regs := NewRegs(pc+l.bias, hi-depth, f.BP)
	regs.Set(RegR14, g)
	return regs, true
}

// switchPC is the link-time pc a goroutine that switched to the system
// stack saves: runtime.systemstack_switch+8 (gosave_systemstack_switch),
// 0 if the executable has no such function.
func (im *image) switchPC() uint64 {
	for entry, c := range im.special {
		if c == classSwitched {
			return entry + 8
		}
	}
	return 0
}
