package expr

import (
	"debug/dwarf"
	"encoding/binary"
	"fmt"
	"go/ast"
	"reflect"

	"github.com/godbg/godbg/pkg/proc/values"
)

// isCPointer reports whether v is a pointer of a C type (cgo): it
// indexes and slices as in C, p[i] being *(p+i), as Delve allows.
// C compilers leave pointer types unnamed and describe the pointee
// without Go's DW_AT_go_kind.
func (e *evaluator) isCPointer(v *values.Value) bool {
	if v.Kind != reflect.Pointer || v.Type == nil {
		return false
	}
	pt, ok := v.Type.(*dwarf.PtrType)
	if !ok || pt.Name != "" {
		return false
	}
	et := cPointee(pt)
	for et != nil {
		q, ok := et.(*dwarf.QualType)
		if !ok {
			break
		}
		et = q.Type
	}
	return et != nil && e.l.IsCType(et)
}

// cPointee is the element type of a C pointer type.
func cPointee(t dwarf.Type) dwarf.Type {
	for i := 0; i < 8; i++ {
		switch u := t.(type) {
		case *dwarf.TypedefType:
			t = u.Type
		case *dwarf.QualType:
			t = u.Type
		case *dwarf.PtrType:
			if u.Type == nil || size(u.Type) <= 0 {
				return nil // void *
			}
			return u.Type
		default:
			return nil
		}
	}
	return nil
}

// cElement returns p[i] for a C pointer p.
func (e *evaluator) cElement(v *values.Value, i int64, what string) (*values.Value, error) {
	if v.Base == 0 {
		return nil, fmt.Errorf("%s: %w: nil pointer", what, ErrNotAddressable)
	}
	et := cPointee(v.Type)
	return e.load(et, v.Base+uint64(i*size(et)), what)
}

// cSlice returns p[lo:hi] for a C pointer p: a slice of hi-lo elements
// at p+lo (the high bound is required: C pointers have no length).
//
// A C string (char pointer) sliced without a high bound, s[lo:], is the
// pointer advanced by lo: the rest of the string, as Delve shows it.
func (e *evaluator) cSlice(n *ast.SliceExpr, v *values.Value, what string) (operand, error) {
	if v.Base == 0 {
		return operand{}, fmt.Errorf("%s: %w: nil pointer", what, ErrNotAddressable)
	}
	cString := n.High == nil && !n.Slice3 && v.IsCString()
	if !cString && (n.High == nil || n.Slice3) {
		return operand{}, fmt.Errorf("%s: %w: slicing a C pointer needs p[lo:hi]", what, ErrTypeMismatch)
	}
	// A C pointer has no length: any bounds up to cMaxElems.
	lo, hi, _, err := e.bounds(n, cMaxElems, cMaxElems, what)
	if err != nil {
		return operand{}, err
	}
	if cString {
		if lo > v.Len && v.Len == int64(len(v.Str)) {
			return operand{}, fmt.Errorf("%s: %w: [%d:] of a C string of %d bytes", what, ErrOutOfRange, lo, v.Len)
		}
		b := make([]byte, 8)
		binary.LittleEndian.PutUint64(b, v.Base+uint64(lo))
		r, err := e.fromBytes(v.Type, b, what)
		return typed(r), err
	}
	et := cPointee(v.Type)
	hdr := make([]byte, 24)
	binary.LittleEndian.PutUint64(hdr, v.Base+uint64(lo*size(et)))
	binary.LittleEndian.PutUint64(hdr[8:], uint64(hi-lo))
	binary.LittleEndian.PutUint64(hdr[16:], uint64(hi-lo))
	r, err := e.fromBytes(sliceOf(et), hdr, what)
	return typed(r), err
}

// cMaxElems bounds a slice of a C pointer.
const cMaxElems = 1 << 20
