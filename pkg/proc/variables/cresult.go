package variables

import (
	"debug/dwarf"

	"github.com/godbg/godbg/pkg/symbols"
)

// CResultType returns the declared return type of the C function holding
// the link-time pc (in a C program, or a C function of a cgo program),
// when it is one that the System V ABI returns in RAX alone: an integer,
// a pointer, a bool or char (at most 8 bytes, not floating point, not a
// struct). ok is false for Go functions (their results are variables: see
// Frame.Args), void and other types.
func CResultType(tab *symbols.Table, pc uint64) (t dwarf.Type, ok bool) {
	t, reg, ok := CResult(tab, pc)
	return t, ok && reg == 0
}

// CResult is CResultType that also takes a float or double, returned in
// XMM0: reg is the DWARF register holding the result at the function's
// RET, 0 (rax) or 17 (the low 64 bits of xmm0).
func CResult(tab *symbols.Table, pc uint64) (t dwarf.Type, reg int, ok bool) {
	in, err := load(tab)
	if err != nil {
		return nil, 0, false
	}
	if fn := tab.PCToFunc(pc); in.isGo && (fn == nil || !fn.C) {
		return nil, 0, false
	}
	fn, _, err := in.funcAt(pc)
	if err != nil {
		return nil, 0, false
	}
	off, isType := fn.Val(dwarf.AttrType).(dwarf.Offset)
	if !isType {
		return nil, 0, false // void
	}
	t, err = in.d.Type(off)
	if err != nil {
		return nil, 0, false
	}
	for {
		td, isTypedef := t.(*dwarf.TypedefType)
		if !isTypedef {
			break
		}
		t = td.Type
	}
	switch t.(type) {
	case *dwarf.IntType, *dwarf.UintType, *dwarf.PtrType, *dwarf.BoolType, *dwarf.CharType, *dwarf.UcharType, *dwarf.EnumType:
		return t, 0, t.Size() > 0 && t.Size() <= 8
	case *dwarf.FloatType:
		return t, 17, t.Size() == 4 || t.Size() == 8
	}
	return nil, 0, false
}
