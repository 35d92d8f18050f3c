package expr

import (
	"encoding/binary"
	"fmt"
	"go/ast"
	"go/token"
	"reflect"

	"github.com/godbg/godbg/pkg/proc/values"
)

// mapProbe loads every entry of a map for a lookup: keys whole (up to a
// limit), composite keys and elements one level deep.
var mapProbe = values.LoadConfig{MaxArrayValues: -1, MaxStringLen: 4096, MaxStructFields: -1, MaxVariableRecurse: 1}

// operandValue returns x as a value; a constant string becomes one.
func (e *evaluator) operandValue(x operand, what string) (*values.Value, error) {
	if x.v == nil && !x.isNil() && x.ctype == "string" {
		return e.materialize(x, what)
	}
	if x.v == nil {
		return nil, fmt.Errorf("%s: %w: cannot index %s", what, ErrTypeMismatch, operandType(x))
	}
	if x.v.Kind == reflect.Pointer && len(x.v.Children) == 1 && x.v.Children[0].Kind == reflect.Array {
		return e.derefValue(x.v, what) // p[i] and p[a:b] for p *[N]T
	}
	return x.v, nil
}

func (e *evaluator) index(n *ast.IndexExpr) (operand, error) {
	what := e.text(n)
	x, err := e.eval(n.X)
	if err != nil {
		return operand{}, err
	}
	v, err := e.operandValue(x, what)
	if err != nil {
		return operand{}, err
	}
	k, err := e.eval(n.Index)
	if err != nil {
		return operand{}, err
	}
	if v.Kind == reflect.Map {
		r, err := e.mapIndex(v, k, what)
		return typed(r), err
	}
	i, err := e.intOperand(k, what)
	if err != nil {
		return operand{}, err
	}
	if e.isCPointer(v) {
		r, err := e.cElement(v, i, what)
		return typed(r), err
	}
	switch v.Kind {
	case reflect.Array, reflect.Slice, reflect.String:
	default:
		return operand{}, fmt.Errorf("%s: %w: cannot index %s", what, ErrTypeMismatch, v.TypeName)
	}
	if i < 0 || i >= v.Len {
		return operand{}, fmt.Errorf("%s: %w [%d] with length %d", what, ErrOutOfRange, i, v.Len)
	}
	if v.Kind == reflect.String {
		b, err := e.byteAt(v, i, what)
		if err != nil {
			return operand{}, err
		}
		r, err := e.fromBytes(typeByte, []byte{b}, what)
		return typed(r), err
	}
	r, err := e.element(v, i, what)
	return typed(r), err
}

// element returns element i (in range) of an array or slice.
func (e *evaluator) element(v *values.Value, i int64, what string) (*values.Value, error) {
	if i < int64(len(v.Children)) && !v.Children[i].Unloaded {
		return loaded(v.Children[i], what)
	}
	et := elemType(v.Type)
	if et == nil {
		return nil, fmt.Errorf("%s: %w: no element type for %s", what, ErrUnsupported, v.TypeName)
	}
	stride := uint64(size(et))
	switch {
	case v.Kind == reflect.Slice:
		return e.load(et, v.Base+uint64(i)*stride, what)
	case v.Addr != 0:
		return e.load(et, v.Addr+uint64(i)*stride, what)
	}
	// An array not in memory (registers, a computed value): decode it all.
	all := *v
	e.l.Expand(e.mem, &all, values.LoadConfig{MaxArrayValues: -1, MaxStringLen: probe.MaxStringLen, MaxStructFields: -1})
	if i >= int64(len(all.Children)) {
		return nil, fmt.Errorf("%s: %w: element %d could not be read", what, ErrUnsupported, i)
	}
	return loaded(all.Children[i], what)
}

func (e *evaluator) byteAt(v *values.Value, i int64, what string) (byte, error) {
	if i < int64(len(v.Str)) {
		return v.Str[i], nil
	}
	var b [1]byte
	if n, err := e.mem.ReadMemory(v.Base+uint64(i), b[:]); err != nil || n != 1 {
		return 0, fmt.Errorf("%s: reading byte %d of the string at %#x: %v", what, i, v.Base, err)
	}
	return b[0], nil
}

// mapIndex looks a key up in a map, comparing it with every key.
func (e *evaluator) mapIndex(m *values.Value, key operand, what string) (*values.Value, error) {
	if m.IsNil() || m.Len == 0 {
		return nil, fmt.Errorf("%s: %w (the map is empty)", what, ErrNoKey)
	}
	all := *m
	e.l.Expand(e.mem, &all, mapProbe)
	if all.Err != nil {
		return nil, fmt.Errorf("%s: %w", what, all.Err)
	}
	var want *values.Value // the key as a value of the map's key type
	for i := 0; i < all.NumEntries(); i++ {
		k, elem := all.Entry(i)
		if k.Err != nil {
			continue
		}
		if want == nil {
			var err error
			if want, err = e.keyValue(k, key, what); err != nil {
				return nil, err
			}
		}
		eq, err := e.keysEqual(k, want, what)
		if err != nil {
			return nil, err
		}
		if eq {
			return loaded(elem, what)
		}
	}
	return nil, fmt.Errorf("%s: %w", what, ErrNoKey)
}

