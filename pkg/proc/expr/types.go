package expr

import (
	"debug/dwarf"
	"encoding/binary"
	"math"
	"reflect"
	"sync"

	"github.com/godbg/godbg/pkg/proc/values"
)

// Computed values need DWARF types the program may not have (a result of
// type int in a program that never uses int, a pointer to a type nobody
// takes the address of). These are made here, once per type, so that
// the values package's per-type cache stays bounded.

func basic(name string, size int64, t func(dwarf.BasicType) dwarf.Type) dwarf.Type {
	return t(dwarf.BasicType{CommonType: dwarf.CommonType{ByteSize: size, Name: name}})
}

func intT(b dwarf.BasicType) dwarf.Type     { return &dwarf.IntType{BasicType: b} }
func uintT(b dwarf.BasicType) dwarf.Type    { return &dwarf.UintType{BasicType: b} }
func floatT(b dwarf.BasicType) dwarf.Type   { return &dwarf.FloatType{BasicType: b} }
func complexT(b dwarf.BasicType) dwarf.Type { return &dwarf.ComplexType{BasicType: b} }
func boolT(b dwarf.BasicType) dwarf.Type    { return &dwarf.BoolType{BasicType: b} }

var (
	typeInt    = basic("int", 8, intT)
	typeUint8  = basic("uint8", 1, uintT)
	typeInt32  = basic("int32", 4, intT)
	typeBool   = basic("bool", 1, boolT)
	typeString = &dwarf.StructType{
		CommonType: dwarf.CommonType{ByteSize: 16, Name: "string"},
		StructName: "string", Kind: "struct",
		Field: []*dwarf.StructField{
			{Name: "str", Type: &dwarf.PtrType{CommonType: dwarf.CommonType{ByteSize: 8}, Type: typeUint8}, ByteOffset: 0},
			{Name: "len", Type: typeInt, ByteOffset: 8},
		},
	}
	// basicTypes are the predeclared types by name.
	basicTypes = map[string]dwarf.Type{
		"int": typeInt, "int8": basic("int8", 1, intT), "int16": basic("int16", 2, intT),
		"int32": typeInt32, "rune": typeInt32, "int64": basic("int64", 8, intT),
		"uint": basic("uint", 8, uintT), "uint8": typeUint8, "byte": typeUint8,
		"uint16": basic("uint16", 2, uintT), "uint32": basic("uint32", 4, uintT),
		"uint64": basic("uint64", 8, uintT), "uintptr": basic("uintptr", 8, uintT),
		"float32": basic("float32", 4, floatT), "float64": basic("float64", 8, floatT),
		"complex64": basic("complex64", 8, complexT), "complex128": basic("complex128", 16, complexT),
		"bool": typeBool, "string": typeString,
	}
)

var (
	ptrTypes   sync.Map // dwarf.Type → *dwarf.PtrType
	sliceTypes sync.Map // dwarf.Type → *dwarf.StructType
)

// ptrTo returns a pointer type to t.
func ptrTo(t dwarf.Type) dwarf.Type {
	if p, ok := ptrTypes.Load(t); ok {
		return p.(dwarf.Type)
	}
	p, _ := ptrTypes.LoadOrStore(t, &dwarf.PtrType{CommonType: dwarf.CommonType{ByteSize: 8}, Type: t})
	return p.(dwarf.Type)
}

// sliceOf returns the Go slice type []elem, laid out as the runtime does.
func sliceOf(elem dwarf.Type) dwarf.Type {
	if s, ok := sliceTypes.Load(elem); ok {
		return s.(dwarf.Type)
	}
	name := "[]" + values.TypeName(elem)
	st := &dwarf.StructType{
		CommonType: dwarf.CommonType{ByteSize: 24, Name: name},
		StructName: name, Kind: "struct",
		Field: []*dwarf.StructField{
			{Name: "array", Type: ptrTo(elem), ByteOffset: 0},
			{Name: "len", Type: typeInt, ByteOffset: 8},
			{Name: "cap", Type: typeInt, ByteOffset: 16},
		},
	}
	s, _ := sliceTypes.LoadOrStore(elem, st)
	return s.(dwarf.Type)
}

