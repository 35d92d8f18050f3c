package ebpf

import (
	"debug/elf"
	"fmt"

	"github.com/cilium/ebpf/link"

	"github.com/godbg/godbg/pkg/symbols"
)

// uprobeAt returns where the uprobe of p goes: by symbol and offset for
// most functions; for a C function of a cgo program (named "C.<symbol>"
// by godbg, and a static one's symbol may repeat) by its file offset.
func uprobeAt(tab *symbols.Table, p *Probe, pid int) (string, *link.UprobeOptions, error) {
	if !p.Func.C {
		return p.Func.Name, &link.UprobeOptions{Offset: p.PC - p.Func.Entry, PID: pid}, nil
	}
	off, ok := fileOffset(tab.ELF(), p.PC)
	if !ok {
		return "", nil, fmt.Errorf("%s at %#x is in no loadable segment of %s", p.Func.Name, p.PC, tab.Path())
	}
	return "", &link.UprobeOptions{Address: off, PID: pid}, nil
}

// fileOffset maps a link-time address to its offset in the file.
func fileOffset(f *elf.File, addr uint64) (uint64, bool) {
	for _, pr := range f.Progs {
		if pr.Type == elf.PT_LOAD && addr >= pr.Vaddr && addr < pr.Vaddr+pr.Filesz {
			return addr - pr.Vaddr + pr.Off, true
		}
	}
	return 0, false
}

// probeGoidOff is the goid offset a probe's program uses: none (-1) in
// a C function, where r14 is an ordinary register and may hold anything
// (the goroutine of a cgo call is reached through the thread's TLS,
// which a probe cannot read without BTF); its events name goroutine 0.
func probeGoidOff(p *Probe, goidOff int) int {
	if p.Func.C {
		return -1
	}
	return goidOff
}
