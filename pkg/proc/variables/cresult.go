package variables

import (
	"debug/dwarf"

	"github.com/godbg/godbg/pkg/symbols"
)

// CResultType returns the declared return type of the C function holding
// the link-time pc, when it is one that the System V ABI returns in RAX
// alone: an integer, a pointer, a bool or char (at most 8 bytes, not
// floating point, not a struct). ok is false for Go functions (their
// results are variables: see Frame.Args), void and other types.
func CResultType(tab *symbols.Table, pc uint64) (t dwarf.Type, ok bool) {
	in, err := load(tab)
	if err != nil || in.isGo {
		return nil, false
	}
	fn, _, err := in.funcAt(pc)
	if err != nil {
		return nil, false
	}
	off, isType := fn.Val(dwarf.AttrType).(dwarf.Offset)
	if !isType {
		return nil, false // void
	}
	t, err = in.d.Type(off)
	if err != nil {
		return nil, false
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
		return t, t.Size() > 0 && t.Size() <= 8
	}
	return nil, false
}
