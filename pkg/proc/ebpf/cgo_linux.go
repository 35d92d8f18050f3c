package ebpf

import (
	"debug/elf"

	"github.com/cilium/ebpf/link"

	"github.com/godbg/godbg/pkg/symbols"
)

// uprobeAt returns the symbol and options of a uprobe at the link-time
// pc of fn: by symbol and offset for most functions; for a C function of
// a cgo program (named "C.<symbol>" by godbg, and a static one's symbol
// may repeat) by its file offset, with no symbol.
func uprobeAt(tab *symbols.Table, fn *symbols.Func, pc uint64, pid int) (string, *link.UprobeOptions) {
	if off, ok := fileOffset(tab.ELF(), pc); ok && fn.C {
		return "", &link.UprobeOptions{Address: off, PID: pid}
	}
	return fn.Name, &link.UprobeOptions{Offset: pc - fn.Entry, PID: pid}
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