// keyValue converts a key operand for comparison with the map's key k.
func (e *evaluator) keyValue(k *values.Value, key operand, what string) (*values.Value, error) {
	if k.Kind == reflect.Interface { // map[any]T: compare with the dynamic value
		v, err := e.materialize(key, what)
		if err != nil {
			return nil, err
		}
		return v, nil
	}
	if key.v == nil {
		return e.constValue(key, k.Type, what)
	}
	if key.v.TypeName != k.TypeName {
		return nil, fmt.Errorf("%s: %w: key of type %s for map key %s", what, ErrTypeMismatch, key.v.TypeName, k.TypeName)
	}
	return key.v, nil
}

// keysEqual compares a map key with the wanted key (of its type, or for
// interface keys, of the dynamic type).
func (e *evaluator) keysEqual(k, want *values.Value, what string) (bool, error) {
	if k.Kind == reflect.Interface {
		k = k.Elem()
		if k == nil || k.TypeName != want.TypeName {
			return false, nil
		}
	}
	if classOf(k.Kind) == cOther {
		return e.equal(k, want, what)
	}
	r, err := e.compare(token.EQL, k, want, what)
	if err != nil {
		return false, err
	}
	b, _ := boolOf(r, what)
	return b, nil
}

func (e *evaluator) slice(n *ast.SliceExpr) (operand, error) {
	what := e.text(n)
	x, err := e.eval(n.X)
	if err != nil {
		return operand{}, err
	}
	v, err := e.operandValue(x, what)
	if err != nil {
		return operand{}, err
	}
	var length, capacity int64
	switch {
	case e.isCPointer(v):
		return e.cSlice(n, v, what)
	}
	switch v.Kind {
	case reflect.String:
		if n.Slice3 {
			return operand{}, fmt.Errorf("%s: %w: 3-index slice of string", what, ErrTypeMismatch)
		}
		length, capacity = v.Len, v.Len
	case reflect.Slice:
		length, capacity = v.Len, v.Cap
	case reflect.Array:
		if v.Addr == 0 {
			return operand{}, fmt.Errorf("%s: %w: slice of an array not in memory", what, ErrNotAddressable)
		}
		length, capacity = v.Len, v.Len
	default:
		return operand{}, fmt.Errorf("%s: %w: cannot slice %s", what, ErrTypeMismatch, v.TypeName)
	}
	lo, hi, mx, err := e.bounds(n, length, capacity, what)
	if err != nil {
		return operand{}, err
	}
	if v.Kind == reflect.String {
		return e.sliceString(v, lo, hi, what)
	}
	et := elemType(v.Type)
	if et == nil {
		return operand{}, fmt.Errorf("%s: %w: no element type for %s", what, ErrUnsupported, v.TypeName)
	}
	base, t := v.Base, v.Type
	if v.Kind == reflect.Array {
		base, t = v.Addr, sliceOf(et)
	}
	hdr := make([]byte, 24)
	if base != 0 {
		binary.LittleEndian.PutUint64(hdr, base+uint64(lo)*uint64(size(et)))
	}
	binary.LittleEndian.PutUint64(hdr[8:], uint64(hi-lo))
	binary.LittleEndian.PutUint64(hdr[16:], uint64(mx-lo))
	r, err := e.fromBytes(t, hdr, what)
	return typed(r), err
}

// bounds evaluates the indexes of a slice expression and checks them:
// 0 <= lo <= hi <= max <= capacity.
func (e *evaluator) bounds(n *ast.SliceExpr, length, capacity int64, what string) (lo, hi, mx int64, err error) {
	hi, mx = length, capacity
	for _, b := range []struct {
		x   ast.Expr
		dst *int64
	}{{n.Low, &lo}, {n.High, &hi}, {n.Max, &mx}} {
		if b.x == nil {
			continue
		}
		x, err := e.eval(b.x)
		if err != nil {
			return 0, 0, 0, err
		}
		if *b.dst, err = e.intOperand(x, what); err != nil {
			return 0, 0, 0, err
		}
	}
	if n.Slice3 && n.Max != nil {
		if mx < 0 || mx > capacity {
			return 0, 0, 0, fmt.Errorf("%s: %w: slice bounds [::%d] with capacity %d", what, ErrOutOfRange, mx, capacity)
		}
	} else {
		mx = capacity
	}
	if hi < 0 || hi > mx {
		return 0, 0, 0, fmt.Errorf("%s: %w: slice bounds [:%d] with capacity %d", what, ErrOutOfRange, hi, mx)
	}
	if lo < 0 || lo > hi {
		return 0, 0, 0, fmt.Errorf("%s: %w: slice bounds [%d:%d]", what, ErrOutOfRange, lo, hi)
	}
	return lo, hi, mx, nil
}

// sliceString returns s[lo:hi]: computed when the whole string is known,
// else a header into the target's bytes.
func (e *evaluator) sliceString(v *values.Value, lo, hi int64, what string) (operand, error) {
	if v.Truncated() <= 0 {
		return typed(stringValue(v.Type, v.Str[lo:hi])), nil
	}
	hdr := make([]byte, 16)
	binary.LittleEndian.PutUint64(hdr, v.Base+uint64(lo))
	binary.LittleEndian.PutUint64(hdr[8:], uint64(hi-lo))
	r, err := e.fromBytes(v.Type, hdr, what)
	return typed(r), err
}