// strip removes typedefs and qualifiers.
func strip(t dwarf.Type) dwarf.Type {
	for i := 0; i < 100 && t != nil; i++ {
		switch u := t.(type) {
		case *dwarf.TypedefType:
			t = u.Type
		case *dwarf.QualType:
			t = u.Type
		default:
			return t
		}
	}
	return t
}

// elemType returns the element type of an array or slice type.
func elemType(t dwarf.Type) dwarf.Type {
	switch u := strip(t).(type) {
	case *dwarf.ArrayType:
		return u.Type
	case *dwarf.StructType: // a slice: {array *T; len, cap int}
		if len(u.Field) == 3 && u.Field[0].Name == "array" {
			if p, ok := strip(u.Field[0].Type).(*dwarf.PtrType); ok {
				return p.Type
			}
		}
	case *dwarf.PtrType:
		return u.Type
	}
	return nil
}

// size returns a type's size, 0 when it is unknown or negative.
func size(t dwarf.Type) int64 {
	if t == nil {
		return 0
	}
	return max(t.Size(), 0)
}

// class groups the kinds that compute alike.
type class uint8

const (
	cOther class = iota
	cInt
	cUint
	cFloat
	cComplex
	cBool
	cString
	cPointer // pointers, unsafe.Pointer: compared by address
)

func classOf(k reflect.Kind) class {
	switch k {
	case reflect.Int, reflect.Int8, reflect.Int16, reflect.Int32, reflect.Int64:
		return cInt
	case reflect.Uint, reflect.Uint8, reflect.Uint16, reflect.Uint32, reflect.Uint64, reflect.Uintptr:
		return cUint
	case reflect.Float32, reflect.Float64:
		return cFloat
	case reflect.Complex64, reflect.Complex128:
		return cComplex
	case reflect.Bool:
		return cBool
	case reflect.String:
		return cString
	case reflect.Pointer, reflect.UnsafePointer:
		return cPointer
	}
	return cOther
}

// nillable reports whether values of kind k can be nil.
func nillable(k reflect.Kind) bool {
	switch k {
	case reflect.Pointer, reflect.UnsafePointer, reflect.Slice, reflect.Map, reflect.Chan, reflect.Func, reflect.Interface:
		return true
	}
	return false
}

// scalar is a number, bool or address in its widest form.
type scalar struct {
	i int64
	u uint64
	f float64
	c complex128
	b bool
}

func scalarOf(v *values.Value) scalar {
	switch classOf(v.Kind) {
	case cPointer:
		return scalar{u: v.Base}
	}
	return scalar{i: v.Int, u: v.Uint, f: v.Float, c: v.Complex, b: v.Bool}
}

// encode returns the little-endian bytes of x as a value of kind k and
// size n, at most 16 (integers wrap to the size, as Go's arithmetic
// does).
func encode(k reflect.Kind, n int64, x scalar) []byte {
	n = min(max(n, 0), 16)
	b := make([]byte, 16)
	switch classOf(k) {
	case cInt:
		binary.LittleEndian.PutUint64(b, uint64(x.i))
	case cUint, cPointer:
		binary.LittleEndian.PutUint64(b, x.u)
	case cFloat:
		if n == 4 {
			binary.LittleEndian.PutUint32(b, math.Float32bits(float32(x.f)))
		} else {
			binary.LittleEndian.PutUint64(b, math.Float64bits(x.f))
		}
	case cComplex:
		if n == 8 {
			binary.LittleEndian.PutUint32(b, math.Float32bits(float32(real(x.c))))
			binary.LittleEndian.PutUint32(b[4:], math.Float32bits(float32(imag(x.c))))
		} else {
			binary.LittleEndian.PutUint64(b, math.Float64bits(real(x.c)))
			binary.LittleEndian.PutUint64(b[8:], math.Float64bits(imag(x.c)))
		}
	case cBool:
		if x.b {
			b[0] = 1
		}
	}
	return b[:n]
}
