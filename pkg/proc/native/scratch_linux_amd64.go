package native

import (
	"fmt"

	"golang.org/x/sys/unix"
)

// The scratch area is memory the debugger maps into the tracee to run
// instructions out of line (see displaced_linux_amd64.go). It is mapped by
// making a stopped thread execute an mmap system call, never unmapped
// (a thread may be stopped inside it), and its slots are never reused.

const (
	scratchSize = 64 << 10
	slotSize    = 32
)

type scratch struct {
	base, next, end uint64
}

// allocSlot returns the address of a fresh slot near addr (rip-relative
// operands must stay within ±2 GiB), mapping scratch memory if needed.
// Tracer thread; every thread stopped.
func (p *nproc) allocSlot(near uint64) (uint64, error) {
	if p.scratch == nil {
		base, err := p.mapScratch(near)
		if err != nil {
			return 0, err
		}
		p.scratch = &scratch{base: base, next: base, end: base + scratchSize}
	}
	s := p.scratch
	if s.next+slotSize > s.end {
		return 0, fmt.Errorf("out of scratch slots (%d breakpoints)", scratchSize/slotSize)
	}
	slot := s.next
	s.next += slotSize
	return slot, nil
}

// mapScratch injects mmap(hint, scratchSize, PROT_READ|PROT_EXEC, ...)
// into one stopped thread, trying hints close to near.
func (p *nproc) mapScratch(near uint64) (uint64, error) {
	t := p.threads[p.pid]
	if t == nil {
		for _, other := range p.threads {
			t = other
			break
		}
	}
	if t == nil {
		return 0, fmt.Errorf("no thread to map scratch memory with")
	}
	var last error
	for _, off := range []int64{256 << 20, -256 << 20, 1 << 30, -1 << 30} {
		hint := uint64(int64(near&^0xffff) + off)
		if off < 0 && uint64(-off) > near {
			continue
		}
		addr, err := p.injectMmap(t, hint)
		if err != nil {
			return 0, err
		}
		if d := int64(addr - near); d < 1<<31-scratchSize && d > -(1<<31)+scratchSize {
			return addr, nil
		}
		last = fmt.Errorf("scratch memory landed at %#x, too far from %#x", addr, near)
		// Keep it anyway for instructions that are not rip-relative.
		if p.farScratch == 0 {
			p.farScratch = addr
		}
	}
	if p.farScratch != 0 {
		return p.farScratch, nil
	}
	return 0, last
}

// injectMmap makes thread t execute one mmap system call at its pc.
func (p *nproc) injectMmap(t *nthread, hint uint64) (uint64, error) {
	var saved unix.PtraceRegs
	if err := ptraceGetRegs(t.tid, &saved); err != nil {
		return 0, fmt.Errorf("injecting mmap: %w", err)
	}
	pc := saved.Rip
	orig := make([]byte, 2)
	if _, err := p.mem.ReadAt(orig, int64(pc)); err != nil {
		return 0, fmt.Errorf("injecting mmap at %#x: %w", pc, err)
	}
	defer p.mem.WriteAt(orig, int64(pc))
	defer ptraceSetRegs(t.tid, &saved)
	if _, err := p.mem.WriteAt([]byte{0x0f, 0x05}, int64(pc)); err != nil { // syscall
		return 0, fmt.Errorf("injecting mmap at %#x: %w", pc, err)
	}
	r := saved
	r.Rax = unix.SYS_MMAP
	r.Rdi, r.Rsi, r.Rdx = hint, scratchSize, unix.PROT_READ|unix.PROT_EXEC
	r.R10, r.R8, r.R9 = unix.MAP_PRIVATE|unix.MAP_ANONYMOUS, ^uint64(0), 0
	r.Orig_rax = ^uint64(0) // not in a system call: no restart logic on resume
	r.Rip = pc
	if err := ptraceSetRegs(t.tid, &r); err != nil {
		return 0, err
	}
	ws, err := stepOne(t, 8)
	if err != nil {
		return 0, fmt.Errorf("injecting mmap: %w", err)
	}
	if !ws.Stopped() {
		return 0, fmt.Errorf("thread %d died while mapping scratch memory", t.tid)
	}
	var out unix.PtraceRegs
	if err := ptraceGetRegs(t.tid, &out); err != nil {
		return 0, err
	}
	if int64(out.Rax) < 0 && int64(out.Rax) > -4096 {
		return 0, fmt.Errorf("mmap in the program failed: %w", unix.Errno(-int64(out.Rax)))
	}
	return out.Rax, nil
}
