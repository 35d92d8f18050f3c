package goroutines

// G is one goroutine as the runtime's g struct describes it. Addresses
// are run-time addresses (load bias included).
type G struct {
	ID        int64  // goid
	Status    Status // scheduling state, _Gscan bit cleared
	RawStatus uint32 // g.atomicstatus as read
	// WaitReason is the runtime's text for why a StatusWaiting (or
	// StatusLeaked) goroutine blocked ("chan receive", "sleep", ...), from runtime.waitReasonStrings,
	// or "waitReason(N)" if that table cannot be read; "" otherwise.
	WaitReason string
	// PC, SP and BP are the context the scheduler saved in g.sched when
	// the goroutine last stopped running. They are stale while it runs on
	// a thread: see Context.
	PC, SP, BP uint64
	StartPC    uint64 // entry of the goroutine's function (g.startpc)
	GoPC       uint64 // return address of the go statement that created it (g.gopc)
	ParentID   int64  // goid of the creating goroutine, 0 if unknown
	// StackLo and StackHi bound the goroutine's stack (0 if unknown).
	StackLo, StackHi uint64
	// ThreadID is the OS thread (tid) running the goroutine, from
	// g.m.procid: set while it runs or is in a system call, 0 otherwise.
	ThreadID int
	M        uint64            // address of that thread's runtime.m, 0 if none
	Labels   map[string]string // pprof labels, nil if none
	Addr     uint64            // address of the runtime.g
}

// OnThread reports whether the goroutine is attached to a thread, so that
// its current registers are that thread's, not PC/SP/BP.
func (g *G) OnThread() bool { return g.ThreadID != 0 }

// Context returns the registers to start unwinding g from. For a
// goroutine on a thread those are the thread's, obtained from threadRegs
// (nil, or ok false, to use the saved context anyway); but if the
// thread's sp lies outside the goroutine's stack, the thread is on its
// system stack (systemstack, a signal handler) and g.sched, which
// systemstack saved, is where the goroutine's own frames begin.
func (g *G) Context(threadRegs func(tid int) (pc, sp, bp uint64, ok bool)) (pc, sp, bp uint64) {
	if g.ThreadID != 0 && threadRegs != nil {
		if pc, sp, bp, ok := threadRegs(g.ThreadID); ok {
			if g.StackHi == 0 || (sp >= g.StackLo && sp < g.StackHi) {
				return pc, sp, bp
			}
		}
	}
	return g.PC, g.SP, g.BP
}

// gExtra holds raw g fields that G reports after more reads.
type gExtra struct {
	wait   uint64 // g.waitreason
	labels uint64 // g.labels
}

// decodeG fills the fields of g stored in the runtime.g at addr, whose
// bytes from l.g.lo on are b. ThreadID, WaitReason and Labels need more
// reads and are left to the Reader, which gets their raw values.
func (l *Layout) decodeG(addr uint64, b []byte, g *G) gExtra {
	f, lo := &l.g, l.g.lo
	*g = G{
		Addr:      addr,
		ID:        int64(f.goid.get(b, lo)),
		RawStatus: uint32(f.status.get(b, lo)),
		PC:        f.pc.get(b, lo),
		SP:        f.sp.get(b, lo),
		BP:        f.bp.get(b, lo),
		StartPC:   f.startpc.get(b, lo),
		GoPC:      f.gopc.get(b, lo),
		M:         f.m.get(b, lo),
		StackLo:   f.stackLo.get(b, lo),
		StackHi:   f.stackHi.get(b, lo),
		ParentID:  int64(f.parentGoid.get(b, lo)),
	}
	g.Status = l.status.decode(g.RawStatus)
	return gExtra{wait: f.waitReason.get(b, lo), labels: f.labels.get(b, lo)}
}
