package stack

import (
	"encoding/binary"
	"io"
	"sync"
)

// Memory reads the target's memory; pkg/proc's Process has it.
type Memory interface {
	ReadMemory(addr uint64, buf []byte) (int, error)
}

const (
	pageSize  = 4096
	maxPages  = 64 // per unwind: 256 KiB of stack and code
	wordBytes = 8
)

// pageCache reads memory a page at a time for one unwind: stack frames
// are contiguous, so one read serves many frames, and a backend that
// reads through a system call (or a hand-off to a tracer thread) pays it
// once per page instead of once per word. Pages that cannot be read
// whole (the end of a mapping, which is page aligned, cannot cut a page)
// fall back to direct reads.
type pageCache struct {
	mem   Memory
	pages map[uint64][]byte // page address → contents; nil: unreadable as a page
	order []uint64
}

func newPageCache(mem Memory) *pageCache {
	return &pageCache{mem: mem, pages: make(map[uint64][]byte, 8)}
}

// read fills buf from addr.
func (c *pageCache) read(addr uint64, buf []byte) error {
	for len(buf) > 0 {
		page := addr &^ (pageSize - 1)
		if addr+uint64(len(buf)) < addr {
			return &MemoryError{Addr: addr, Len: len(buf), Err: io.ErrUnexpectedEOF}
		}
		data, ok := c.page(page)
		if !ok {
			return c.direct(addr, buf)
		}
		n := copy(buf, data[addr-page:])
		buf, addr = buf[n:], addr+uint64(n)
	}
	return nil
}

func (c *pageCache) page(page uint64) ([]byte, bool) {
	if data, seen := c.pages[page]; seen {
		return data, data != nil
	}
	if len(c.order) >= maxPages {
		delete(c.pages, c.order[0])
		c.order = c.order[1:]
	}
	data := pagePool.Get().(*[pageSize]byte)[:]
	if n, err := c.mem.ReadMemory(page, data); err != nil || n != pageSize {
		pagePool.Put((*[pageSize]byte)(data))
		data = nil
	}
	c.pages[page] = data
	c.order = append(c.order, page)
	return data, data != nil
}

// pagePool recycles page buffers between unwinds: listing many
// goroutines unwinds each stack, and fresh pages would keep the garbage
// collector busy.
var pagePool = sync.Pool{New: func() any { return new([pageSize]byte) }}

// release returns the cache's pages to the pool; the cache is not used
// afterwards.
func (c *pageCache) release() {
	for _, data := range c.pages {
		if data != nil {
			pagePool.Put((*[pageSize]byte)(data))
		}
	}
	c.pages, c.order = nil, nil
}

func (c *pageCache) direct(addr uint64, buf []byte) error {
	n, err := c.mem.ReadMemory(addr, buf)
	if err == nil && n != len(buf) {
		err = io.ErrUnexpectedEOF
	}
	if err != nil {
		return &MemoryError{Addr: addr, Len: len(buf), Err: err}
	}
	return nil
}

// word reads a little-endian uint64.
func (c *pageCache) word(addr uint64) (uint64, error) {
	var b [wordBytes]byte
	if err := c.read(addr, b[:]); err != nil {
		return 0, err
	}
	return binary.LittleEndian.Uint64(b[:]), nil
}
