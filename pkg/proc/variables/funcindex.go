package variables

import (
	"debug/dwarf"
	"fmt"
	"sort"
	"sync"
	"sync/atomic"
)

// funcIndex maps pcs to subprogram DIEs: built once per executable by one
// pass over .debug_info, so that each NewFrame is a binary search rather
// than a walk of every unit before the function's.
type funcIndex struct {
	fns   []funcRange // sorted by lo; functions do not overlap
	units map[dwarf.Offset]unit
}

type funcRange struct {
	lo, hi uint64
	off    dwarf.Offset // the DW_TAG_subprogram
	cu     dwarf.Offset
}

type funcIndexOnce struct {
	once sync.Once
	idx  *funcIndex
	err  error
	done atomic.Bool // built (Prepared)
}

// funcIndex returns the function index, built once per info (and so
// once per Table).
func (in *info) funcIndex() (*funcIndex, error) {
	o := &in.funcs
	o.once.Do(func() { o.idx, o.err = in.buildFuncIndex(); o.done.Store(true) })
	return o.idx, o.err
}

func (in *info) buildFuncIndex() (*funcIndex, error) {
	x := &funcIndex{units: map[dwarf.Offset]unit{}}
	r := in.d.Reader()
	var cu dwarf.Offset
	for {
		e, err := r.Next()
		if err != nil {
			return nil, fmt.Errorf("indexing functions: %w", err)
		}
		if e == nil {
			break
		}
		switch {
		case e.Tag == dwarf.TagCompileUnit || e.Tag == dwarf.TagPartialUnit:
			cu = e.Offset
			u := unit{version: in.unitVersion(e.Offset)}
			u.base, _ = e.Val(dwarf.AttrLowpc).(uint64)
			if ab, ok := e.Val(dwarf.AttrAddrBase).(int64); ok {
				u.addrBase = uint64(ab)
			}
			x.units[cu] = u
			continue // into the unit's children
		case e.Tag == dwarf.TagSubprogram:
			ranges, err := in.d.Ranges(e)
			if err == nil {
				for _, rg := range ranges {
					if rg[0] < rg[1] {
						x.fns = append(x.fns, funcRange{lo: rg[0], hi: rg[1], off: e.Offset, cu: cu})
					}
				}
			}
		}
		if e.Children {
			r.SkipChildren()
		}
	}
	sort.Slice(x.fns, func(i, j int) bool { return x.fns[i].lo < x.fns[j].lo })
	return x, nil
}

// funcAt returns the subprogram DIE whose ranges contain the link-time
// pc, and its unit.
func (in *info) funcAt(pc uint64) (*dwarf.Entry, unit, error) {
	x, err := in.funcIndex()
	if err != nil {
		return nil, unit{}, err
	}
	i := sort.Search(len(x.fns), func(i int) bool { return x.fns[i].lo > pc }) - 1
	if i < 0 || pc >= x.fns[i].hi {
		return nil, unit{}, fmt.Errorf("%w %#x", ErrNoFunction, pc)
	}
	r := in.d.Reader()
	r.Seek(x.fns[i].off)
	e, err := r.Next()
	if err != nil || e == nil {
		return nil, unit{}, fmt.Errorf("reading the function at %#x: %v", pc, err)
	}
	return e, x.units[x.fns[i].cu], nil
}
