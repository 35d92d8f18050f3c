package values

import (
	"fmt"
	"reflect"
	"strconv"
	"strings"
)

// Format renders a value on one line the way Delve's print does:
//
//	main.T {A: 1, B: "x", C: []int len: 3, cap: 3, [1,2,3]}
//	*main.T {A: 1, B: "", C: []int len: 0, cap: 0, nil}
//	map[string]int ["one": 1, "two": 2, ...+1 more]
//	error(*errors.errorString) *{s: "boom"}
//	chan int 2/10
//
// Unreadable parts read "(unreadable reason)", contents cut by a
// LoadConfig limit end in "...+N more", structs not loaded because of
// the depth limit read "(main.T)(0xaddr)".
func Format(v *Value) string {
	f := formatter{}
	f.value(v, true, "")
	return f.b.String()
}

// FormatMultiline is Format with the fields of structs, the entries of
// maps and the elements of composite arrays and slices on lines of their
// own, indented with tabs, and channel buffers shown (print -v).
func FormatMultiline(v *Value) string {
	f := formatter{nl: true}
	if v.Kind == reflect.Pointer && v.Err == nil && v.Base != 0 && len(v.Children) == 1 && !v.Children[0].Unloaded && !v.IsCString() {
		// As Delve: a pointer's address on a line of its own first.
		f.b.WriteString(addrOf(v.TypeName, v.Base) + "\n")
	}
	f.value(v, true, "")
	return f.b.String()
}

type formatter struct {
	b  strings.Builder
	nl bool
}

func (f *formatter) value(v *Value, withType bool, indent string) {
	if v.Err != nil {
		fmt.Fprintf(&f.b, "(unreadable %v)", v.Err)
		return
	}
	switch v.Kind {
	case reflect.Invalid: // the untyped nil
		f.b.WriteString("nil")
	case reflect.String:
		s := v.Str
		if n := v.Truncated(); n > 0 {
			s += fmt.Sprintf("...+%d more", n) // inside the quotes, as Delve
		}
		f.b.WriteString(strconv.Quote(s))
	case reflect.Array:
		f.typed(v, withType)
		f.list(v, indent)
	case reflect.Slice:
		if withType {
			fmt.Fprintf(&f.b, "%s len: %d, cap: %d, ", v.TypeName, v.Len, v.Cap)
		}
		if v.Base == 0 {
			f.b.WriteString("nil")
			return
		}
		f.list(v, indent)
	case reflect.Struct:
		f.structValue(v, withType, indent)
	case reflect.Pointer:
		f.pointer(v, withType, indent)
	case reflect.UnsafePointer:
		if v.Base == 0 {
			f.b.WriteString("unsafe.Pointer(nil)")
		} else {
			fmt.Fprintf(&f.b, "unsafe.Pointer(%#x)", v.Base)
		}
	case reflect.Func:
		switch {
		case v.Base == 0:
			f.b.WriteString("nil")
		case v.Str != "":
			f.b.WriteString(v.Str)
		default:
			f.b.WriteString(addrOf(v.TypeName, v.Base))
		}
	case reflect.Chan:
		f.chanValue(v, indent)
	case reflect.Map:
		f.mapValue(v, withType, indent)
	case reflect.Interface:
		f.iface(v, withType, indent)
	default:
		s := formatScalar(v)
		if d := constDescription(v); d != "" {
			s = d + " (" + s + ")" // as Delve: constTwo (2)
		}
		f.b.WriteString(s)
	}
}

