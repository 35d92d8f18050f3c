package native

import (
	"fmt"
	"os"
	"strconv"
)

// Memory goes through /proc/<pid>/mem: one pread/pwrite per access, and
// writes reach read-only text (the kernel forces them for the tracer).
// The file is bound to the address space it was opened on: reopened after exec.

func openMem(pid int) (*os.File, error) {
	return os.OpenFile("/proc/"+strconv.Itoa(pid)+"/mem", os.O_RDWR, 0)
}

func (p *nproc) ReadMemory(addr uint64, buf []byte) (int, error) {
	if p.exited || p.mem == nil {
		return 0, p.exitErr()
	}
	n, err := p.mem.ReadAt(buf, int64(addr))
	if err != nil {
		return n, fmt.Errorf("reading %d bytes at %#x: %w", len(buf), addr, memErr(err))
	}
	return n, nil
}

func (p *nproc) WriteMemory(addr uint64, data []byte) (int, error) {
	if p.exited || p.mem == nil {
		return 0, p.exitErr()
	}
	n, err := p.mem.WriteAt(data, int64(addr))
	p.textPages = nil // plan: the cached text may be stale (textcache_linux.go)
	changed()         // plan: proc.Generations
	p.rebaseBreakpoints(addr, data[:n])
	if err != nil {
		return n, fmt.Errorf("writing %d bytes at %#x: %w", len(data), addr, memErr(err))
	}
	return n, nil
}

// rebaseBreakpoints makes the bytes just written at addr the original
// bytes of the breakpoints there, which keep their int3 if it is in.
func (p *nproc) rebaseBreakpoints(addr uint64, data []byte) {
	for a, bp := range p.bps {
		if a >= addr && a < addr+uint64(len(data)) {
			bp.orig[0] = data[a-addr]
			p.guardBP(bp) // guard: the new original byte
			if p.inserted {
				p.mem.WriteAt(int3, int64(a))
			}
		}
	}
}

// memErr turns the EIO of an unmapped address into a plainer error.
func memErr(err error) error {
	if pe, ok := err.(*os.PathError); ok {
		return fmt.Errorf("address not mapped or not accessible (%w)", pe.Err)
	}
	return err
}
