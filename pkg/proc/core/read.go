package core

import (
	"bytes"
	"fmt"
	"io"
	"sort"
)

// coreFile is a parsed core file: its memory segments and what its
// notes say. It knows nothing of the executable.
type coreFile struct {
	name  string
	r     io.ReaderAt
	size  int64
	loads []phdr // PT_LOAD, sorted by address

	threads  []*thread // in note order
	current  *thread   // the thread that took the fatal signal (or the first)
	ps       *psinfo   // nil without NT_PRPSINFO
	auxv     []byte
	files    []fileMap // NT_FILE, sorted by address
	hasFiles bool
}

// parseCore reads the headers and notes of a core file of size bytes.
// Every offset and count is checked against size before it is used.
func parseCore(r io.ReaderAt, size int64, name string) (*coreFile, error) {
	c := &coreFile{name: name, r: r, size: size}
	phs, err := c.programHeaders()
	if err != nil {
		return nil, err
	}
	var noteBytes uint64
	for i, ph := range phs {
		switch ph.Type {
		case ptLoad:
			if err := c.checkLoad(i, ph); err != nil {
				return nil, err
			}
			c.loads = append(c.loads, ph)
		case ptNote:
			if err := c.checkNotes(i, ph); err != nil {
				return nil, err
			}
			if noteBytes += ph.Filesz; noteBytes > uint64(size) {
				return nil, formatErr(name, "its note segments add up to more than the file's %d bytes", size)
			}
			if err := c.readNotes(ph); err != nil {
				return nil, err
			}
		}
	}
	return c, c.finish()
}

// programHeaders checks the ELF header and returns the program headers.
func (c *coreFile) programHeaders() ([]phdr, error) {
	if c.size == 0 {
		return nil, formatErr(c.name, "the file is empty")
	}
	var h [ehdrSize]byte
	n, _ := c.r.ReadAt(h[:], 0)
	if n < 4 && bytes.HasPrefix([]byte("\x7fELF"), h[:n]) {
		return nil, formatErr(c.name, "truncated: %d bytes, shorter than an ELF header", c.size)
	}
	if n < 4 || !bytes.Equal(h[:4], []byte("\x7fELF")) {
		return nil, formatErr(c.name, "not an ELF file (it starts with % x)", h[:min(n, 4)])
	}
	if n < ehdrSize {
		return nil, formatErr(c.name, "truncated: %d bytes, shorter than an ELF header", c.size)
	}
	if h[4] != 2 || h[5] != 1 {
		return nil, formatErr(c.name, "ELF class %d, data encoding %d: only 64-bit little-endian (x86-64) cores are supported", h[4], h[5])
	}
	if typ := le.Uint16(h[16:]); typ != etCore {
		return nil, formatErr(c.name, "an ELF %s (e_type %d), not a core file", elfTypeName(typ), typ)
	}
	if m := le.Uint16(h[18:]); m != emX86_64 {
		return nil, formatErr(c.name, "a core file for ELF machine %d, not x86-64", m)
	}
	phoff, phnum := le.Uint64(h[32:]), uint64(le.Uint16(h[56:]))
	if es := le.Uint16(h[54:]); es != phdrSize {
		return nil, formatErr(c.name, "program header size %d, want %d", es, phdrSize)
	}
	if phnum == pnXnum {
		var err error
		if phnum, err = c.extendedPhnum(le.Uint64(h[40:])); err != nil {
			return nil, err
		}
	}
	if phnum == 0 {
		return nil, formatErr(c.name, "no program headers: no notes and no memory")
	}
	if phoff > uint64(c.size) || phnum > (uint64(c.size)-phoff)/phdrSize {
		return nil, formatErr(c.name, "truncated: %d program headers at offset %d need %d bytes; the file has %d",
			phnum, phoff, phnum*phdrSize, c.size)
	}
	buf := make([]byte, phnum*phdrSize)
	if _, err := c.r.ReadAt(buf, int64(phoff)); err != nil {
		return nil, &FormatError{Path: c.name, Msg: "reading the program headers", Err: err}
	}
	out := make([]phdr, phnum)
	for i := range out {
		out[i] = decodePhdr(buf[i*phdrSize:])
	}
	return out, nil
}

// extendedPhnum reads the program header count that does not fit e_phnum
// from sh_info of section header 0.
func (c *coreFile) extendedPhnum(shoff uint64) (uint64, error) {
	var sh [shdrSize]byte
	if shoff == 0 || shoff > uint64(c.size) || uint64(c.size)-shoff < shdrSize {
		return 0, formatErr(c.name, "e_phnum is PN_XNUM but section header 0 at offset %d is missing", shoff)
	}
	if _, err := c.r.ReadAt(sh[:], int64(shoff)); err != nil {
		return 0, &FormatError{Path: c.name, Msg: "reading section header 0", Err: err}
	}
	return uint64(le.Uint32(sh[44:])), nil
}