// formatScalar renders a bool or number.
func formatScalar(v *Value) string {
	switch v.Kind {
	case reflect.Bool:
		return strconv.FormatBool(v.Bool)
	case reflect.Int, reflect.Int8, reflect.Int16, reflect.Int32, reflect.Int64:
		return strconv.FormatInt(v.Int, 10)
	case reflect.Uint, reflect.Uintptr, reflect.Uint8, reflect.Uint16, reflect.Uint32, reflect.Uint64:
		return strconv.FormatUint(v.Uint, 10)
	case reflect.Float32:
		return strconv.FormatFloat(v.Float, 'g', -1, 32)
	case reflect.Float64:
		return strconv.FormatFloat(v.Float, 'g', -1, 64)
	case reflect.Complex64:
		return complexString(v.Complex, 32)
	case reflect.Complex128:
		return complexString(v.Complex, 64)
	}
	return fmt.Sprintf("(unreadable %v: %s)", ErrUnsupported, v.TypeName)
}

// complexString writes a complex number as Delve does: (1 + 2i).
func complexString(c complex128, bits int) string {
	return "(" + strconv.FormatFloat(real(c), 'g', -1, bits) + " + " + strconv.FormatFloat(imag(c), 'g', -1, bits) + "i)"
}

func (f *formatter) typed(v *Value, withType bool) {
	if withType {
		f.b.WriteString(v.TypeName)
		f.b.WriteByte(' ')
	}
}

// more writes the "...+N more" of a truncated value.
func (f *formatter) more(n int64, sep string) {
	if n > 0 {
		fmt.Fprintf(&f.b, "%s...+%d more", sep, n)
	}
}

// addrOf renders "(T)(0xaddr)", quoting T if it has a package path.
func addrOf(typ string, addr uint64) string {
	if strings.Contains(typ, "/") {
		typ = strconv.Quote(typ)
	}
	return fmt.Sprintf("(%s)(%#x)", typ, addr)
}

// list writes the elements of an array, slice or channel buffer.
func (f *formatter) list(v *Value, indent string) {
	nl := f.nl && len(v.Children) > 0 && breaksLines(v.Children[:1], v.Children)
	defer func(was bool) { f.nl = was }(f.nl)
	f.nl = nl // as Delve: what a one-line list holds is on one line too
	f.b.WriteByte('[')
	for i, c := range v.Children {
		switch {
		case nl:
			f.b.WriteString("\n" + indent + "\t")
		case i > 0:
			f.b.WriteByte(',')
		}
		f.value(c, false, indent+"\t")
		if nl {
			f.b.WriteByte(',')
		}
	}
	switch {
	case nl:
		f.more(v.Truncated(), "\n"+indent+"\t")
		f.b.WriteString("\n" + indent)
	case len(v.Children) > 0:
		f.more(v.Truncated(), ",")
	case v.Truncated() > 0:
		f.b.WriteString("...") // nothing loaded, as Delve
	}
	f.b.WriteByte(']')
}

func (f *formatter) structValue(v *Value, withType bool, indent string) {
	if v.Unloaded {
		if v.Addr != 0 {
			f.b.WriteString(addrOf("*"+v.TypeName, v.Addr))
			return
		}
		f.b.WriteString(v.TypeName + " {...}")
		return
	}
	if t, ok := timeText(v); ok {
		f.b.WriteString(v.TypeName + "(" + t + ")") // as Delve: the time, then the fields
	} else {
		f.typed(v, withType)
	}
	defer func(was bool) { f.nl = was }(f.nl)
	f.nl = f.nl && breaksLines(v.Children, v.Children) // as Delve
	f.b.WriteByte('{')
	for i, c := range v.Children {
		switch {
		case f.nl:
			f.b.WriteString("\n" + indent + "\t")
		case i > 0:
			f.b.WriteString(", ")
		}
		f.b.WriteString(c.Name + ": ")
		f.value(c, true, indent+"\t")
		if f.nl {
			f.b.WriteByte(',')
		}
	}
	sep := ""
	if len(v.Children) > 0 {
		sep = ", "
	}
	if f.nl {
		sep = "\n" + indent + "\t"
	}
	f.more(v.Truncated(), sep)
	if f.nl && len(v.Children) > 0 {
		f.b.WriteString("\n" + indent)
	}
	f.b.WriteByte('}')
}

