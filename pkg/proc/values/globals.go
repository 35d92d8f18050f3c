package values

import (
	"debug/dwarf"
	"encoding/binary"
	"fmt"
)

const opAddr = 0x03 // DW_OP_addr

// Global returns the run-time address and the type of a package variable
// named as in DWARF ("main.counter", "github.com/a/b.Var").
func (l *Loader) Global(name string) (uint64, dwarf.Type, error) {
	idx, err := l.img.index()
	if err != nil {
		return 0, nil, err
	}
	off, ok := idx.globals[name]
	if !ok {
		return 0, nil, fmt.Errorf("%w: %s", ErrNoVariable, name)
	}
	e, err := l.img.entry(off)
	if err != nil {
		return 0, nil, fmt.Errorf("%s: %w", name, err)
	}
	expr, _ := e.Val(dwarf.AttrLocation).([]byte)
	if len(expr) != 9 || expr[0] != opAddr {
		return 0, nil, fmt.Errorf("%w: %s has location % x, not a static address", ErrUnsupported, name, expr)
	}
	toff, ok := e.Val(dwarf.AttrType).(dwarf.Offset)
	if !ok {
		return 0, nil, fmt.Errorf("%w: %s has no type", ErrUnsupported, name)
	}
	t, err := l.img.typeAt(toff)
	if err != nil {
		return 0, nil, fmt.Errorf("%s: %w", name, err)
	}
	return binary.LittleEndian.Uint64(expr[1:]) + l.bias, t, nil
}

// LoadGlobal reads a package variable (see Global).
func (l *Loader) LoadGlobal(mem Memory, name string, cfg LoadConfig) (*Value, error) {
	addr, t, err := l.Global(name)
	if err != nil {
		return nil, err
	}
	return l.Load(mem, name, t, addr, cfg), nil
}

// LookupType returns the type with the given DWARF name ("main.T",
// "[]int", "map[string]*main.T"), for conversions such as (*main.T)(addr).
// Only types the program uses have a description.
func (l *Loader) LookupType(name string) (dwarf.Type, error) {
	idx, err := l.img.index()
	if err != nil {
		return nil, err
	}
	var first dwarf.Offset
	for i, off := range idx.types[name] {
		if i == 0 {
			first = off
		}
		if e, err := l.img.entry(off); err == nil && e.Val(attrGoKind) != nil {
			return l.img.typeAt(off)
		}
	}
	if len(idx.types[name]) > 0 {
		return l.img.typeAt(first)
	}
	return nil, fmt.Errorf("%w %s", ErrNoType, name)
}
