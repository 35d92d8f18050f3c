package native

import (
	"fmt"
	"sort"
	"unsafe"

	"golang.org/x/sys/unix"

	"github.com/godbg/godbg/pkg/proc"
)

// Hardware watchpoints use the debug registers: DR0-DR3 hold addresses,
// DR7 enables each with an access type and a length of 1, 2, 4 or 8
// bytes (the address aligned to it), DR6 says which fired. A data
// breakpoint traps after the access, so the thread stops with its pc on
// the next instruction and resuming needs no step-over. The kernel keeps
// the registers per thread and a clone child starts without them: every
// thread gets them when the watch is set and each new thread at its first
// stop. An object that is not one aligned 1/2/4/8-byte unit takes several
// registers.

const (
	offDebugReg = 848 // offsetof(struct user, u_debugreg) on x86-64
	trapHWBkpt  = 4   // si_code TRAP_HWBKPT
)

// hwWatch is one watchpoint held in debug registers.
type hwWatch struct {
	addr  uint64
	size  int
	kind  proc.WatchKind
	cond  proc.BreakCond
	slots []int
}

// hwWatches is a process's debug-register state.
type hwWatches struct {
	regs   [4]uint64 // DR0-DR3
	dr7    uint64
	owner  [4]*hwWatch
	byAddr map[uint64]*hwWatch
}

// chunk is one aligned unit a debug register can watch.
type chunk struct {
	addr uint64
	size int
}

// splitWatch covers [addr, addr+size) with aligned 8/4/2/1-byte units.
func splitWatch(addr uint64, size int) []chunk {
	var out []chunk
	for size > 0 {
		n := 8
		for n > 1 && (addr%uint64(n) != 0 || n > size) {
			n /= 2
		}
		out = append(out, chunk{addr, n})
		addr += uint64(n)
		size -= n
	}
	return out
}

// dr7Bits returns slot i's enable, type and length bits.
func dr7Bits(i int, c chunk, kind proc.WatchKind) uint64 {
	rw := uint64(1) // write
	if kind&proc.WatchRead != 0 {
		rw = 3 // read or write: x86 has no read-only data breakpoint
	}
	ln := map[int]uint64{1: 0, 2: 1, 4: 3, 8: 2}[c.size]
	return 1<<(2*i) | rw<<(16+4*i) | ln<<(18+4*i)
}

func (p *nproc) SetWatchpoint(addr uint64, size int, kind proc.WatchKind, cond proc.BreakCond) (string, error) {
	if p.exited {
		return "", p.exitErr()
	}
	if size <= 0 || kind == 0 {
		return "", fmt.Errorf("cannot watch %d bytes at %#x for %v accesses", size, addr, kind)
	}
	var mech string
	var err error
	p.ex.run(func() { mech, err = p.setWatch(addr, size, kind, cond) })
	return mech, err
}

func (p *nproc) setWatch(addr uint64, size int, kind proc.WatchKind, cond proc.BreakCond) (string, error) {
	if p.watch == nil {
		p.watch = &hwWatches{byAddr: map[uint64]*hwWatch{}}
	}
	hw := p.watch
	if hw.byAddr[addr] != nil || p.pages != nil && p.pages.byAddr[addr] != nil {
		return "", fmt.Errorf("%#x: %w", addr, proc.ErrWatchExists)
	}
	chunks := splitWatch(addr, size)
	if len(chunks) > 4 {
		return p.setPageWatch(addr, size, kind, cond)
	}
	var free []int
	for i, o := range hw.owner {
		if o == nil {
			free = append(free, i)
		}
	}
	if len(chunks) > len(free) { // registers full: page protection
		return p.setPageWatch(addr, size, kind, cond)
	}
	w := &hwWatch{addr: addr, size: size, kind: kind, cond: cond}
	for k, c := range chunks {
		i := free[k]
		w.slots = append(w.slots, i)
		hw.owner[i] = w
		hw.regs[i] = c.addr
		hw.dr7 |= dr7Bits(i, c, kind)
	}
	hw.byAddr[addr] = w
	if err := p.loadAllDebugRegs(); err != nil {
		p.dropWatch(w)
		p.loadAllDebugRegs()
		return "", err
	}
	mech := "hardware"
	for _, i := range w.slots {
		mech += fmt.Sprintf(" DR%d", i)
	}
	return mech, nil
}

func (p *nproc) ClearWatchpoint(addr uint64) error {
	if p.pages != nil && p.pages.byAddr[addr] != nil {
		w := p.pages.byAddr[addr]
		p.dropStops(proc.StopWatchpoint, addr)
		if p.exited {
			delete(p.pages.byAddr, addr)
			return nil
		}
		var err error
		p.ex.run(func() { err = p.clearPageWatch(w) })
		return err
	}
	if p.watch == nil || p.watch.byAddr[addr] == nil {
		return fmt.Errorf("%#x: %w", addr, proc.ErrNoWatch)
	}
	w := p.watch.byAddr[addr]
	p.dropWatch(w)
	p.dropStops(proc.StopWatchpoint, addr)
	if p.exited {
		return nil
	}
	var err error
	p.ex.run(func() { err = p.loadAllDebugRegs() })
	return err
}

