package expr

import (
	"fmt"
	"reflect"

	"github.com/godbg/godbg/pkg/proc/values"
)

// Assign evaluates lhs to a variable in memory of a number, bool or
// pointer kind, evaluates rhs and writes it there with values.SetScalar,
// following Go's assignability: an untyped constant must be
// representable in the variable's type, a typed value must have the
// same type, nil goes into pointers. Strings, slices, maps and structs
// cannot be set (ErrNotAssignable); values not in memory (computed, or
// held in registers) are ErrNotAddressable.
func Assign(s Scope, lhs, rhs string) error {
	e := newEvaluator(s, lhs)
	v, err := e.run(func() (*values.Value, error) {
		x, err := e.parseEval()
		if err != nil {
			return nil, err
		}
		if x.v == nil {
			return nil, fmt.Errorf("cannot set %s: %w: it is a constant", lhs, ErrNotAddressable)
		}
		return x.v, nil
	})
	if err != nil {
		return err
	}
	switch {
	case v.Kind == reflect.String:
		return fmt.Errorf("cannot set %s: %w: strings are not writable (the new contents would need memory in the target)", lhs, ErrNotAssignable)
	case classOf(v.Kind) == cOther:
		return fmt.Errorf("cannot set %s: %w: values of type %s (only numbers, bools and pointers)", lhs, ErrNotAssignable, v.TypeName)
	case v.Addr == 0:
		return fmt.Errorf("cannot set %s: %w: it is not a variable in memory", lhs, ErrNotAddressable)
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
			return nil, fmt.Errorf("cannot set %s: %w: cannot use %s (type %s) as %s value", lhs, ErrTypeMismatch, rhs, x.v.TypeName, v.TypeName)
		}
		return x.v, nil
	})
	if err != nil {
		return err
	}
	if err := values.SetScalar(s.Memory(), v, goValue(nv)); err != nil {
		return fmt.Errorf("cannot set %s: %w", lhs, err)
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
