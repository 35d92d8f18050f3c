package stack

import (
	"debug/dwarf"
	"sort"
	"sync"
)

// inlineCall is one inlined call inside a function: the pc ranges of the
// inlined body, its nesting depth (1: inlined directly into the
// function), the inlined function's name and the position of the call.
type inlineCall struct {
	ranges   [][2]uint64
	depth    int
	name     string
	callFile string
	callLine int
}

func (c *inlineCall) covers(pc uint64) bool {
	for _, r := range c.ranges {
		if pc >= r[0] && pc < r[1] {
			return true
		}
	}
	return false
}

// inlineIndex maps a function's link-time entry to the calls inlined into
// it, read from DWARF (DW_TAG_inlined_subroutine) one compile unit at a
// time, when a pc of that unit is first unwound.
type inlineIndex struct {
	mu     sync.Mutex
	d      *dwarf.Data
	loaded bool
	units  map[dwarf.Offset]bool // compile units already read
	calls  map[uint64][]inlineCall
	names  map[dwarf.Offset]string
}

// inlinedAt returns the calls inlined into the function fnEntry that
// cover the link-time pc, outermost first.
func (im *image) inlinedAt(fnEntry, pc uint64) []inlineCall {
	x := &im.inl
	x.mu.Lock()
	defer x.mu.Unlock()
	if !x.loaded {
		x.loaded = true
		if im.tab.HasDWARF() {
			x.d, _ = im.tab.DWARF()
		}
		x.units, x.calls, x.names = map[dwarf.Offset]bool{}, map[uint64][]inlineCall{}, map[dwarf.Offset]string{}
	}
	if x.d == nil {
		return nil
	}
	if _, ok := x.calls[fnEntry]; !ok {
		x.readUnit(pc)
		if _, ok := x.calls[fnEntry]; !ok {
			x.calls[fnEntry] = nil // nothing inlined (or no DWARF for it)
		}
	}
	var out []inlineCall
	for _, c := range x.calls[fnEntry] {
		if c.covers(pc) {
			out = append(out, c)
		}
	}
	sort.SliceStable(out, func(i, j int) bool { return out[i].depth < out[j].depth })
	return out
}

// readUnit indexes the inlined calls of the compile unit holding pc.
func (x *inlineIndex) readUnit(pc uint64) {
	r := x.d.Reader()
	cu, err := r.SeekPC(pc)
	if err != nil || cu == nil || x.units[cu.Offset] {
		return
	}
	x.units[cu.Offset] = true
	var files []*dwarf.LineFile
	if lr, err := x.d.LineReader(cu); err == nil && lr != nil {
		files = lr.Files()
	}
	for {
		e, err := r.Next()
		if err != nil || e == nil || e.Tag == 0 {
			return
		}
		if e.Tag != dwarf.TagSubprogram || !e.Children {
			if e.Children {
				r.SkipChildren()
			}
			continue
		}
		ranges, err := x.d.Ranges(e)
		if err != nil || len(ranges) == 0 {
			r.SkipChildren()
			continue
		}
		entry := ranges[0][0]
		for _, rg := range ranges {
			entry = min(entry, rg[0])
		}
		x.calls[entry] = append(x.calls[entry], x.children(r, files, 1)...)
	}
}

// children collects the inlined calls below the current entry (whose
// children the reader is positioned at), at nesting depth depth.
func (x *inlineIndex) children(r *dwarf.Reader, files []*dwarf.LineFile, depth int) []inlineCall {
	var out []inlineCall
	for {
		e, err := r.Next()
		if err != nil || e == nil || e.Tag == 0 {
			return out
		}
		switch {
		case e.Tag == dwarf.TagInlinedSubroutine:
			c := inlineCall{depth: depth}
			c.ranges, _ = x.d.Ranges(e)
			c.name = x.originName(e)
			if i, ok := e.Val(dwarf.AttrCallFile).(int64); ok && i >= 0 && int(i) < len(files) && files[i] != nil {
				c.callFile = files[i].Name
			}
			if l, ok := e.Val(dwarf.AttrCallLine).(int64); ok {
				c.callLine = int(l)
			}
			out = append(out, c)
			if e.Children {
				out = append(out, x.children(r, files, depth+1)...)
			}
		case e.Tag == dwarf.TagLexDwarfBlock && e.Children:
			out = append(out, x.children(r, files, depth)...)
		case e.Children:
			r.SkipChildren()
		}
	}
}

// originName returns the name of an inlined call's abstract function.
func (x *inlineIndex) originName(e *dwarf.Entry) string {
	if name, ok := e.Val(dwarf.AttrName).(string); ok {
		return name
	}
	off, ok := e.Val(dwarf.AttrAbstractOrigin).(dwarf.Offset)
	if !ok {
		return ""
	}
	if name, ok := x.names[off]; ok {
		return name
	}
	r := x.d.Reader()
	r.Seek(off)
	name := ""
	if o, err := r.Next(); err == nil && o != nil {
		name, _ = o.Val(dwarf.AttrName).(string)
	}
	x.names[off] = name
	return name
}