func (c *coreFile) checkLoad(i int, ph phdr) error {
	switch {
	case ph.Filesz > ph.Memsz:
		return formatErr(c.name, "segment %d at %#x has %d bytes in the file but only %d in memory", i, ph.Vaddr, ph.Filesz, ph.Memsz)
	case ph.Vaddr+ph.Memsz < ph.Vaddr:
		return formatErr(c.name, "segment %d at %#x with size %#x wraps around the address space", i, ph.Vaddr, ph.Memsz)
	case ph.Filesz > 0 && (ph.Off > uint64(c.size) || ph.Filesz > uint64(c.size)-ph.Off):
		return formatErr(c.name, "truncated: segment %d (memory at %#x) needs bytes %d-%d but the file has %d; "+
			"the dump was cut short (core size limit, full disk?)", i, ph.Vaddr, ph.Off, ph.Off+ph.Filesz, c.size)
	}
	return nil
}

func (c *coreFile) checkNotes(i int, ph phdr) error {
	if ph.Off > uint64(c.size) || ph.Filesz > uint64(c.size)-ph.Off {
		return formatErr(c.name, "truncated: the note segment (program header %d) needs bytes %d-%d but the file has %d",
			i, ph.Off, ph.Off+ph.Filesz, c.size)
	}
	return nil
}

func (c *coreFile) readNotes(ph phdr) error {
	buf := make([]byte, ph.Filesz)
	if _, err := c.r.ReadAt(buf, int64(ph.Off)); err != nil {
		return &FormatError{Path: c.name, Msg: "reading the notes", Err: err}
	}
	notes, err := splitNotes(buf)
	if err != nil {
		return &FormatError{Path: c.name, Msg: fmt.Sprintf("damaged note segment at file offset %d", ph.Off), Err: err}
	}
	for _, n := range notes {
		if err := c.addNote(n); err != nil {
			return &FormatError{Path: c.name, Msg: fmt.Sprintf("note at file offset %d", ph.Off+n.off), Err: err}
		}
	}
	return nil
}

// addNote records one note. Register notes belong to the NT_PRSTATUS
// before them (the kernel's and gdb's order).
func (c *coreFile) addNote(n note) error {
	if n.name != "CORE" && n.name != "LINUX" {
		return nil
	}
	var last *thread
	if len(c.threads) > 0 {
		last = c.threads[len(c.threads)-1]
	}
	switch n.typ {
	case ntPrstatus:
		t, err := parsePrstatus(n.desc)
		if err != nil {
			return err
		}
		c.threads = append(c.threads, t)
	case ntFpregset:
		if last != nil && len(n.desc) >= fxsaveSize {
			copy(last.regs.fp[:], n.desc)
			last.regs.fpValid = true
		}
	case ntX86Xstate: // its first 512 bytes are the FXSAVE area
		if last != nil && !last.regs.fpValid && len(n.desc) >= fxsaveSize {
			copy(last.regs.fp[:], n.desc)
			last.regs.fpValid = true
		}
	case ntPrpsinfo:
		ps, err := parsePrpsinfo(n.desc)
		if err != nil {
			return err
		}
		c.ps = ps
	case ntAuxv:
		c.auxv = n.desc
	case ntFile:
		fs, err := parseNTFile(n.desc)
		if err != nil {
			return err
		}
		c.files, c.hasFiles = fs, true
	}
	return nil
}

// finish checks the threads, picks the current one and sorts the maps.
func (c *coreFile) finish() error {
	if len(c.threads) == 0 {
		return formatErr(c.name, "no NT_PRSTATUS notes: the core describes no thread")
	}
	seen := make(map[int]bool, len(c.threads))
	for _, t := range c.threads {
		if seen[t.tid] {
			return formatErr(c.name, "thread %d has two NT_PRSTATUS notes", t.tid)
		}
		seen[t.tid] = true
		if c.current == nil && t.sig != 0 {
			c.current = t
		}
	}
	if c.current == nil {
		c.current = c.threads[0]
	}
	sort.SliceStable(c.loads, func(i, j int) bool { return c.loads[i].Vaddr < c.loads[j].Vaddr })
	sort.SliceStable(c.files, func(i, j int) bool { return c.files[i].Start < c.files[j].Start })
	return nil
}

func elfTypeName(t uint16) string {
	switch t {
	case 0:
		return "file of no type"
	case 1:
		return "relocatable object"
	case etExec:
		return "executable"
	case etDyn:
		return "shared object or PIE executable"
	}
	return "file of unknown type"
}
