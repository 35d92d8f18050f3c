package debugger

import (
	"debug/dwarf"
	"encoding/binary"
	"fmt"
)

// Go's register ABI (ABIInternal) on amd64 passes integer-class values in
// RAX, RBX, RCX, RDI, RSI, R8, R9, R10, R11 and floats in X0-X14, a
// struct or string field by field; results in the same registers from
// RAX and X0. Arrays longer than one go on the stack: call refuses them,
// and values that do not fit in the registers.

// intRegs are the integer argument and result registers, by name.
var intRegs = []string{"rax", "rbx", "rcx", "rdi", "rsi", "r8", "r9", "r10", "r11"}

// intRegDwarf are their DWARF numbers (for reading results).
var intRegDwarf = []int{0, 3, 2, 5, 4, 8, 9, 10, 11}

// maxFloatRegs is how many xmm registers carry arguments or results.
const maxFloatRegs = 15

// component is one register-sized piece of a value; float ones go in
// xmm registers.
type component struct {
	off, size int64
	float     bool
}

// flatten splits typ into the pieces the ABI puts in integer registers.
func flatten(typ dwarf.Type, off int64, out []component) ([]component, error) {
	switch t := typ.(type) {
	case *dwarf.TypedefType:
		return flatten(t.Type, off, out)
	case *dwarf.StructType:
		for _, f := range t.Field {
			var err error
			if out, err = flatten(f.Type, off+f.ByteOffset, out); err != nil {
				return nil, err
			}
		}
		return out, nil
	case *dwarf.ArrayType:
		switch t.Count {
		case 0:
			return out, nil
		case 1:
			return flatten(t.Type, off, out)
		}
		return nil, fmt.Errorf("%s is an array (passed on the stack): not supported by call", typ)
	case *dwarf.FloatType:
		return append(out, component{off, typ.Size(), true}), nil
	case *dwarf.ComplexType:
		half := typ.Size() / 2
		return append(out, component{off, half, true}, component{off + half, half, true}), nil
	case *dwarf.IntType, *dwarf.UintType, *dwarf.BoolType, *dwarf.CharType, *dwarf.UcharType,
		*dwarf.PtrType, *dwarf.FuncType, *dwarf.UnspecifiedType, *dwarf.AddrType:
		size := typ.Size()
		if size <= 0 || size > 8 {
			size = 8
		}
		return append(out, component{off, size, false}), nil
	}
	return nil, fmt.Errorf("type %s is not supported by call", typ)
}

// toWords turns a value's bytes into register words, one per component.
func toWords(comps []component, data []byte) []uint64 {
	words := make([]uint64, len(comps))
	for i, c := range comps {
		var b [8]byte
		copy(b[:], data[c.off:c.off+c.size])
		words[i] = binary.LittleEndian.Uint64(b[:])
	}
	return words
}

// fromWords rebuilds a value's bytes from register words.
func fromWords(comps []component, words []uint64, size int64) []byte {
	data := make([]byte, size)
	for i, c := range comps {
		var b [8]byte
		binary.LittleEndian.PutUint64(b[:], words[i])
		copy(data[c.off:c.off+c.size], b[:c.size])
	}
	return data
}

// regWords are a call's values laid out for the registers.
type regWords struct{ ints, floats []uint64 }

func (r *regWords) add(comps []component, data []byte) {
	for i, w := range toWords(comps, data) {
		if comps[i].float {
			r.floats = append(r.floats, w)
		} else {
			r.ints = append(r.ints, w)
		}
	}
}

// count returns how many integer and float registers comps take.
func count(comps []component) (ints, floats int) {
	for _, c := range comps {
		if c.float {
			floats++
		} else {
			ints++
		}
	}
	return ints, floats
}
