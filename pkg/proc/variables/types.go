package variables

import (
	"debug/dwarf"
	"strings"

	"github.com/godbg/godbg/pkg/proc/eval"
)

// varType is what per-hit decoding needs to know about a type.
type varType struct {
	kind eval.Kind
	size int
	name string
	str  bool // Go string header {ptr, len}
}

// basicType maps a DWARF type to a varType, or reports why it cannot.
func basicType(t dwarf.Type) (varType, error) {
	name := t.String()
	for {
		switch u := t.(type) {
		case *dwarf.TypedefType:
			t = u.Type
			continue
		case *dwarf.QualType:
			t = u.Type
			continue
		}
		break
	}
	vt := varType{name: name, size: int(t.Size())}
	switch u := t.(type) {
	case *dwarf.IntType, *dwarf.CharType:
		vt.kind = eval.Int
	case *dwarf.UintType, *dwarf.UcharType:
		vt.kind = eval.Uint
	case *dwarf.BoolType:
		vt.kind = eval.Bool
	case *dwarf.FloatType:
		vt.kind = eval.Float
	case *dwarf.PtrType:
		vt.kind, vt.size = eval.Pointer, 8
	case *dwarf.EnumType:
		vt.kind = eval.Int
	case *dwarf.StructType:
		if u.StructName == "string" && len(u.Field) == 2 && u.Field[0].Name == "str" && u.Field[1].Name == "len" {
			vt.kind, vt.str, vt.size = eval.String, true, 16
			break
		}
		return vt, errUnsupported(name)
	default:
		return vt, errUnsupported(name)
	}
	if vt.kind != eval.String && vt.kind != eval.Pointer && (vt.size < 1 || vt.size > 8) {
		return vt, errUnsupported(name)
	}
	if vt.kind == eval.Float && vt.size != 4 && vt.size != 8 {
		return vt, errUnsupported(name)
	}
	return vt, nil
}

func errUnsupported(name string) error {
	what := "integers, floats, bools, strings and pointers"
	if strings.HasPrefix(name, "[]") || strings.HasPrefix(name, "map[") {
		what += " (not slices or maps)"
	}
	return &VarError{Msg: "type " + name + "; conditions support " + what, Err: ErrUnsupportedType}
}
