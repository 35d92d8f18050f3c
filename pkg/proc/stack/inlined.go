package stack

import "github.com/godbg/godbg/pkg/symbols"

// InlinedCall is one call inlined into a function: the link-time pc
// ranges of its body and its nesting depth (1: inlined directly into the
// function). Stepping uses them to step over inlined bodies and out of
// inlined frames.
type InlinedCall struct {
	Ranges [][2]uint64
	Depth  int
	Name   string
}

// Covers reports whether the body holds the link-time pc.
func (c *InlinedCall) Covers(pc uint64) bool {
	for _, r := range c.Ranges {
		if pc >= r[0] && pc < r[1] {
			return true
		}
	}
	return false
}

// InlinedCalls returns every call inlined into the function whose
// link-time entry is fn.Entry (nil with no DWARF or nothing inlined).
func InlinedCalls(tab *symbols.Table, fn *symbols.Func) []InlinedCall {
	im := imageFor(tab)
	im.inlinedAt(fn.Entry, fn.Entry) // loads the function's unit
	x := &im.inl
	x.mu.Lock()
	defer x.mu.Unlock()
	var out []InlinedCall
	for _, c := range x.calls[fn.Entry] {
		out = append(out, InlinedCall{Ranges: c.ranges, Depth: c.depth, Name: c.name})
	}
	return out
}
