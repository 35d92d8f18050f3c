package expr

import (
	"debug/dwarf"
	"encoding/binary"
	"fmt"
	"go/ast"
	"go/types"
	"reflect"
	"strconv"
	"strings"
	"sync"
	"unicode/utf8"

	"github.com/godbg/godbg/pkg/proc/values"
)

// Conversions between strings and byte or rune slices, between types of
// the same layout (named struct types, a named []byte), to complex from
// real numbers, and the composite types a conversion names that the
// program may lack (*[5]byte, struct {}), following Go's rules.

// maxConvert bounds the elements a conversion reads or makes.
const maxConvert = 1 << 20

var typeByte = basic("byte", 1, uintT)

// sameBasic reports whether two type names denote the same type: equal,
// or byte and uint8, rune and int32 (Go's aliases).
func sameBasic(a, b string) bool {
	alias := func(s string) string {
		switch s {
		case "byte":
			return "uint8"
		case "rune":
			return "int32"
		}
		return s
	}
	return alias(a) == alias(b)
}

// delveSpelling spells a type expression as Go's DWARF names types:
// "interface {}", "struct {}".
func delveSpelling(x ast.Expr) string {
	s := types.ExprString(x)
	s = strings.ReplaceAll(s, "interface{}", "interface {}")
	return strings.ReplaceAll(s, "struct{}", "struct {}")
}

// compositeType resolves an array, slice, struct or interface type
// expression: the program's type of that name, else one made up for
// arrays, slices and the empty struct.
func (e *evaluator) compositeType(x ast.Expr) (dwarf.Type, error) {
	if t, err := e.s.LookupType(delveSpelling(x)); err == nil {
		return t, nil
	}
	switch x := x.(type) {
	case *ast.ArrayType:
		elem, err := e.typeOf(x.Elt)
		if err != nil {
			return nil, err
		}
		if x.Len == nil {
			return sliceOf(elem), nil
		}
		lit, ok := x.Len.(*ast.BasicLit)
		if !ok {
			return nil, fmt.Errorf("%w: array length %s is not a number", errNotType, e.text(x.Len))
		}
		n, err := strconv.ParseInt(lit.Value, 0, 64)
		if err != nil || n < 0 || n > maxConvert {
			return nil, fmt.Errorf("%w: array length %s", errNotType, lit.Value)
		}
		return arrayOf(elem, n), nil
	case *ast.StructType:
		if x.Fields == nil || len(x.Fields.List) == 0 {
			return emptyStruct, nil
		}
	}
	return nil, fmt.Errorf("%w: no debug information for type %s", errNotType, delveSpelling(x))
}

var (
	emptyStruct = &dwarf.StructType{CommonType: dwarf.CommonType{Name: "struct {}"}, StructName: "struct {}", Kind: "struct"}
	arrayTypes  sync.Map // [2]any{elem, n} → *dwarf.ArrayType
)

// arrayOf returns the array type [n]elem.
func arrayOf(elem dwarf.Type, n int64) dwarf.Type {
	key := [2]any{elem, n}
	if t, ok := arrayTypes.Load(key); ok {
		return t.(dwarf.Type)
	}
	at := &dwarf.ArrayType{
		CommonType: dwarf.CommonType{ByteSize: n * size(elem), Name: fmt.Sprintf("[%d]%s", n, values.TypeName(elem))},
		Type:       elem, StrideBitSize: 0, Count: n,
	}
	t, _ := arrayTypes.LoadOrStore(key, at)
	return t.(dwarf.Type)
}

// convertComposite converts v to t when Go allows it and the numeric
// conversions do not apply; ok is false when it does not.
func (e *evaluator) convertComposite(t dwarf.Type, v *values.Value, what string) (r *values.Value, ok bool, err error) {
	tk := e.kindOf(t)
	switch {
	case tk == reflect.String && (v.Kind == reflect.Slice || v.Kind == reflect.Array):
		s, isText, err := e.textOf(v, what)
		if !isText {
			return nil, false, nil
		}
		return stringValue(t, s), true, err
	case tk == reflect.Slice && v.Kind == reflect.String:
		return e.sliceOfString(t, v, what)
	case tk == reflect.Complex64 || tk == reflect.Complex128:
		if c := classOf(v.Kind); c == cInt || c == cUint || c == cFloat {
			f := convertNumber(scalarOf(v), c, cFloat).f
			r, err := e.fromBytes(t, encode(tk, size(t), scalar{c: complex(f, 0)}), what)
			return r, true, err
		}
	}
	if sameLayout(strip(t), strip(v.Type), 0) {
		r := *v
		r.Type, r.TypeName = t, values.TypeName(t)
		if v.Addr != 0 {
			return e.retype(t, v, what)
		}
		return &r, true, nil
	}
	return nil, false, nil
}

