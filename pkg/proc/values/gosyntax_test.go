package values

import (
	"cmp"
	"fmt"
	"reflect"
	"slices"
	"strconv"
	"strings"
)

// goSyntax renders a loaded Value the way fmt's %#v renders the Go value,
// as a test oracle: depth 0 is the argument itself (whose pointers to
// composites print as &{...}); an interface at depth 0 is its dynamic
// value.
func goSyntax(v *Value, depth int) string {
	if v.Err != nil {
		return fmt.Sprintf("!(%v)", v.Err)
	}
	typ := ShortTypeName(v.TypeName)
	switch v.Kind {
	case reflect.Bool, reflect.Int, reflect.Int8, reflect.Int16, reflect.Int32, reflect.Int64,
		reflect.Float32, reflect.Float64:
		return formatScalar(v)
	case reflect.Complex64:
		return strconv.FormatComplex(v.Complex, 'g', -1, 64)
	case reflect.Complex128:
		return strconv.FormatComplex(v.Complex, 'g', -1, 128)
	case reflect.Uint, reflect.Uint8, reflect.Uint16, reflect.Uint32, reflect.Uint64, reflect.Uintptr:
		return fmt.Sprintf("%#x", v.Uint)
	case reflect.String:
		return strconv.Quote(v.Str)
	case reflect.Array:
		return typ + "{" + joinChildren(v.Children, depth) + "}"
	case reflect.Slice:
		if typ == "[]uint8" {
			typ = "[]byte"
		}
		if v.Base == 0 {
			return typ + "(nil)"
		}
		return typ + "{" + joinChildren(v.Children, depth) + "}"
	case reflect.Struct:
		var parts []string
		for _, c := range v.Children {
			parts = append(parts, c.Name+":"+goSyntax(c, depth+1))
		}
		return typ + "{" + strings.Join(parts, ", ") + "}"
	case reflect.Pointer:
		if v.Base == 0 {
			return "(" + typ + ")(nil)"
		}
		if e := v.Elem(); depth == 0 && e != nil {
			switch e.Kind {
			case reflect.Struct, reflect.Array, reflect.Slice, reflect.Map:
				return "&" + goSyntax(e, depth+1)
			}
		}
		return fmt.Sprintf("(%s)(%#x)", typ, v.Base)
	case reflect.UnsafePointer, reflect.Chan, reflect.Func:
		if v.Base == 0 {
			return "(" + typ + ")(nil)"
		}
		return fmt.Sprintf("(%s)(%#x)", typ, v.Base)
	case reflect.Map:
		return goMap(v, typ, depth)
	case reflect.Interface:
		if v.Base == 0 {
			if depth == 0 {
				return "<nil>"
			}
			return typ + "(nil)"
		}
		return goSyntax(v.Elem(), depth)
	}
	return "?" + v.Kind.String()
}

func joinChildren(cs []*Value, depth int) string {
	var parts []string
	for _, c := range cs {
		parts = append(parts, goSyntax(c, depth+1))
	}
	return strings.Join(parts, ", ")
}

func goMap(v *Value, typ string, depth int) string {
	if v.Base == 0 {
		return typ + "(nil)"
	}
	idx := make([]int, v.NumEntries())
	for i := range idx {
		idx[i] = i
	}
	slices.SortFunc(idx, func(a, b int) int {
		ka, _ := v.Entry(a)
		kb, _ := v.Entry(b)
		return compareKeys(ka, kb)
	})
	var parts []string
	for _, i := range idx {
		k, e := v.Entry(i)
		parts = append(parts, goSyntax(k, depth+1)+":"+goSyntax(e, depth+1))
	}
	return typ + "{" + strings.Join(parts, ", ") + "}"
}

// compareKeys orders map keys as internal/fmtsort does.
func compareKeys(a, b *Value) int {
	switch a.Kind {
	case reflect.Int, reflect.Int8, reflect.Int16, reflect.Int32, reflect.Int64:
		return cmp.Compare(a.Int, b.Int)
	case reflect.Uint, reflect.Uint8, reflect.Uint16, reflect.Uint32, reflect.Uint64, reflect.Uintptr:
		return cmp.Compare(a.Uint, b.Uint)
	case reflect.Float32, reflect.Float64:
		return cmp.Compare(a.Float, b.Float)
	case reflect.String:
		return strings.Compare(a.Str, b.Str)
	case reflect.Bool:
		return cmp.Compare(btoi(a.Bool), btoi(b.Bool))
	case reflect.Pointer, reflect.Chan, reflect.UnsafePointer:
		return cmp.Compare(a.Base, b.Base)
	case reflect.Struct, reflect.Array:
		for i := range min(len(a.Children), len(b.Children)) {
			if c := compareKeys(a.Children[i], b.Children[i]); c != 0 {
				return c
			}
		}
		return 0
	case reflect.Interface:
		if c := cmp.Compare(a.Base, b.Base); c != 0 || a.Base == 0 {
			return c
		}
		return compareKeys(a.Elem(), b.Elem())
	}
	return 0
}

func btoi(b bool) int {
	if b {
		return 1
	}
	return 0
}
