package values

import (
	"debug/dwarf"
	"reflect"
)

// Value is one Go value read from a stopped process, with as much of its
// contents as the LoadConfig allowed. Values are plain data: they hold no
// reference to the process and stay valid after it resumes, but then no
// longer describe it.
//
// What the fields mean depends on Kind:
//
//	Bool                      Bool
//	Int, Int8 … Int64         Int
//	Uint … Uint64, Uintptr    Uint
//	Float32, Float64          Float
//	Complex64, Complex128     Complex
//	String                    Str (the loaded prefix), Len, Base (data pointer)
//	Array                     Len, Children (elements)
//	Slice                     Len, Cap, Base (array pointer), Children (elements)
//	Struct                    Len (number of fields), Children (fields, Name set)
//	Pointer                   Base (target; 0 for nil), Children[0] (the target)
//	UnsafePointer             Base
//	Func                      Base (code address; 0 for nil), Str (function name)
//	Chan                      Len, Cap, Base (the runtime.hchan), Closed, Children (buffered items, oldest first)
//	Map                       Len, Base (the map header), Children (key, value, key, value, …)
//	Interface                 Base (runtime type; 0 for nil), Children[0] (the dynamic value)
//
// Int kinds reflect the size of the representation: every 8-byte signed
// integer type (int, int64, a named type) is reflect.Int, every 8-byte
// unsigned one reflect.Uint except uintptr.
//
// Fewer Children than Len (for maps, Len pairs) means the load stopped at
// a limit; Truncated says how many more there are. Unloaded means the
// contents were not read at all because of MaxVariableRecurse or
// FollowPointers; Loader.Expand reads them. Err is set when the value
// could not be read; the other fields are then meaningless.
type Value struct {
	Name     string     // variable, field or element name ("" for elements)
	Type     dwarf.Type // the DWARF type, as declared
	TypeName string     // its Go spelling, package paths in full
	Kind     reflect.Kind
	Addr     uint64 // run-time address; 0 when the value is not in memory (registers)
	Size     int64  // bytes of the value itself (not what it points to)

	Bool    bool
	Int     int64
	Uint    uint64
	Float   float64
	Complex complex128
	Str     string

	Len, Cap int64
	Base     uint64
	Closed   bool // Chan: closed
	Embedded bool // a struct field that is embedded
	Const    bool // a package constant (not named by its type's constants when printed)

	Children []*Value
	Unloaded bool
	Err      error

	src loc       // where the value was read from, for Expand
	ti  *typeInfo // decoded type

	notFollowed bool // a pointer left unfollowed by FollowPointers=false
}

// Truncated returns how many bytes of a string, elements of an array,
// slice or channel buffer, entries of a map or fields of a struct were
// not loaded because of a LoadConfig limit.
func (v *Value) Truncated() int64 {
	switch v.Kind {
	case reflect.String:
		return v.Len - int64(len(v.Str))
	case reflect.Map:
		return max(v.Len-int64(len(v.Children)/2), 0)
	case reflect.Array, reflect.Slice, reflect.Chan, reflect.Struct:
		return max(v.Len-int64(len(v.Children)), 0)
	}
	return 0
}

// NumEntries returns the number of loaded entries of a map.
func (v *Value) NumEntries() int { return len(v.Children) / 2 }

// Entry returns the i-th loaded key and value of a map.
func (v *Value) Entry(i int) (key, val *Value) { return v.Children[2*i], v.Children[2*i+1] }

// IsNil reports whether a pointer, slice, map, channel, function or
// interface is nil.
func (v *Value) IsNil() bool {
	switch v.Kind {
	case reflect.Pointer, reflect.UnsafePointer, reflect.Map, reflect.Chan, reflect.Func, reflect.Interface:
		return v.Err == nil && v.Base == 0
	case reflect.Slice:
		return v.Err == nil && v.Base == 0 && v.Len == 0
	}
	return false
}

// Field returns the loaded struct field with the given name, or nil.
func (v *Value) Field(name string) *Value {
	if v.Kind != reflect.Struct {
		return nil
	}
	for _, c := range v.Children {
		if c.Name == name {
			return c
		}
	}
	return nil
}

// Elem returns the target of a pointer or the dynamic value of an
// interface, or nil if it is nil or was not loaded.
func (v *Value) Elem() *Value {
	if (v.Kind == reflect.Pointer || v.Kind == reflect.Interface) && len(v.Children) == 1 {
		return v.Children[0]
	}
	return nil
}

// ChanParts returns, for a channel, the type of the runtime.hchan its
// Base points to and the element type; ok is false for other values.
func (v *Value) ChanParts() (hchan, elem dwarf.Type, ok bool) {
	if v.Kind != reflect.Chan || v.ti == nil || v.ti.chanL == nil {
		return nil, nil, false
	}
	return v.ti.elem, v.ti.chanL.elem, true
}
