package eval

import (
	"fmt"
	"math"
	"math/big"
	"strconv"
)

// Kind is the kind of a Value.
type Kind uint8

const (
	Invalid Kind = iota
	Bool
	Int   // signed integer of Size bytes
	Uint  // unsigned integer of Size bytes
	Float // float of Size (4 or 8) bytes
	String
	Pointer // an address; compares with nil and pointers of its type
	Nil     // the untyped nil
)

var kindNames = [...]string{"invalid", "bool", "int", "uint", "float", "string", "pointer", "nil"}

func (k Kind) String() string {
	if int(k) < len(kindNames) {
		return kindNames[k]
	}
	return "kind?"
}

// Value is a Go basic value. Typed values carry their type's name (Type)
// and size; untyped constants have an empty Type.
type Value struct {
	Kind Kind
	Type string // "int", "uint8", "float64", "string", "*int", "main.Color", ...; "" untyped
	Size uint8  // bytes, for Int, Uint and Float
	bits uint64 // Bool (0/1), Int (sign-extended), Uint, Pointer
	f    float64
	s    string
	slen int64    // full length of a truncated string; -1 when s is complete
	big  *big.Int // untyped integer constants
}

// IntValue returns a signed integer of size bytes (1, 2, 4 or 8).
func IntValue(typ string, size int, v int64) Value {
	return Value{Kind: Int, Type: typ, Size: uint8(size), bits: uint64(v), slen: -1}.norm()
}

// UintValue returns an unsigned integer of size bytes.
func UintValue(typ string, size int, v uint64) Value {
	return Value{Kind: Uint, Type: typ, Size: uint8(size), bits: v, slen: -1}.norm()
}

// FloatValue returns a float of size 4 or 8.
func FloatValue(typ string, size int, f float64) Value {
	return Value{Kind: Float, Type: typ, Size: uint8(size), f: f, slen: -1}.norm()
}

// BoolValue returns a typed bool.
func BoolValue(typ string, b bool) Value {
	return Value{Kind: Bool, Type: typ, bits: b2u(b), slen: -1}
}

// StringValue returns a complete string.
func StringValue(typ, s string) Value { return Value{Kind: String, Type: typ, s: s, slen: -1} }

// TruncatedStringValue returns a string of which only prefix was read;
// fullLen is its real length. Comparisons that the prefix cannot decide
// fail with ErrTruncatedString.
func TruncatedStringValue(typ, prefix string, fullLen int64) Value {
	if int64(len(prefix)) >= fullLen {
		return StringValue(typ, prefix[:fullLen])
	}
	return Value{Kind: String, Type: typ, s: prefix, slen: fullLen}
}

// PointerValue returns a pointer holding addr.
func PointerValue(typ string, addr uint64) Value {
	return Value{Kind: Pointer, Type: typ, bits: addr, slen: -1}
}

// NilValue is the untyped nil.
func NilValue() Value { return Value{Kind: Nil, slen: -1} }

func untypedInt(b *big.Int) Value      { return Value{Kind: Int, big: b, slen: -1} }
func untypedFloat(f float64) Value     { return Value{Kind: Float, f: f, slen: -1} }
func untypedString(s string) Value     { return Value{Kind: String, s: s, slen: -1} }
func untypedBool(b bool) Value         { return Value{Kind: Bool, bits: b2u(b), slen: -1} }
func (v Value) Untyped() bool          { return v.Type == "" }
func (v Value) truncated() bool        { return v.slen >= 0 }
func (v Value) isInteger() bool        { return v.Kind == Int || v.Kind == Uint }
func (v Value) isNumeric() bool        { return v.isInteger() || v.Kind == Float }
func sameType(a, b Value) bool         { return a.Type == b.Type && a.Kind == b.Kind && a.Size == b.Size }
func (v Value) Bool() bool             { return v.bits != 0 }
func (v Value) Int() int64             { return int64(v.bits) }
func (v Value) Uint() uint64           { return v.bits }
func (v Value) Float() float64         { return v.f }
func (v Value) Addr() uint64           { return v.bits }
func (v Value) Str() (string, bool)    { return v.s, !v.truncated() }
func (v Value) typeName() string       { return typeName(v) }
func (v Value) withType(t Value) Value { v.Type, v.Size = t.Type, t.Size; return v }

func (v Value) stringLen() int64 {
	if v.truncated() {
		return v.slen
	}
	return int64(len(v.s))
}

func b2u(b bool) uint64 {
	if b {
		return 1
	}
	return 0
}

// norm wraps integers to their size and rounds float32s.
func (v Value) norm() Value {
	switch {
	case v.Untyped():
	case v.Kind == Int && v.Size < 8:
		sh := 64 - 8*uint(v.Size)
		v.bits = uint64(int64(v.bits<<sh) >> sh)
	case v.Kind == Uint && v.Size < 8:
		v.bits &= 1<<(8*uint(v.Size)) - 1
	case v.Kind == Float && v.Size == 4:
		v.f = float64(float32(v.f))
	}
	return v
}

func typeName(v Value) string {
	if !v.Untyped() {
		return v.Type
	}
	switch v.Kind {
	case Nil:
		return "untyped nil"
	case Int:
		return "untyped int"
	case Float:
		return "untyped float"
	case String:
		return "untyped string"
	case Bool:
		return "untyped bool"
	}
	return "untyped " + v.Kind.String()
}

// String formats the value as Go would print it.
func (v Value) String() string {
	switch v.Kind {
	case Bool:
		return strconv.FormatBool(v.Bool())
	case Int:
		if v.big != nil {
			return v.big.String()
		}
		return strconv.FormatInt(v.Int(), 10)
	case Uint:
		return strconv.FormatUint(v.bits, 10)
	case Float:
		return strconv.FormatFloat(v.f, 'g', -1, 64)
	case String:
		if v.truncated() {
			return strconv.Quote(v.s) + fmt.Sprintf("...(%d bytes)", v.slen)
		}
		return strconv.Quote(v.s)
	case Pointer:
		if v.bits == 0 {
			return "nil"
		}
		return fmt.Sprintf("(%s)(%#x)", v.Type, v.bits)
	case Nil:
		return "nil"
	}
	return "invalid"
}

// floatOf returns a numeric value as float64.
func floatOf(v Value) float64 {
	switch {
	case v.big != nil:
		f, _ := new(big.Float).SetInt(v.big).Float64()
		return f
	case v.Kind == Int:
		return float64(v.Int())
	case v.Kind == Uint:
		return float64(v.bits)
	}
	return v.f
}

// bigOf returns an integer-valued constant as a big.Int, or nil.
func bigOf(v Value) *big.Int {
	switch {
	case v.big != nil:
		return v.big
	case v.Kind == Float:
		if v.f != math.Trunc(v.f) || math.IsInf(v.f, 0) {
			return nil
		}
		b, _ := big.NewFloat(v.f).Int(nil)
		return b
	}
	return nil
}