func (f *formatter) pointer(v *Value, withType bool, indent string) {
	switch {
	case v.Base == 0:
		f.typed(v, withType)
		f.b.WriteString("nil")
	case v.IsCString():
		s := v.Str
		if n := v.Len - int64(len(s)); n > 0 {
			s += fmt.Sprintf("...+%d more", n)
		}
		f.b.WriteString(strconv.Quote(s))
	case len(v.Children) == 0 || (v.Children[0].Unloaded && (v.Children[0].Kind != reflect.Struct || v.notFollowed)):
		f.b.WriteString(addrOf(v.TypeName, v.Base))
	default:
		f.b.WriteByte('*')
		f.value(v.Children[0], withType, indent)
	}
}

func (f *formatter) chanValue(v *Value, indent string) {
	if v.Base == 0 {
		f.b.WriteString(v.TypeName + " nil")
		return
	}
	fmt.Fprintf(&f.b, "%s %d/%d", v.TypeName, v.Len, v.Cap)
	if v.Closed {
		f.b.WriteString(" (closed)")
	}
	if f.nl && len(v.Children) > 0 {
		f.b.WriteByte(' ')
		f.list(v, indent)
	}
}

func (f *formatter) mapValue(v *Value, withType bool, indent string) {
	f.typed(v, withType)
	if v.Base == 0 {
		f.b.WriteString("nil")
		return
	}
	nl := f.nl && len(v.Children) > 0
	f.b.WriteByte('[')
	for i := 0; i < v.NumEntries(); i++ {
		k, e := v.Entry(i)
		if nl {
			f.b.WriteString("\n" + indent + "\t")
		}
		f.value(k, false, indent+"\t")
		f.b.WriteString(": ")
		f.value(e, false, indent+"\t")
		f.b.WriteString(",") // every entry ends in ", ", as Delve
		if !nl {
			f.b.WriteByte(' ')
		}
	}
	switch {
	case nl:
		f.more(v.Truncated(), "\n"+indent+"\t")
		f.b.WriteString("\n" + indent)
	case len(v.Children) > 0:
		f.more(v.Truncated(), "")
	case v.Truncated() > 0:
		f.b.WriteString("...")
	}
	f.b.WriteByte(']')
}

// iface writes "T(dynamic type) value": with the type header the value
// is written without its type, and without the header with it.
func (f *formatter) iface(v *Value, withType bool, indent string) {
	if v.Base == 0 || len(v.Children) == 0 {
		f.typed(v, withType)
		f.b.WriteString("nil")
		return
	}
	data := v.Children[0]
	if withType {
		fmt.Fprintf(&f.b, "%s(%s) ", v.TypeName, data.TypeName)
	}
	if data.Unloaded && data.Kind != reflect.Pointer && v.Addr != 0 {
		f.b.WriteString("*" + addrOf("*"+v.TypeName, v.Addr)) // below the depth limit, as Delve
		return
	}
	if data.Kind == reflect.Pointer && data.Err == nil && data.Base != 0 && (len(data.Children) == 0 || data.Children[0].Unloaded) {
		fmt.Fprintf(&f.b, "%#x", data.Base)
		return
	}
	f.value(data, !withType, indent)
}

// breaksLines is Delve's rule for print -v: a struct (looking at every
// field) or a list (looking at its first element) is spread over lines
// when one of them is, behind any pointers, a slice, array, struct, map
// or interface, or a string behind a pointer or longer than 7 bytes (a
// list looks at all its strings).
func breaksLines(look, strs []*Value) bool {
	for _, c := range look {
		hasPtr := false
		for c.Kind == reflect.Pointer && len(c.Children) == 1 {
			hasPtr, c = true, c.Children[0]
		}
		switch c.Kind {
		case reflect.Slice, reflect.Array, reflect.Struct, reflect.Map, reflect.Interface:
			return true
		case reflect.String:
			if hasPtr {
				return true
			}
			for _, s := range strs {
				if s.Kind == reflect.String && len(s.Str) > 7 {
					return true
				}
			}
		}
	}
	return false
}
