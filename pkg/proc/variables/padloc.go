package variables

import (
	"encoding/binary"

	"github.com/godbg/godbg/pkg/proc/eval"
)

// Where a bound integer variable lives, for code that reads it without a
// DWARF evaluator (jump pads, issue 17).

// ScalarLocKind is the kind of a ScalarLoc.
type ScalarLocKind int

const (
	LocReg   ScalarLocKind = iota // in DWARF register Reg
	LocStack                      // at rsp+Off at the binding's pc
	LocAbs                        // at the run-time address Off
)

// ScalarLoc is the location of an integer variable of Size bytes.
type ScalarLoc struct {
	Kind   ScalarLocKind
	Reg    int
	Off    int64
	Size   int
	Signed bool
}

// ScalarLoc returns the location of the i-th bound variable when it is an
// integer held whole in one register, in a stack slot at a fixed offset
// from rsp (CFA or frame base = CFA = rsp+k at the pc) or at a static address;
// false otherwise.
func (b *Binding) ScalarLoc(i int) (ScalarLoc, bool) {
	if i < 0 || i >= len(b.vars) {
		return ScalarLoc{}, false
	}
	v := b.vars[i]
	if v.typ.kind != eval.Int && v.typ.kind != eval.Uint {
		return ScalarLoc{}, false
	}
	switch v.typ.size {
	case 1, 2, 4, 8:
	default:
		return ScalarLoc{}, false
	}
	l := ScalarLoc{Size: v.typ.size, Signed: v.typ.kind == eval.Int}
	e := v.expr
	if len(e) == 0 {
		return ScalarLoc{}, false
	}
	switch op := e[0]; {
	case op >= 0x50 && op <= 0x5f && len(e) == 1: // DW_OP_reg0..15
		l.Kind, l.Reg = LocReg, int(op-0x50)
		return l, true
	case op == 0x90: // DW_OP_regx
		r, n := binary.Uvarint(e[1:])
		if n <= 0 || 1+n != len(e) || r > 15 {
			return ScalarLoc{}, false
		}
		l.Kind, l.Reg = LocReg, int(r)
		return l, true
	case op == 0x91: // DW_OP_fbreg
		off, n := sleb(e[1:])
		if n <= 0 || 1+n != len(e) || b.frameBase != nil || b.cfaErr != nil || b.cfa.Expr != nil || b.cfa.Reg != 7 {
			return ScalarLoc{}, false
		}
		l.Kind, l.Off = LocStack, b.cfa.Offset+off
		return l, true
	case op == 0x9c && len(e) == 1: // DW_OP_call_frame_cfa (Go's -N stack arguments)
		if b.cfaErr != nil || b.cfa.Expr != nil || b.cfa.Reg != 7 {
			return ScalarLoc{}, false
		}
		l.Kind, l.Off = LocStack, b.cfa.Offset
		return l, true
	case op == 0x03 && len(e) == 9: // DW_OP_addr
		l.Kind, l.Off = LocAbs, int64(binary.LittleEndian.Uint64(e[1:])+b.bias)
		return l, true
	}
	return ScalarLoc{}, false
}

// sleb decodes a signed LEB128; n <= 0 when malformed.
func sleb(b []byte) (int64, int) {
	var v int64
	var shift uint
	for i, c := range b {
		v |= int64(c&0x7f) << shift
		shift += 7
		if c&0x80 == 0 {
			if shift < 64 && c&0x40 != 0 {
				v |= -1 << shift
			}
			return v, i + 1
		}
		if shift >= 64 {
			return 0, -1
		}
	}
	return 0, -1
}
