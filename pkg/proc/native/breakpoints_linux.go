package native

import (
	"fmt"

	"golang.org/x/arch/x86/x86asm"

	"github.com/godbg/godbg/pkg/proc"
)

// breakpoint is one int3 in the tracee's text.
type breakpoint struct {
	addr   uint64
	orig   [1]byte
	insn   []byte // the instruction under the int3
	cond   proc.BreakCond
	kind   passKind
	slot   uint64
	target uint64    // jump/call target for emulated branches
	op     x86asm.Op // condition of an emulated jcc
}

func (p *nproc) SetBreakpoint(addr uint64, cond proc.BreakCond) error {
	if p.exited {
		return p.exitErr()
	}
	if _, ok := p.bps[addr]; ok {
		return fmt.Errorf("%#x: %w", addr, proc.ErrBreakpointExists)
	}
	if p.scratch != nil {
		// Only memory is touched (through /proc/<pid>/mem, from any
		// thread) while every thread is stopped: no trip to the tracer.
		return p.setBreakpoint(addr, cond)
	}
	var err error
	p.ex.run(func() { err = p.setBreakpoint(addr, cond) }) // may map scratch memory with ptrace
	return err
}

func (p *nproc) setBreakpoint(addr uint64, cond proc.BreakCond) error {
	bp, err := p.newBreakpoint(addr, cond)
	if err != nil {
		return err
	}
	p.guardBP(bp) // guard: known to the guardian before any int3 is written
	if p.inserted {
		p.bpWrites++
		if _, err := p.mem.WriteAt(int3, int64(addr)); err != nil {
			return fmt.Errorf("cannot set a breakpoint at %#x: %w", addr, memErr(err))
		}
	}
	p.bps[addr] = bp
	return nil
}

// newBreakpoint makes the breakpoint SetBreakpoint sets at addr (the
// instruction under it, how a thread passes it) without setting it.
func (p *nproc) newBreakpoint(addr uint64, cond proc.BreakCond) (*breakpoint, error) {
	if err := p.padCovers(addr); err != nil { // pad (issue 17)
		return nil, err
	}
	bp := &breakpoint{addr: addr, cond: cond, insn: make([]byte, 16)}
	n, err := p.readBreakpointText(addr, bp.insn) // plan: a page per stop (textcache_linux.go)
	if n == 0 {
		return nil, fmt.Errorf("cannot set a breakpoint at %#x: %w", addr, err)
	}
	bp.insn = bp.insn[:n]
	bp.orig[0] = bp.insn[0]
	if err := p.prepare(bp); err != nil {
		return nil, err
	}
	// Checked even when the int3 goes in only at the next resume, once
	// per page while the threads stay stopped (a step sets a dozen).
	if page := addr &^ 0xfff; !p.writable[page] {
		p.bpWrites++
		if _, err := p.mem.WriteAt(bp.orig[:], int64(addr)); err != nil {
			return nil, fmt.Errorf("cannot set a breakpoint at %#x: %w", addr, memErr(err))
		}
		if p.writable == nil {
			p.writable = map[uint64]bool{}
		}
		p.writable[page] = true
	}
	return bp, nil
}

var int3 = []byte{0xcc}

// insertBreakpoints puts every int3 in the text before threads run;
// removeBreakpoints takes them out when the session stops, so that text
// holds no int3 while the program waits for the user: a debugger killed
// then leaves a program that runs on unharmed. Out-of-line slots stay.
// Tracer thread (memory only).
func (s *session) insertBreakpoints() {
	for _, p := range s.procs {
		clear(p.writable) // the threads run next: the pages may change
		p.textPages = nil // plan: likewise
		if p.inserted || p.mem == nil {
			continue
		}
		for addr := range p.bps {
			p.mem.WriteAt(int3, int64(addr))
		}
		p.inserted = true
	}
}

func (s *session) removeBreakpoints() {
	for _, p := range s.procs {
		if !p.inserted || p.mem == nil {
			continue
		}
		for addr, bp := range p.bps {
			p.mem.WriteAt(bp.orig[:], int64(addr))
		}
		p.inserted = false
	}
}

func (p *nproc) ClearBreakpoint(addr uint64) error {
	bp, ok := p.bps[addr]
	if !ok && p.padAt(addr) { // pad (issue 17)
		return p.clearPad(addr)
	}
	if !ok {
		return fmt.Errorf("%#x: %w", addr, proc.ErrNoBreakpoint)
	}
	if p.exited {
		delete(p.bps, addr)
		return nil
	}
	if p.inserted { // else the text holds the original byte already
		p.bpWrites++
		if _, err := p.mem.WriteAt(bp.orig[:], int64(addr)); err != nil {
			return fmt.Errorf("removing the breakpoint at %#x: %w", addr, memErr(err))
		}
	}
	delete(p.bps, addr)
	p.guardClear(addr) // guard
	p.dropReports(addr)
	return nil
}

// dropReports forgets collected hits of a breakpoint that is gone: the
// threads sit at its address and run the original instruction next.
func (p *nproc) dropReports(addr uint64) { p.dropStops(proc.StopBreakpoint, addr) }

// dropStops forgets p's collected stops of one reason at addr.
func (p *nproc) dropStops(reason proc.StopReason, addr uint64) {
	kept := p.s.reports[:0]
	for _, st := range p.s.reports {
		if st.Reason != reason || st.Addr != addr || st.Pid != p.pid {
			kept = append(kept, st)
		}
	}
	p.s.reports = kept
}

// removeAllBreakpoints restores the text (before detach).
func (p *nproc) removeAllBreakpoints() {
	for addr, bp := range p.bps {
		p.mem.WriteAt(bp.orig[:], int64(addr))
		delete(p.bps, addr)
	}
}

func (p *nproc) ReadText(addr uint64, buf []byte) (int, error) {
	if p.exited || p.mem == nil {
		return 0, p.exitErr()
	}
	return p.readText(addr, buf)
}

// readText reads memory and puts back the bytes our int3s replaced.
func (p *nproc) readText(addr uint64, buf []byte) (int, error) {
	n, err := p.mem.ReadAt(buf, int64(addr))
	p.origText(addr, buf[:n])
	if err != nil && n == 0 {
		return 0, fmt.Errorf("reading %d bytes at %#x: %w", len(buf), addr, memErr(err))
	}
	return n, nil
}

// origText puts back, in buf read at addr, the bytes our int3s and jump
// pads replaced.
func (p *nproc) origText(addr uint64, buf []byte) {
	for a, bp := range p.bps {
		if a >= addr && a < addr+uint64(len(buf)) {
			buf[a-addr] = bp.orig[0]
		}
	}
	p.padText(addr, buf) // pad (issue 17): original bytes under jump pads
}

// hit is the proc.Hit a condition sees.
type hit struct{ t *nthread }

func (h hit) Tid() int { return h.t.tid }
func (h hit) Registers() (proc.Registers, error) {
	tid := h.t.tid
	// Float arguments live in xmm registers at a function's entry: fetched
	// only if the condition reads one.
	return &regs{gp: h.t.regs, fpLoad: func(fp *fpregs) error { return ptraceGetFPRegs(tid, fp) }}, nil
}
func (h hit) ReadMemory(addr uint64, buf []byte) (int, error) {
	return h.t.p.mem.ReadAt(buf, int64(addr))
}
