package core

import (
	"errors"
	"fmt"
	"io"
	"sort"
)

// ErrUnavailable is wrapped by reads of memory the core file does not
// hold and the executable cannot supply.
var ErrUnavailable = errors.New("memory not in the core file")

// memory answers reads from the core's PT_LOAD segments first, then from
// the executable for the ranges NT_FILE (or, without it, the executable's
// own program headers) says it maps.
type memory struct {
	c       *coreFile
	exe     io.ReaderAt // nil: no fallback
	exeSize int64
	exeMaps []fileMap // sorted by Start; Offset is a file offset in exe
}

// ReadMemory fills buf from addr; it returns the bytes read before the
// first unavailable one and an error wrapping ErrUnavailable.
func (m *memory) ReadMemory(addr uint64, buf []byte) (int, error) {
	n := 0
	for n < len(buf) {
		a := addr + uint64(n)
		if a < addr {
			return n, fmt.Errorf("reading %d bytes at %#x: the range wraps around the address space: %w", len(buf), addr, ErrUnavailable)
		}
		k, err := m.readSome(a, buf[n:])
		n += k
		if err == nil && k == 0 {
			err = fmt.Errorf("address %#x: no progress reading the file: %w", a, ErrUnavailable)
		}
		if err != nil {
			return n, fmt.Errorf("reading %d bytes at %#x: %w", len(buf), addr, err)
		}
	}
	return n, nil
}

// readSome reads a prefix (at least one byte unless it fails) of b at a
// from the first source that has a.
func (m *memory) readSome(a uint64, b []byte) (int, error) {
	seg := m.c.segmentAt(a)
	if seg != nil && a-seg.Vaddr < seg.Filesz {
		k := min(uint64(len(b)), seg.Filesz-(a-seg.Vaddr))
		return readAt(m.c.r, b[:k], seg.Off+(a-seg.Vaddr))
	}
	if fm := mapAt(m.exeMaps, a); fm != nil && m.exe != nil {
		off := fm.Offset + (a - fm.Start)
		if off >= uint64(m.exeSize) {
			return 0, fmt.Errorf("address %#x maps offset %d of the executable, past its end: %w", a, off, ErrUnavailable)
		}
		k := min(uint64(len(b)), fm.End-a, uint64(m.exeSize)-off)
		return readAt(m.exe, b[:k], off)
	}
	if seg == nil {
		return 0, fmt.Errorf("address %#x is not in the core file's memory: %w", a, ErrUnavailable)
	}
	if seg.Flags&pfR == 0 {
		return 0, fmt.Errorf("address %#x is reserved address space without read access: %w", a, ErrUnavailable)
	}
	if fm := mapAt(m.c.files, a); fm != nil {
		return 0, fmt.Errorf("address %#x is in %s, which the core file does not contain: %w", a, fm.Path, ErrUnavailable)
	}
	// Anonymous memory the dumper left out (past p_filesz) reads as zeros.
	k := min(uint64(len(b)), seg.end()-a)
	clear(b[:k])
	return int(k), nil
}

// readCore reads only from the core's segments; it reports whether every
// byte was there.
func (c *coreFile) readCore(addr uint64, buf []byte) bool {
	for n := uint64(0); n < uint64(len(buf)); {
		a := addr + n
		seg := c.segmentAt(a)
		if a < addr || seg == nil || a-seg.Vaddr >= seg.Filesz {
			return false
		}
		k := min(uint64(len(buf))-n, seg.Filesz-(a-seg.Vaddr))
		if _, err := readAt(c.r, buf[n:n+k], seg.Off+(a-seg.Vaddr)); err != nil {
			return false
		}
		n += k
	}
	return true
}

// segmentAt returns the PT_LOAD segment whose memory range holds a.
func (c *coreFile) segmentAt(a uint64) *phdr {
	i := sort.Search(len(c.loads), func(i int) bool { return c.loads[i].Vaddr > a }) - 1
	if i >= 0 && a < c.loads[i].end() {
		return &c.loads[i]
	}
	return nil
}

// mapAt returns the entry of maps (sorted by Start) holding a.
func mapAt(maps []fileMap, a uint64) *fileMap {
	i := sort.Search(len(maps), func(i int) bool { return maps[i].Start > a }) - 1
	if i >= 0 && a < maps[i].End {
		return &maps[i]
	}
	return nil
}

// readAt is ReadAt that accepts io.EOF with a full buffer and reports a
// short read as an error.
func readAt(r io.ReaderAt, b []byte, off uint64) (int, error) {
	if off > 1<<62 {
		return 0, fmt.Errorf("file offset %d out of range: %w", off, ErrUnavailable)
	}
	n, err := r.ReadAt(b, int64(off))
	if n == len(b) {
		return n, nil
	}
	if err == nil {
		err = io.ErrUnexpectedEOF
	}
	return n, err
}
