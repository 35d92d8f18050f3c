package native

// A step sets a dozen breakpoints in one function while every thread is
// stopped (issue 12: a next's fixed cost): SetBreakpoint reads the text
// under them a page at a time, one read of /proc/<pid>/mem per page
// instead of one per address. The page is kept as read while no int3 is
// in the text (the threads stopped, p.inserted false) and no jump pad
// is armed; readText's overlay (the original bytes under our
// breakpoints) applies to it as to a fresh read, so breakpoints set or
// cleared meanwhile do not make it stale. It is dropped when the threads
// run (insertBreakpoints) and at every WriteMemory.

const textPageSize = 4096

// textPage is one page of text as read.
type textPage struct {
	addr uint64
	b    []byte
}

// readBreakpointText is readText for a new breakpoint at addr, through
// the cached page when buf lies within one page.
func (p *nproc) readBreakpointText(addr uint64, buf []byte) (int, error) {
	page := addr &^ (textPageSize - 1)
	if p.inserted || p.hasPads() || addr-page+uint64(len(buf)) > textPageSize {
		return p.readText(addr, buf)
	}
	if tp := p.textPage; tp == nil || tp.addr != page {
		b := make([]byte, textPageSize)
		if n, err := p.mem.ReadAt(b, int64(page)); err != nil || n != len(b) {
			return p.readText(addr, buf) // not readable as a whole page
		}
		p.textPage = &textPage{addr: page, b: b}
		p.textReads++
	}
	n := copy(buf, p.textPage.b[addr-page:])
	p.origText(addr, buf[:n])
	return n, nil
}
