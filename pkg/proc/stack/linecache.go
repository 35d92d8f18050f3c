package stack

import (
	"strings"
	"sync"
)

// lineCache remembers where link-time pcs are: many stacks share their
// pcs (every parked goroutine returns into the same few runtime calls),
// and a pc-line lookup decodes a table each time.
type lineCache struct {
	mu    sync.RWMutex
	lines map[uint64]lineInfo
}

type lineInfo struct {
	file  string
	line  int
	fn    string
	entry uint64 // link-time; 0 if no function
}

const maxCachedLines = 1 << 16

// lineAt returns the position and function of the link-time pc.
func (im *image) lineAt(pc uint64) lineInfo {
	c := &im.lines
	c.mu.RLock()
	li, ok := c.lines[pc]
	c.mu.RUnlock()
	if ok {
		return li
	}
	file, line, fn := im.tab.PCToLine(pc)
	li = lineInfo{file: file, line: line}
	if fn != nil {
		li.fn, li.entry = strings.TrimSuffix(fn.Name, ".abi0"), fn.Entry
	}
	c.mu.Lock()
	if c.lines == nil || len(c.lines) >= maxCachedLines {
		c.lines = make(map[uint64]lineInfo)
	}
	c.lines[pc] = li
	c.mu.Unlock()
	return li
}
