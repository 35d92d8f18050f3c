package native

import (
	"encoding/binary"
	"fmt"
	"unsafe"

	"golang.org/x/sys/unix"

	"github.com/godbg/godbg/pkg/proc"
)

// Function calls (service/debugger drives the Go runtime's debugCallV2
// protocol) need whole register snapshots and a little data memory.

type savedRegs struct {
	gp unix.PtraceRegs
	fp fpregs
}

func (s *savedRegs) PC() uint64 { return s.gp.Rip }
func (s *savedRegs) SP() uint64 { return s.gp.Rsp }

func (p *nproc) SaveRegisters(tid int) (proc.SavedRegisters, error) {
	t, ok := p.threads[tid]
	if !ok {
		return nil, proc.ErrNoSuchThread
	}
	s := &savedRegs{}
	var err error
	p.ex.run(func() {
		if err = ptraceGetRegs(t.tid, &s.gp); err == nil {
			err = ptraceGetFPRegs(t.tid, &s.fp)
		}
	})
	if err != nil {
		return nil, fmt.Errorf("saving the registers of thread %d: %w", tid, err)
	}
	return s, nil
}

func (p *nproc) RestoreRegisters(tid int, r proc.SavedRegisters, keepPCSP bool) error {
	t, ok := p.threads[tid]
	if !ok {
		return proc.ErrNoSuchThread
	}
	s, ok := r.(*savedRegs)
	if !ok {
		return fmt.Errorf("restoring thread %d: not a snapshot of this backend", tid)
	}
	gp := s.gp
	var err error
	p.ex.run(func() {
		if keepPCSP {
			var cur unix.PtraceRegs
			if err = ptraceGetRegs(t.tid, &cur); err != nil {
				return
			}
			gp.Rip, gp.Rsp = cur.Rip, cur.Rsp
		}
		if err = ptraceSetRegs(t.tid, &gp); err == nil {
			err = ptraceRaw(unix.PTRACE_SETFPREGS, t.tid, 0, uintptr(unsafe.Pointer(&s.fp)))
		}
	})
	t.regsValid = false
	if err != nil {
		return fmt.Errorf("restoring the registers of thread %d: %w", tid, err)
	}
	return nil
}

// dataArena is the memory AllocData hands out.
type dataArena struct{ next, end uint64 }

const dataArenaSize = 64 << 10

func (p *nproc) AllocData(n int) (uint64, error) {
	if n <= 0 || n > dataArenaSize {
		return 0, fmt.Errorf("cannot allocate %d bytes in process %d", n, p.pid)
	}
	a := p.arena
	if a == nil || a.next+uint64(n) > a.end {
		var base uint64
		var err error
		p.ex.run(func() { base, err = p.mapData() })
		if err != nil {
			return 0, err
		}
		a = &dataArena{next: base, end: base + dataArenaSize}
		p.arena = a
	}
	addr := a.next
	a.next += uint64(n+7) &^ 7
	return addr, nil
}

// mapData maps an anonymous read-write area with an injected mmap.
func (p *nproc) mapData() (uint64, error) {
	var t *nthread
	for _, c := range p.sortedThreads() {
		if !c.running {
			t = c
			break
		}
	}
	if t == nil {
		return 0, fmt.Errorf("no stopped thread in process %d to map memory with", p.pid)
	}
	// Not unmapped at detach: the program may keep what a call stored there.
	addr, err := p.injectSyscall(t, unix.SYS_MMAP, 0, dataArenaSize, unix.PROT_READ|unix.PROT_WRITE,
		unix.MAP_PRIVATE|unix.MAP_ANONYMOUS, ^uint64(0), 0)
	if err != nil {
		return 0, fmt.Errorf("mapping data memory in process %d: %w", p.pid, err)
	}
	return addr, nil
}

func (p *nproc) SetFloatRegisters(tid int, xmm map[int]uint64) error {
	t, ok := p.threads[tid]
	if !ok {
		return proc.ErrNoSuchThread
	}
	var fp fpregs
	var err error
	p.ex.run(func() {
		if err = ptraceGetFPRegs(t.tid, &fp); err != nil {
			return
		}
		for i, v := range xmm {
			if i < 0 || i > 15 {
				err = fmt.Errorf("no xmm%d", i)
				return
			}
			binary.LittleEndian.PutUint64(fp[160+16*i:], v)
			binary.LittleEndian.PutUint64(fp[168+16*i:], 0)
		}
		err = ptraceRaw(unix.PTRACE_SETFPREGS, t.tid, 0, uintptr(unsafe.Pointer(&fp)))
	})
	if err != nil {
		return fmt.Errorf("setting the xmm registers of thread %d: %w", tid, err)
	}
	return nil
}
