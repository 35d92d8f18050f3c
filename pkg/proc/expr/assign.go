package expr

import (
	"encoding/binary"
	"fmt"
	"go/constant"
	"reflect"

	"github.com/godbg/godbg/pkg/proc/values"
)

// Assign evaluates lhs to a variable in memory, evaluates rhs and writes
// it there, following Go's assignability: an untyped constant must be
// representable in the variable's type, a typed value must have the
// same type, nil goes into pointers, slices, maps, channels, funcs and
// interfaces. Numbers, bools and pointers are written with
// values.SetScalar; other values by copying the bytes of the right side
// (a variable in memory, a slice expression's header, nil, the empty
// string). A new string's bytes, and a non-pointer value boxed in an
// interface, go to new memory of the target when the Scope is an
// Allocator (ErrNotAssignable otherwise); values not in memory
// (computed, or held in registers) are ErrNotAddressable.
func Assign(s Scope, lhs, rhs string) error {
	e := newEvaluator(s, lhs)
	v, err := e.run(func() (*values.Value, error) {
		x, err := e.parseEval()
		if err != nil {
			return nil, err
		}
		if x.v == nil {
			return nil, fmt.Errorf("cannot set %s: %w: it is a constant", clip(lhs), ErrNotAddressable)
		}
		return x.v, nil
	})
	if err != nil {
		return err
	}
	switch {
	case v.Addr == 0:
		return fmt.Errorf("cannot set %s: %w: it is not a variable in memory", clip(lhs), ErrNotAddressable)
	case v.Kind == reflect.String || classOf(v.Kind) == cOther:
		return assignRaw(s, v, lhs, rhs)
	}
	r := newEvaluator(s, rhs)
	nv, err := r.run(func() (*values.Value, error) {
		x, err := r.parseEval()
		if err != nil {
			return nil, err
		}
		if x.v == nil {
			return r.constValue(x, v.Type, rhs)
		}
		if x.v.TypeName != v.TypeName {
			return nil, fmt.Errorf("cannot set %s: %w: cannot use %s (type %s) as %s value", clip(lhs), ErrTypeMismatch, clip(rhs), x.v.TypeName, v.TypeName)
		}
		return x.v, nil
	})
	if err != nil {
		return err
	}
	if err := values.SetScalar(s.Memory(), v, goValue(nv)); err != nil {
		return fmt.Errorf("cannot set %s: %w", clip(lhs), err)
	}
	return nil
}

// goValue returns a scalar value as SetScalar takes it.
func goValue(v *values.Value) any {
	switch classOf(v.Kind) {
	case cBool:
		return v.Bool
	case cInt:
		return v.Int
	case cUint:
		return v.Uint
	case cFloat:
		return v.Float
	case cComplex:
		return v.Complex
	}
	return v.Base
}

// assignRaw writes rhs into v, a variable in memory of a kind SetScalar
// does not write, by copying bytes.
func assignRaw(s Scope, v *values.Value, lhs, rhs string) error {
	r := newEvaluator(s, rhs)
	var data []byte
	_, err := r.run(func() (*values.Value, error) {
		x, err := r.parseEval()
		if err != nil {
			return nil, err
		}
		data, err = r.rawOf(x, v, rhs)
		return nil, err
	})
	if err != nil {
		return fmt.Errorf("cannot set %s: %w", clip(lhs), err)
	}
	if _, err := s.Memory().WriteMemory(v.Addr, data); err != nil {
		return fmt.Errorf("cannot set %s: writing %d bytes at %#x: %w", clip(lhs), len(data), v.Addr, err)
	}
	return nil
}

// rawOf returns the bytes of x as a value of v's type.
func (e *evaluator) rawOf(x operand, v *values.Value, rhs string) ([]byte, error) {
	n := v.Size
	switch {
	case x.isNil():
		if !nillable(v.Kind) {
			return nil, fmt.Errorf("%w: cannot use nil as %s value", ErrTypeMismatch, v.TypeName)
		}
		return make([]byte, n), nil
	case x.v == nil && v.Kind == reflect.String && x.ctype == "string" && constant.StringVal(x.c) == "":
		return make([]byte, n), nil
	case x.v == nil && v.Kind == reflect.String && x.ctype == "string":
		return e.newString(constant.StringVal(x.c), rhs)
	case x.v == nil && v.Kind == reflect.Interface && x.ctype != "nil":
		w, err := e.constForIface(x, rhs)
		if err != nil {
			return nil, err
		}
		return e.boxed(w, v, rhs)
	case x.v == nil:
		return nil, fmt.Errorf("%w: cannot use %s (untyped %s constant) as %s value", ErrTypeMismatch, clip(rhs), x.ctype, v.TypeName)
	}
	w := x.v
	if v.Kind == reflect.Interface && w.Kind != reflect.Interface {
		return e.boxed(w, v, rhs)
	}
	if w.TypeName != v.TypeName && !(sameBasic(w.TypeName, v.TypeName)) {
		return nil, fmt.Errorf("%w: cannot use %s (type %s) as %s value", ErrTypeMismatch, clip(rhs), w.TypeName, v.TypeName)
	}
	if w.Addr != 0 {
		b := make([]byte, n)
		if k, err := e.mem.ReadMemory(w.Addr, b); err != nil || int64(k) != n {
			return nil, fmt.Errorf("reading %s at %#x: %v", clip(rhs), w.Addr, err)
		}
		return b, nil
	}
	// Computed values of header kinds.
	b := make([]byte, 24)
	switch w.Kind {
	case reflect.Slice:
		if w.Base == computedBase {
			break
		}
		binary.LittleEndian.PutUint64(b, w.Base)
		binary.LittleEndian.PutUint64(b[8:], uint64(w.Len))
		binary.LittleEndian.PutUint64(b[16:], uint64(w.Cap))
		return b[:n], nil
	case reflect.String:
		if w.Base == 0 && w.Len > 0 {
			str, err := e.stringBytes(w, rhs)
			if err != nil {
				return nil, err
			}
			return e.newString(str, rhs)
		}
		binary.LittleEndian.PutUint64(b, w.Base)
		binary.LittleEndian.PutUint64(b[8:], uint64(w.Len))
		return b[:n], nil
	case reflect.Map, reflect.Chan:
		binary.LittleEndian.PutUint64(b, w.Base)
		return b[:n], nil
	}
	return nil, fmt.Errorf("%w: %s is not in the target's memory", ErrNotAssignable, clip(rhs))
}

// boxed returns the bytes of an empty interface holding w. A
// pointer-shaped w is its own data word; any other value is copied into
// new memory of the target (boxedCopy).
func (e *evaluator) boxed(w, iface *values.Value, rhs string) ([]byte, error) {
	if iface.TypeName != "interface {}" && iface.TypeName != "any" {
		return nil, fmt.Errorf("%w: cannot use %s (type %s) as %s value: only empty interfaces take values here", ErrNotAssignable, rhs, w.TypeName, iface.TypeName)
	}
	rt, err := e.l.RuntimeTypeAddr(w.Type)
	if err != nil {
		return nil, fmt.Errorf("%w: %v", ErrNotAssignable, err)
	}
	data := w.Base
	switch w.Kind {
	case reflect.Pointer, reflect.UnsafePointer, reflect.Map, reflect.Chan:
	default:
		if data, err = e.boxedCopy(w, rhs); err != nil {
			return nil, err
		}
	}
	b := make([]byte, 16)
	binary.LittleEndian.PutUint64(b, rt)
	binary.LittleEndian.PutUint64(b[8:], data)
	return b, nil
}
