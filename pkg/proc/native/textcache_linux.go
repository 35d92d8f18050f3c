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

const (
	textPageSize = 4096
	maxTextPages = 8 // a step's breakpoints: its function, its caller, the runtime's deferred-call code
)

// textPage is one page of text as read.
type textPage struct {
	addr uint64
	b    []byte
}

// readBreakpointText is readText for a new breakpoint at addr, through
// the cached pages.
func (p *nproc) readBreakpointText(addr uint64, buf []byte) (int, error) {
	if p.inserted || p.hasPads() {
		return p.readText(addr, buf)
	}
	for n := 0; n < len(buf); {
		a := addr + uint64(n)
		tp := p.cachedTextPage(a &^ (textPageSize - 1))
		if tp == nil {
			return p.readText(addr, buf) // not readable as a whole page
		}
		n += copy(buf[n:], tp.b[a-tp.addr:])
	}
	p.origText(addr, buf)
	return len(buf), nil
}

// cachedTextPage returns the text page at page, read if it is not kept
// yet (nil: it cannot be read whole).
func (p *nproc) cachedTextPage(page uint64) *textPage {
	for _, c := range p.textPages {
		if c.addr == page {
			return c
		}
	}
	b := make([]byte, textPageSize)
	if n, err := p.mem.ReadAt(b, int64(page)); err != nil || n != len(b) {
		return nil
	}
	tp := &textPage{addr: page, b: b}
	if len(p.textPages) >= maxTextPages {
		p.textPages = p.textPages[1:]
	}
	p.textPages = append(p.textPages, tp)
	p.textReads++
	return tp
}
