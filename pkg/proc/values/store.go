package values

import (
	"encoding/binary"
	"fmt"
	"math"
	"reflect"
)

// Writer writes the memory of a stopped process (proc.Process has this
// method).
type Writer interface {
	WriteMemory(addr uint64, data []byte) (int, error)
}

// SetScalar writes x into the variable v was loaded from and updates v.
// x is a bool, an int64, a uint64, a float64 or a complex128 for values
// of those kinds (integers convert between signed and unsigned when the
// number fits), and a uint64 address for pointers, unsafe.Pointer and
// uintptr. Numbers that do not fit v's size are ErrOverflow, other
// combinations ErrNotAssignable; a value with no address (from
// registers) is ErrNotAddressable.
func SetScalar(w Writer, v *Value, x any) error {
	if v.Addr == 0 {
		return fmt.Errorf("%s: %w", v.Name, ErrNotAddressable)
	}
	b, err := encodeScalar(v, x)
	if err != nil {
		return fmt.Errorf("%s (%s): %w", v.Name, v.TypeName, err)
	}
	n, err := w.WriteMemory(v.Addr, b)
	if err == nil && n < len(b) {
		err = fmt.Errorf("short write of %d bytes at %#x", len(b), v.Addr)
	}
	if err != nil {
		return err
	}
	return decodeInto(v, b)
}

// decodeInto refreshes v's scalar fields from the bytes just written.
func decodeInto(v *Value, b []byte) error {
	c := loader{}
	nv := *v
	nv.src, nv.Err, nv.Children = loc{data: b}, nil, nil
	c.loadScalarOrPtr(&nv)
	nv.src = v.src
	*v = nv
	return v.Err
}

func (c *loader) loadScalarOrPtr(v *Value) {
	if v.Kind == reflect.Pointer || v.Kind == reflect.UnsafePointer {
		v.Base = word(v.src.data)
		return
	}
	c.loadScalar(v)
}

func encodeScalar(v *Value, x any) ([]byte, error) {
	size := int(v.Size)
	b := make([]byte, 8, 16)
	switch v.Kind {
	case reflect.Bool:
		bv, ok := x.(bool)
		if !ok {
			return nil, fmt.Errorf("%w %T", ErrNotAssignable, x)
		}
		if bv {
			b[0] = 1
		}
		return b[:1], nil
	case reflect.Int, reflect.Int8, reflect.Int16, reflect.Int32, reflect.Int64:
		i, err := asInt(x, size)
		binary.LittleEndian.PutUint64(b, uint64(i))
		return b[:size], err
	case reflect.Uint, reflect.Uint8, reflect.Uint16, reflect.Uint32, reflect.Uint64, reflect.Uintptr,
		reflect.Pointer, reflect.UnsafePointer:
		u, err := asUint(x, size)
		binary.LittleEndian.PutUint64(b, u)
		return b[:size], err
	case reflect.Float32, reflect.Float64:
		f, err := asFloat(x)
		if size == 4 {
			binary.LittleEndian.PutUint32(b, math.Float32bits(float32(f)))
		} else {
			binary.LittleEndian.PutUint64(b, math.Float64bits(f))
		}
		return b[:size], err
	case reflect.Complex64, reflect.Complex128:
		c, ok := x.(complex128)
		if !ok {
			f, err := asFloat(x)
			if err != nil {
				return nil, err
			}
			c = complex(f, 0)
		}
		b = b[:16]
		if size == 8 {
			binary.LittleEndian.PutUint32(b, math.Float32bits(float32(real(c))))
			binary.LittleEndian.PutUint32(b[4:], math.Float32bits(float32(imag(c))))
		} else {
			binary.LittleEndian.PutUint64(b, math.Float64bits(real(c)))
			binary.LittleEndian.PutUint64(b[8:], math.Float64bits(imag(c)))
		}
		return b[:size], nil
	}
	return nil, fmt.Errorf("%w: %s values", ErrNotAssignable, v.Kind)
}

func asInt(x any, size int) (int64, error) {
	var i int64
	switch n := x.(type) {
	case int64:
		i = n
	case int:
		i = int64(n)
	case uint64:
		if n > math.MaxInt64 {
			return 0, ErrOverflow
		}
		i = int64(n)
	default:
		return 0, fmt.Errorf("%w %T", ErrNotAssignable, x)
	}
	if sh := 64 - 8*uint(size); i<<sh>>sh != i {
		return 0, fmt.Errorf("%w: %d", ErrOverflow, i)
	}
	return i, nil
}

func asUint(x any, size int) (uint64, error) {
	var u uint64
	switch n := x.(type) {
	case uint64:
		u = n
	case int64, int:
		i, _ := asInt(n, 8)
		if i < 0 {
			return 0, fmt.Errorf("%w: %d", ErrOverflow, i)
		}
		u = uint64(i)
	default:
		return 0, fmt.Errorf("%w %T", ErrNotAssignable, x)
	}
	if size < 8 && u>>(8*uint(size)) != 0 {
		return 0, fmt.Errorf("%w: %d", ErrOverflow, u)
	}
	return u, nil
}

func asFloat(x any) (float64, error) {
	switch n := x.(type) {
	case float64:
		return n, nil
	case int64:
		return float64(n), nil
	case int:
		return float64(n), nil
	case uint64:
		return float64(n), nil
	}
	return 0, fmt.Errorf("%w %T", ErrNotAssignable, x)
}