// retype reads the value at v's address again as type t.
func (e *evaluator) retype(t dwarf.Type, v *values.Value, what string) (*values.Value, bool, error) {
	r, err := e.load(t, v.Addr, what)
	if err == nil {
		r.Addr = 0 // a conversion's result is not addressable
	}
	return r, true, err
}

// sameLayout reports whether two types have identical underlying types
// as far as DWARF tells: the same kind of type, the same fields (names,
// offsets and types) or elements.
func sameLayout(a, b dwarf.Type, depth int) bool {
	if a == nil || b == nil || depth > 8 {
		return false
	}
	if a == b {
		return true
	}
	switch a := a.(type) {
	case *dwarf.StructType:
		b, ok := b.(*dwarf.StructType)
		if !ok || len(a.Field) != len(b.Field) || a.Size() != b.Size() {
			return false
		}
		for i, f := range a.Field {
			g := b.Field[i]
			if f.Name != g.Name || f.ByteOffset != g.ByteOffset || (values.TypeName(f.Type) != values.TypeName(g.Type) && !sameLayout(strip(f.Type), strip(g.Type), depth+1)) {
				return false
			}
		}
		return true
	case *dwarf.ArrayType:
		b, ok := b.(*dwarf.ArrayType)
		return ok && a.Count == b.Count && values.TypeName(a.Type) == values.TypeName(b.Type)
	}
	return false
}

// textOf reads a byte or rune slice or array as a string; isText is
// false for other element types.
func (e *evaluator) textOf(v *values.Value, what string) (s string, isText bool, err error) {
	et := strip(elemType(v.Type))
	var width int64
	switch et.(type) {
	case *dwarf.UintType:
		width = 1
	case *dwarf.IntType:
		width = 4
	}
	if et == nil || size(et) != width {
		return "", false, nil
	}
	if v.Len > maxConvert {
		return "", true, fmt.Errorf("%s: %w: %d elements are too many to convert", what, ErrUnsupported, v.Len)
	}
	b, err := e.elementBytes(v, width, what)
	if err != nil {
		return "", true, err
	}
	if width == 1 {
		return string(b), true, nil
	}
	var sb strings.Builder
	for i := 0; i+4 <= len(b); i += 4 {
		sb.WriteRune(rune(int32(binary.LittleEndian.Uint32(b[i:]))))
	}
	return sb.String(), true, nil
}

// elementBytes returns the raw bytes of the elements of a slice or array.
func (e *evaluator) elementBytes(v *values.Value, width int64, what string) ([]byte, error) {
	n := v.Len * width
	addr := v.Base
	if v.Kind == reflect.Array {
		addr = v.Addr
	}
	if addr == 0 || int64(len(v.Children)) == v.Len {
		b := make([]byte, 0, n)
		for i := int64(0); i < v.Len; i++ {
			c, err := e.element(v, i, what)
			if err != nil {
				return nil, err
			}
			b = append(b, encode(c.Kind, width, scalarOf(c))[:width]...)
		}
		return b, nil
	}
	b := make([]byte, n)
	if k, err := e.mem.ReadMemory(addr, b); err != nil || int64(k) != n {
		return nil, fmt.Errorf("%s: reading %d bytes at %#x: %v", what, n, addr, err)
	}
	return b, nil
}

// sliceOfString converts a string to []byte or []rune (or a slice type
// with such elements).
func (e *evaluator) sliceOfString(t dwarf.Type, v *values.Value, what string) (*values.Value, bool, error) {
	et := elemType(t)
	w := size(et)
	if w != 1 && w != 4 {
		return nil, false, nil
	}
	s, err := e.fullString(v, what)
	if err != nil {
		return nil, true, err
	}
	if int64(len(s)) > maxConvert {
		return nil, true, fmt.Errorf("%s: %w: a string of %d bytes is too long to convert", what, ErrUnsupported, len(s))
	}
	var elems []scalar
	if w == 1 {
		for i := 0; i < len(s); i++ {
			elems = append(elems, scalar{u: uint64(s[i]), i: int64(s[i])})
		}
	} else {
		for len(s) > 0 {
			r, n := utf8.DecodeRuneInString(s)
			elems = append(elems, scalar{i: int64(r), u: uint64(r)})
			s = s[n:]
		}
	}
	r, err := e.computedSlice(t, et, elems, what)
	return r, true, err
}

// computedSlice makes a slice value that lives only in the debugger.
func (e *evaluator) computedSlice(t, et dwarf.Type, elems []scalar, what string) (*values.Value, error) {
	k := e.kindOf(et)
	r := &values.Value{Type: t, TypeName: values.TypeName(t), Kind: reflect.Slice, Size: 24, Len: int64(len(elems)), Cap: int64(len(elems)), Base: computedBase}
	for _, x := range elems {
		c, err := e.fromBytes(et, encode(k, size(et), x), what)
		if err != nil {
			return nil, err
		}
		r.Children = append(r.Children, c)
	}
	return r, nil
}

// computedBase is the data pointer of a computed slice: not nil, and
// never read (its elements are all loaded).
const computedBase = 1
