package core

import "os"

// /proc/<pid>/pagemap has one 64-bit entry per page of the address space.
const (
	pmPresent    = 1 << 63
	pmSwapped    = 1 << 62
	pmFileShared = 1 << 61 // a page of a file or shared memory (not a private copy)
	pmBatch      = 4096    // entries read at once
)

// untouched reports, from /proc/<pid>/pagemap, the pages of an anonymous
// private mapping that are neither present nor swapped: never touched,
// they read as zeros, and reading them would only fault them in.
func untouched(pm *os.File) func(addr uint64, n int) []bool {
	return func(addr uint64, n int) []bool {
		b := make([]byte, 8*n)
		if _, err := readAt(pm, b, addr/pageSize*8); err != nil {
			return nil
		}
		out := make([]bool, n)
		for i := range out {
			e := le.Uint64(b[8*i:])
			out[i] = e&(pmPresent|pmSwapped) == 0
		}
		return out
	}
}

// hasPrivatePages reports whether a private file mapping has pages of its
// own (copied on write: relocated RELRO data, text a debugger patched), so
// that the file alone does not give its contents.
func hasPrivatePages(pm *os.File, m mapping) bool {
	b := make([]byte, 8*pmBatch)
	for a := m.start; a < m.end; a += pmBatch * pageSize {
		n := min(pmBatch, (m.end-a)/pageSize)
		if _, err := readAt(pm, b[:8*n], a/pageSize*8); err != nil {
			return true
		}
		for i := range n {
			e := le.Uint64(b[8*i:])
			if e&pmPresent != 0 && e&pmFileShared == 0 || e&pmSwapped != 0 {
				return true
			}
		}
	}
	return false
}

// touchedEnd returns the end of the last page of [start, end) that is
// present or swapped: the untouched zero pages after it are left out of
// the file (p_filesz < p_memsz). If pagemap cannot be read, end.
func touchedEnd(pm *os.File, start, end uint64) uint64 {
	last := start
	b := make([]byte, 8*pmBatch)
	for a := start; a < end; a += pmBatch * pageSize {
		n := min(pmBatch, (end-a)/pageSize)
		if _, err := readAt(pm, b[:8*n], a/pageSize*8); err != nil {
			return end
		}
		for i := range n {
			if le.Uint64(b[8*i:])&(pmPresent|pmSwapped) != 0 {
				last = a + (i+1)*pageSize
			}
		}
	}
	return last
}
