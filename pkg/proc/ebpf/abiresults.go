package ebpf

import (
	"debug/dwarf"
	"fmt"

	"github.com/godbg/godbg/pkg/proc/variables"
)

// abiIntRegs are the DWARF numbers of the integer registers Go's internal
// ABI assigns results to, in order: RAX, RBX, RCX, RDI, RSI, R8-R11.
var abiIntRegs = [...]int{0, 3, 2, 5, 4, 8, 9, 10, 11}

// abiFloatRegs is how many of X0-X14 the ABI assigns.
const abiFloatRegs = 15

// abiResults gives the results of a Go function at a RET whose location
// DWARF does not give there (optimized code often has none) the registers
// Go's internal ABI returns them in. It does so only when every result
// has a register class it knows (integers, pointers, bools, floats, and
// structs of 8-byte integer or pointer words such as strings, slices and
// interfaces) and all fit in registers, and DWARF lists each result
// once; a float is named as unreadable.
func abiResults(args []*variables.FrameVar, vals []Value) {
	need := false
	for _, v := range vals {
		need = need || v.away
	}
	var types []dwarf.Type
	seen := map[string]bool{}
	for _, a := range args {
		if a.Kind != variables.Result {
			continue
		}
		if seen[a.Name] || a.Indirect {
			return // not one entry per result: the order is unknown
		}
		seen[a.Name] = true
		types = append(types, a.Type)
	}
	if !need || len(types) != len(vals) {
		return
	}
	ints, floats := 0, 0
	pieces := make([][]Piece, len(types))
	firstX := make([]int, len(types))
	for i, t := range types {
		words, nf, ok := abiClass(t)
		if !ok || ints+len(words) > len(abiIntRegs) || floats+nf > abiFloatRegs {
			return // the result goes on the stack, or its class is unknown
		}
		for _, w := range words {
			pieces[i] = append(pieces[i], Piece{Reg: abiIntRegs[ints], Size: w})
			ints++
		}
		firstX[i] = -1
		if nf > 0 {
			firstX[i] = floats
			floats += nf
		}
	}
	for i := range vals {
		switch {
		case !vals[i].away:
		case firstX[i] >= 0:
			vals[i].Err = fmt.Sprintf("float in X%d: not readable by an eBPF probe; drop --ebpf to see it", firstX[i])
		default:
			vals[i].Pieces, vals[i].Err = pieces[i], ""
		}
		vals[i].away = false
	}
}

// abiClass is the register class of a type: the sizes of the integer
// registers it takes and how many float registers; ok false if unknown.
func abiClass(t dwarf.Type) (words []int64, floats int, ok bool) {
	if td, is := t.(*dwarf.TypedefType); is {
		return abiClass(td.Type)
	}
	switch t := t.(type) {
	case *dwarf.PtrType:
		return []int64{8}, 0, true
	case *dwarf.IntType, *dwarf.UintType, *dwarf.BoolType, *dwarf.CharType, *dwarf.UcharType:
		if s := t.Size(); s >= 1 && s <= 8 {
			return []int64{s}, 0, true
		}
	case *dwarf.FloatType:
		return nil, 1, true
	case *dwarf.ComplexType:
		return nil, 2, true
	case *dwarf.StructType:
		for i, f := range t.Field {
			w, nf, ok := abiClass(f.Type)
			if !ok || nf > 0 || len(w) != 1 || w[0] != 8 || f.ByteOffset != int64(8*i) {
				return nil, 0, false
			}
			words = append(words, 8)
		}
		return words, 0, int64(8*len(words)) == t.Size()
	}
	return nil, 0, false
}
