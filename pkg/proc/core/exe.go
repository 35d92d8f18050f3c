package core

import (
	"bytes"
	"debug/elf"
	"errors"
	"fmt"
	"os"
	"strings"
)

// exeInfo is what the core reader needs from the executable: its type,
// entry, segments and the file itself for text the core leaves out.
type exeInfo struct {
	path  string
	f     *os.File
	size  int64
	typ   elf.Type
	entry uint64
	loads []elf.ProgHeader
	notes []noteRange // build IDs and other notes loaded with the program
}

// noteRange is a note segment or section of the executable.
type noteRange struct{ vaddr, off, size uint64 }

func openExe(path string) (*exeInfo, error) {
	f, err := os.Open(path)
	if err != nil {
		return nil, fmt.Errorf("executable: %w", err)
	}
	e, err := readExe(f, path)
	if err != nil {
		f.Close()
		return nil, err
	}
	return e, nil
}

func readExe(f *os.File, path string) (*exeInfo, error) {
	st, err := f.Stat()
	if err != nil {
		return nil, fmt.Errorf("executable: %w", err)
	}
	if st.IsDir() {
		return nil, fmt.Errorf("executable %s is a directory", path)
	}
	ef, err := elf.NewFile(f)
	if err != nil {
		return nil, fmt.Errorf("executable %s is not a readable ELF file: %w", path, err)
	}
	e := &exeInfo{path: path, f: f, size: st.Size(), typ: ef.Type, entry: ef.Entry}
	switch {
	case ef.Type == elf.ET_CORE:
		return nil, fmt.Errorf("executable %s is itself a core file; give the program first, then the core", path)
	case ef.Type != elf.ET_EXEC && ef.Type != elf.ET_DYN:
		return nil, fmt.Errorf("executable %s is an ELF %v, not a program", path, ef.Type)
	case ef.Machine != elf.EM_X86_64 || ef.Class != elf.ELFCLASS64:
		return nil, fmt.Errorf("executable %s is for %v (%v), not x86-64", path, ef.Machine, ef.Class)
	}
	for _, p := range ef.Progs {
		switch p.Type {
		case elf.PT_LOAD:
			e.loads = append(e.loads, p.ProgHeader)
		case elf.PT_NOTE:
			e.notes = append(e.notes, noteRange{p.Vaddr, p.Off, p.Filesz})
		}
	}
	// The Go linker's PT_NOTE covers only its own build ID; the GNU
	// build ID is a note section of its own.
	for _, sec := range ef.Sections {
		if sec.Type == elf.SHT_NOTE && sec.Flags&elf.SHF_ALLOC != 0 && !e.inNotes(sec.Addr, sec.Size) {
			e.notes = append(e.notes, noteRange{sec.Addr, sec.Offset, sec.Size})
		}
	}
	if len(e.loads) == 0 {
		return nil, fmt.Errorf("executable %s has no loadable segments", path)
	}
	return e, nil
}

// loadAt returns the PT_LOAD segment whose file image holds vaddr.
func (e *exeInfo) loadAt(vaddr uint64) *elf.ProgHeader {
	for i := range e.loads {
		p := &e.loads[i]
		if vaddr >= p.Vaddr && vaddr-p.Vaddr < p.Filesz {
			return p
		}
	}
	return nil
}

// lowestLoad is the first-mapped segment (the one holding the ELF header).
func (e *exeInfo) lowestLoad() *elf.ProgHeader {
	low := &e.loads[0]
	for i := range e.loads {
		if e.loads[i].Vaddr < low.Vaddr {
			low = &e.loads[i]
		}
	}
	return low
}

func (e *exeInfo) inNotes(addr, size uint64) bool {
	for _, n := range e.notes {
		if addr >= n.vaddr && addr+size <= n.vaddr+n.size {
			return true
		}
	}
	return false
}

// noteBytes reads the executable's notes n.
func (e *exeInfo) noteBytes(n noteRange) ([]byte, error) {
	if n.size > 1<<16 || n.off > uint64(e.size) || n.size > uint64(e.size)-n.off {
		return nil, errors.New("note segment out of range")
	}
	b := make([]byte, n.size)
	_, err := readAt(e.f, b, n.off)
	return b, err
}

// buildIDs describes the build IDs in a note segment ("GNU build ID 9a2d…").
func buildIDs(seg []byte) string {
	notes, _ := splitNotes(seg)
	var out []string
	for _, n := range notes {
		switch {
		case n.name == "GNU" && n.typ == ntGNUBuild:
			out = append(out, fmt.Sprintf("GNU build ID %x", n.desc))
		case n.name == "Go" && n.typ == 4:
			out = append(out, fmt.Sprintf("Go build ID %s", bytes.TrimRight(n.desc, "\x00")))
		}
	}
	if len(out) == 0 {
		return "different ELF notes"
	}
	return strings.Join(out, ", ")
}