func (p *nproc) dropWatch(w *hwWatch) {
	hw := p.watch
	for _, i := range w.slots {
		hw.owner[i] = nil
		hw.regs[i] = 0
		hw.dr7 &^= 1<<(2*i) | 0xf<<(16+4*i)
	}
	delete(hw.byAddr, w.addr)
}

// unwatchAll clears every thread's debug registers (before detach).
// Tracer thread.
func (p *nproc) unwatchAll() {
	if p.pages != nil {
		clear(p.pages.byAddr)
		for pg, prot := range p.pages.orig {
			_ = p.mprotect(pg, pageSize, prot)
		}
		p.pages = nil
	}
	if p.watch == nil {
		return
	}
	p.watch = nil
	for _, t := range p.threads {
		_ = pokeUser(t.tid, offDebugReg+7*8, 0)
	}
}

// loadAllDebugRegs writes the state into every thread. Tracer thread;
// every thread stopped.
func (p *nproc) loadAllDebugRegs() error {
	tids := make([]int, 0, len(p.threads))
	for tid, t := range p.threads {
		if !t.running && !t.newThread {
			tids = append(tids, tid)
		}
	}
	sort.Ints(tids)
	for _, tid := range tids {
		if err := p.loadDebugRegs(tid); err != nil {
			return err
		}
	}
	return nil
}

// loadDebugRegs writes the state into one stopped thread: DR7 off first,
// since the kernel checks each enabled slot's address and length.
func (p *nproc) loadDebugRegs(tid int) error {
	hw := p.watch
	if hw == nil {
		return nil
	}
	if err := pokeUser(tid, offDebugReg+7*8, 0); err != nil {
		return fmt.Errorf("clearing DR7 of thread %d: %w", tid, err)
	}
	for i, a := range hw.regs {
		if hw.owner[i] == nil {
			continue
		}
		if err := pokeUser(tid, offDebugReg+uintptr(i)*8, a); err != nil {
			return fmt.Errorf("setting DR%d of thread %d to %#x: %w", i, tid, a, err)
		}
	}
	if err := pokeUser(tid, offDebugReg+7*8, hw.dr7); err != nil {
		return fmt.Errorf("setting DR7 of thread %d to %#x: %w", tid, hw.dr7, err)
	}
	return nil
}

// watchNewThread arms a new thread at its first stop. Tracer thread.
func (p *nproc) watchNewThread(t *nthread) {
	if p.watch != nil && len(p.watch.byAddr) > 0 {
		_ = p.loadDebugRegs(t.tid)
	}
}

// watchTrap handles a SIGTRAP that may be a watchpoint's: DR6 says which
// slots fired. ok is false when it is none of ours.
func (p *nproc) watchTrap(t *nthread, mode waitMode) (*proc.Stop, bool) {
	hw := p.watch
	if hw == nil || len(hw.byAddr) == 0 {
		return nil, false
	}
	dr6, err := peekUser(t.tid, offDebugReg+6*8)
	if err != nil || dr6&0xf == 0 {
		return nil, false
	}
	_ = pokeUser(t.tid, offDebugReg+6*8, 0)
	var w *hwWatch
	for i := 0; i < 4; i++ {
		if dr6&(1<<i) != 0 && hw.owner[i] != nil {
			w = hw.owner[i]
			break
		}
	}
	stepping := mode == modeStep && t.tid == p.s.stepTid
	if w == nil { // a slot cleared since: nothing to report
		if stepping {
			t.why = "stepped"
			return &proc.Stop{Reason: proc.StopStepped, Tid: t.tid}, true
		}
		return nil, true
	}
	t.regsValid = false
	if t.getRegs() != nil {
		return nil, false
	}
	p.unslot(t, false) // the access ran in a scratch slot: back to the original code
	stop, cerr := !p.quiet, error(nil)
	if w.cond != nil && stop {
		stop, cerr = w.cond(hit{t})
	}
	if cerr == nil && !stop {
		if stepping {
			t.why = "stepped"
			return &proc.Stop{Reason: proc.StopStepped, Tid: t.tid}, true
		}
		return nil, true
	}
	t.why = "watchpoint"
	return &proc.Stop{Reason: proc.StopWatchpoint, Tid: t.tid, Addr: w.addr, CondErr: cerr}, true
}

func pokeUser(tid int, off uintptr, v uint64) error {
	return ptraceRaw(unix.PTRACE_POKEUSR, tid, off, uintptr(v))
}

func peekUser(tid int, off uintptr) (uint64, error) {
	var v uint64
	err := ptraceRaw(unix.PTRACE_PEEKUSR, tid, off, uintptr(unsafe.Pointer(&v)))
	return v, err
}
