package expr

import (
	"debug/dwarf"
	"encoding/binary"
	"fmt"
	"go/constant"
	"reflect"

	"github.com/godbg/godbg/pkg/proc/values"
)

// Allocator is a Scope that can hand Assign memory in the target: the
// bytes of a new string, or the value an interface is made to hold.
// The memory is outside the Go heap (the live backend maps it with an
// injected mmap): the garbage collector neither frees nor moves it, so
// it stays valid as long as the process lives. A Scope without it makes
// such assignments ErrNotAssignable.
type Allocator interface {
	AllocData(n int) (uint64, error)
}

// maxAlloc bounds one allocation (the live backend's arena block).
const maxAlloc = 64 << 10

// store copies b into new memory of the target and returns its address.
func (e *evaluator) store(b []byte, rhs string) (uint64, error) {
	a, ok := e.s.(Allocator)
	if !ok {
		return 0, fmt.Errorf("%w: %s would need new memory in the target, which this target cannot allocate", ErrNotAssignable, clip(rhs))
	}
	if len(b) > maxAlloc {
		return 0, fmt.Errorf("%w: %s needs %d bytes; set allocates at most %d", ErrNotAssignable, clip(rhs), len(b), maxAlloc)
	}
	addr, err := a.AllocData(len(b))
	if err != nil {
		return 0, fmt.Errorf("%w: allocating %d bytes for %s: %v", ErrNotAssignable, len(b), clip(rhs), err)
	}
	if _, err := e.mem.WriteMemory(addr, b); err != nil {
		return 0, fmt.Errorf("writing %d bytes for %s at %#x: %w", len(b), clip(rhs), addr, err)
	}
	return addr, nil
}

// newString returns a string header whose data is str copied into new
// memory of the target.
func (e *evaluator) newString(str, rhs string) ([]byte, error) {
	h := make([]byte, 16)
	if str == "" {
		return h, nil
	}
	addr, err := e.store([]byte(str), rhs)
	if err != nil {
		return nil, err
	}
	binary.LittleEndian.PutUint64(h, addr)
	binary.LittleEndian.PutUint64(h[8:], uint64(len(str)))
	return h, nil
}

// stringBytes returns the contents of the string value w, read whole.
func (e *evaluator) stringBytes(w *values.Value, rhs string) (string, error) {
	if int64(len(w.Str)) == w.Len {
		return w.Str, nil
	}
	if w.Base == 0 || w.Len < 0 || w.Len > maxAlloc {
		return "", fmt.Errorf("%w: %s (%d bytes) cannot be copied; set allocates at most %d", ErrNotAssignable, clip(rhs), w.Len, maxAlloc)
	}
	b := make([]byte, w.Len)
	if _, err := e.mem.ReadMemory(w.Base, b); err != nil {
		return "", fmt.Errorf("reading %s at %#x: %w", clip(rhs), w.Base, err)
	}
	return string(b), nil
}

// boxedCopy returns the bytes of an empty interface holding a copy of
// w, a value that is not pointer-shaped: the copy is made in new memory
// of the target. A string's bytes are copied too. Values holding other
// pointers are refused: the garbage collector does not scan the new
// memory, so what they point to could be freed under them.
func (e *evaluator) boxedCopy(w *values.Value, rhs string) (uint64, error) {
	var data []byte
	switch {
	case w.Kind == reflect.String:
		str, err := e.stringBytes(w, rhs)
		if err != nil {
			return 0, err
		}
		if data, err = e.newString(str, rhs); err != nil {
			return 0, err
		}
	case hasPointers(w.Type):
		return 0, fmt.Errorf("%w: %s (type %s) holds pointers; boxing a copy outside the Go heap would hide them from the garbage collector; assign a pointer to it instead", ErrNotAssignable, clip(rhs), w.TypeName)
	case w.Addr != 0:
		data = make([]byte, w.Size)
		if _, err := e.mem.ReadMemory(w.Addr, data); err != nil {
			return 0, fmt.Errorf("reading %s at %#x: %w", clip(rhs), w.Addr, err)
		}
	case classOf(w.Kind) != cOther:
		data = encode(w.Kind, w.Size, scalarOf(w))
	default:
		return 0, fmt.Errorf("%w: %s is not in the target's memory", ErrNotAssignable, clip(rhs))
	}
	if len(data) == 0 {
		data = []byte{0} // a zero-size value still needs a distinct address
	}
	return e.store(data, rhs)
}

// constForIface returns the untyped constant x as a value of its
// default type (int, int32 for runes, float64, complex128, string,
// bool), for boxing in an interface.
func (e *evaluator) constForIface(x operand, rhs string) (*values.Value, error) {
	name := x.ctype
	switch {
	case name == "rune":
		name = "int32"
	case name == "" && x.c != nil && x.c.Kind() == constant.Bool:
		name = "bool"
	}
	t, err := e.s.LookupType(name)
	if err != nil {
		return nil, fmt.Errorf("%w: cannot box %s: the program has no type %s: %v", ErrNotAssignable, clip(rhs), name, err)
	}
	return e.constValue(x, t, rhs)
}

// hasPointers reports whether a value of type t holds any pointer.
func hasPointers(t dwarf.Type) bool {
	return pointerful(t, 0)
}

func pointerful(t dwarf.Type, depth int) bool {
	if depth > 32 {
		return true
	}
	switch t := t.(type) {
	case *dwarf.TypedefType:
		return pointerful(t.Type, depth+1)
	case *dwarf.QualType:
		return pointerful(t.Type, depth+1)
	case *dwarf.StructType:
		for _, f := range t.Field {
			if pointerful(f.Type, depth+1) {
				return true
			}
		}
		return false
	case *dwarf.ArrayType:
		return t.Count > 0 && pointerful(t.Type, depth+1)
	case *dwarf.IntType, *dwarf.UintType, *dwarf.FloatType, *dwarf.ComplexType, *dwarf.BoolType, *dwarf.CharType, *dwarf.UcharType:
		return false
	}
	return true
}
