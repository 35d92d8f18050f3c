package native

import (
	"errors"
	"fmt"

	"golang.org/x/sys/unix"
)

// The scratch area is memory the debugger maps into the tracee to run
// instructions out of line (see displaced_linux_amd64.go). It is mapped by
// making a stopped thread execute an mmap system call, and unmapped the
// same way when the session lets the process go (unmapScratch): a program
// attached a thousand times carries nothing of ours afterwards. Its slots
// are never reused within a session.

const (
	scratchSize = 64 << 10
	slotSize    = 32
	// mapFixedNoReplace (Linux 4.17): fail with EEXIST rather than map
	// elsewhere when the hint is taken. Older kernels take it as a hint.
	mapFixedNoReplace = 0x100000
)

type scratch struct {
	base, next, end uint64
}

// slotBack says where a slot's instruction came from, for mapping a pc in
// the slot back to the original code.
type slotBack struct {
	addr uint64 // the breakpoint's address
	n    uint64 // length of the copied instruction
}

// scratchHints are the offsets from a breakpoint, rounded to 64 KiB, at
// which a scratch area is tried: all within ±2 GiB so that rip-relative
// operands still reach, spread so that areas left by an earlier debugger
// (or taken by the program) do not exhaust them.
var scratchHints = func() []int64 {
	var out []int64
	for k := int64(1); k <= 15; k++ {
		out = append(out, k<<27, -k<<27) // ±128 MiB steps
	}
	return out
}()

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

// injectThread is the stopped thread system calls are injected into.
func (p *nproc) injectThread() *nthread {
	if t := p.threads[p.pid]; t != nil {
		return t
	}
	for _, t := range p.sortedThreads() {
		return t
	}
	return nil
}

// mapScratch maps a scratch area within reach of near if it can, else
// anywhere (good for instructions that are not rip-relative).
func (p *nproc) mapScratch(near uint64) (uint64, error) {
	t := p.injectThread()
	if t == nil {
		return 0, fmt.Errorf("no thread to map scratch memory with")
	}
	const prot, flags = unix.PROT_READ | unix.PROT_EXEC, unix.MAP_PRIVATE | unix.MAP_ANONYMOUS
	for _, off := range scratchHints {
		if off < 0 && uint64(-off) > near&^0xffff {
			continue
		}
		hint := uint64(int64(near&^0xffff) + off)
		addr, err := p.injectSyscall(t, unix.SYS_MMAP, hint, scratchSize, prot, flags|mapFixedNoReplace, ^uint64(0), 0)
		if errors.Is(err, unix.EEXIST) || errors.Is(err, unix.ENOMEM) || errors.Is(err, unix.EPERM) {
			continue // taken, beyond the address space, or below mmap_min_addr
		}
		if err != nil {
			return 0, err
		}
		if d := int64(addr - near); d < 1<<31-scratchSize && d > -(1<<31)+scratchSize {
			p.areas = append(p.areas, addr)
			return addr, nil
		}
		// A kernel without MAP_FIXED_NOREPLACE put it elsewhere: give it back.
		if _, err := p.injectSyscall(t, unix.SYS_MUNMAP, addr, scratchSize); err != nil {
			return 0, err
		}
	}
	if p.farScratch == 0 {
		addr, err := p.injectSyscall(t, unix.SYS_MMAP, 0, scratchSize, prot, flags, ^uint64(0), 0)
		if err != nil {
			return 0, err
		}
		p.areas = append(p.areas, addr)
		p.farScratch = addr
	}
	return p.farScratch, nil
}

// unmapScratch gives back every scratch area this process got from us:
// threads inside a slot are moved back to the original code first. Every
// thread stopped; tracer thread. Before a detach.
func (p *nproc) unmapScratch() error {
	if len(p.areas) == 0 {
		return nil
	}
	for _, t := range p.threads {
		p.unslot(t, true)
	}
	t := p.injectThread()
	if t == nil {
		return fmt.Errorf("no thread to unmap scratch memory with")
	}
	var errs []error
	for _, a := range p.areas {
		if _, err := p.injectSyscall(t, unix.SYS_MUNMAP, a, scratchSize); err != nil {
			errs = append(errs, fmt.Errorf("unmapping scratch memory at %#x: %w", a, err))
		}
	}
	p.areas, p.scratch, p.farScratch, p.slots, p.slotOf = nil, nil, 0, nil, nil
	return errors.Join(errs...)
}

// injectSyscall makes stopped thread t execute one system call at its pc
// (two bytes of text borrowed, registers restored after) and returns its
// result; a failing call returns its errno.
func (p *nproc) injectSyscall(t *nthread, nr uint64, args ...uint64) (uint64, error) {
	var saved unix.PtraceRegs
	if err := ptraceGetRegs(t.tid, &saved); err != nil {
		return 0, fmt.Errorf("injecting system call %d: %w", nr, err)
	}
	pc := saved.Rip
	orig := make([]byte, 2)
	if _, err := p.mem.ReadAt(orig, int64(pc)); err != nil {
		return 0, fmt.Errorf("injecting system call %d at %#x: %w", nr, pc, err)
	}
	defer p.mem.WriteAt(orig, int64(pc))
	defer ptraceSetRegs(t.tid, &saved)
	t.regsValid = false
	if _, err := p.mem.WriteAt([]byte{0x0f, 0x05}, int64(pc)); err != nil { // syscall
		return 0, fmt.Errorf("injecting system call %d at %#x: %w", nr, pc, err)
	}
	r := saved
	r.Rax = nr
	a := make([]uint64, 6)
	copy(a, args)
	r.Rdi, r.Rsi, r.Rdx, r.R10, r.R8, r.R9 = a[0], a[1], a[2], a[3], a[4], a[5]
	r.Orig_rax = ^uint64(0) // not in a system call: no restart logic on resume
	r.Rip = pc
	if err := ptraceSetRegs(t.tid, &r); err != nil {
		return 0, err
	}
	ws, err := stepOne(t, 8)
	if err != nil {
		return 0, fmt.Errorf("injecting system call %d: %w", nr, err)
	}
	if !ws.Stopped() {
		return 0, fmt.Errorf("thread %d died in an injected system call %d", t.tid, nr)
	}
	var out unix.PtraceRegs
	if err := ptraceGetRegs(t.tid, &out); err != nil {
		return 0, err
	}
	if int64(out.Rax) < 0 && int64(out.Rax) > -4096 {
		return 0, fmt.Errorf("system call %d in the program failed: %w", nr, unix.Errno(-int64(out.Rax)))
	}
	return out.Rax, nil
}
