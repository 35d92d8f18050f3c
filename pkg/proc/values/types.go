package values

import (
	"debug/dwarf"
	"fmt"
	"reflect"
	"strings"
)

// typeInfo is what loading needs to know about a DWARF type, decoded once
// per type.
type typeInfo struct {
	t     dwarf.Type // as given
	r     dwarf.Type // typedefs and qualifiers stripped
	kind  reflect.Kind
	name  string
	size  int64
	elem  dwarf.Type // Pointer target; Array, Slice, Chan element
	count int64      // Array length
	st    *dwarf.StructType
	iface bool // Interface with methods (runtime.iface, not eface)
	cFunc bool // a C function pointer (the code address itself)
	cStr  bool // a C char pointer: shown as the NUL-terminated string, as Delve

	img   *image // for the constants that name values of the type
	mapL  *mapLayout
	chanL *chanLayout
	err   error // why the type cannot be loaded (maps, channels)
}

// info returns the decoded form of t, computing it on first use.
func (img *image) info(t dwarf.Type) *typeInfo {
	img.mu.Lock()
	ti, ok := img.infos[t]
	img.mu.Unlock()
	if ok {
		return ti
	}
	ti = img.classify(t)
	ti.img = img
	switch ti.kind {
	case reflect.Map:
		ti.mapL, ti.err = img.mapLayoutOf(ti)
	case reflect.Chan:
		ti.chanL, ti.err = img.chanLayoutOf(ti)
	}
	img.mu.Lock()
	img.infos[t] = ti
	img.mu.Unlock()
	return ti
}

// TypeName returns the Go spelling of a DWARF type, as the Go toolchain
// names it (package paths in full: "map[string]*github.com/a/b.T",
// "chan<- int", "func(int) string"); for C types, the C spelling.
func TypeName(t dwarf.Type) string { return typeName(t, 0) }

func typeName(t dwarf.Type, depth int) string {
	if depth > 100 { // a pointer cycle in corrupt DWARF
		return "?"
	}
	switch u := t.(type) {
	case nil:
		return "<nil>"
	case *dwarf.StructType: // debug/dwarf keeps the name here, not in Common
		if u.StructName != "" {
			return u.StructName
		}
	case *dwarf.PtrType: // and drops the names of pointers and arrays
		if u.Name != "" {
			return u.Name
		}
		if isVoid(u.Type) {
			return "unsafe.Pointer"
		}
		if st, ok := u.Type.(*dwarf.StructType); ok && isCStructName(st.StructName) {
			return "*" + st.Kind + " " + st.StructName // as Delve: *struct align_check
		}
		return "*" + typeName(u.Type, depth+1)
	case *dwarf.ArrayType:
		if u.Name != "" {
			return u.Name
		}
		return fmt.Sprintf("[%d]%s", max(u.Count, 0), typeName(u.Type, depth+1))
	case *dwarf.FuncType: // debug/dwarf spells an unnamed one "func(...) void"
		if u.Name != "" {
			return u.Name
		}
		params := make([]string, len(u.ParamType))
		for i, p := range u.ParamType {
			params[i] = typeName(p, depth+1)
		}
		s := "func(" + strings.Join(params, ", ") + ")"
		if u.ReturnType != nil && !isVoid(u.ReturnType) {
			s += " " + typeName(u.ReturnType, depth+1)
		}
		return s
	}
	if n := t.Common().Name; n != "" {
		return n
	}
	return t.String()
}

// ShortTypeName rewrites the package paths in a type name to package
// names, as reflect and fmt's %T spell types: "[]*github.com/a/b.T" →
// "[]*b.T". It assumes a package's name is the last element of its path.
func ShortTypeName(name string) string {
	var b strings.Builder
	start := -1 // start of the current qualified identifier
	flush := func(end int) {
		if start >= 0 {
			word := name[start:end]
			if dot := strings.LastIndex(word, "."); dot > 0 {
				if slash := strings.LastIndex(word[:dot], "/"); slash >= 0 {
					word = word[slash+1:]
				}
			}
			b.WriteString(word)
			start = -1
		}
	}
	for i, c := range name {
		if strings.ContainsRune("[]*(){},; <>", c) {
			flush(i)
			b.WriteRune(c)
			continue
		}
		if start < 0 {
			start = i
		}
	}
	flush(len(name))
	return b.String()
}

// isVoid reports whether a pointer's target is void (unsafe.Pointer).
func isVoid(t dwarf.Type) bool {
	_, void := t.(*dwarf.VoidType)
	return t == nil || void
}

func stripTypedefs(t dwarf.Type) dwarf.Type {
	for i := 0; i < 100; i++ {
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

// classify maps a DWARF type to a reflect.Kind from its structure and
// the names the Go linker gives its runtime representations.
func (img *image) classify(t dwarf.Type) *typeInfo {
	ti := &typeInfo{t: t, name: TypeName(t), r: stripTypedefs(t)}
	if ti.r == nil {
		ti.err = ErrUnsupported
		return ti
	}
	ti.size = ti.r.Size()
	switch r := ti.r.(type) {
	case *dwarf.BoolType:
		ti.kind = reflect.Bool
	case *dwarf.IntType, *dwarf.CharType, *dwarf.EnumType:
		ti.kind = sizedKind(ti.size, reflect.Int8, reflect.Int16, reflect.Int32, reflect.Int)
	case *dwarf.UintType, *dwarf.UcharType:
		ti.kind = sizedKind(ti.size, reflect.Uint8, reflect.Uint16, reflect.Uint32, reflect.Uint)
		if r.Common().Name == "uintptr" {
			ti.kind = reflect.Uintptr
		}
	case *dwarf.FloatType:
		ti.kind = sizedKind(ti.size, 0, 0, reflect.Float32, reflect.Float64)
	case *dwarf.ComplexType:
		ti.kind = sizedKind(ti.size/2, 0, 0, reflect.Complex64, reflect.Complex128)
	case *dwarf.PtrType:
		img.classifyPtr(ti, r)
	case *dwarf.StructType:
		img.classifyStruct(ti, r)
	case *dwarf.ArrayType:
		ti.kind, ti.elem, ti.count = reflect.Array, r.Type, r.Count
		if ti.count < 0 {
			ti.count = 0
		}
	case *dwarf.FuncType:
		ti.kind, ti.size = reflect.Func, 8
	}
	if ti.kind == reflect.Invalid {
		ti.err = ErrUnsupported
	}
	return ti
}

func sizedKind(size int64, k1, k2, k4, k8 reflect.Kind) reflect.Kind {
	switch size {
	case 1:
		return k1
	case 2:
		return k2
	case 4:
		return k4
	case 8:
		return k8
	}
	return reflect.Invalid
}

// classifyPtr tells pointers from maps and channels, which Go describes
// as pointers to the synthesized structs map<K,V> and hchan<T>.
func (img *image) classifyPtr(ti *typeInfo, r *dwarf.PtrType) {
	ti.size = 8
	if isVoid(r.Type) {
		ti.kind = reflect.UnsafePointer
		return
	}
	ti.kind, ti.elem = reflect.Pointer, r.Type
	ti.cStr = r.Name == "" && isCChar(r.Type)
	if _, ok := r.Type.(*dwarf.FuncType); ok && !img.tab.IsGo() {
		ti.kind, ti.cFunc = reflect.Func, true
		return
	}
	if _, named := ti.t.(*dwarf.TypedefType); !named {
		return
	}
	if st, ok := r.Type.(*dwarf.StructType); ok {
		switch {
		case strings.HasPrefix(st.StructName, "map<") || strings.HasPrefix(st.StructName, "hash<"):
			ti.kind = reflect.Map
		case strings.HasPrefix(st.StructName, "hchan<"):
			ti.kind = reflect.Chan
		}
	}
}

// classifyStruct tells Go strings, slices and interfaces from structs.
// Named string and slice types ("type Name string") are structs named
// for the type, with the runtime's fields: DW_AT_go_kind settles those.
func (img *image) classifyStruct(ti *typeInfo, r *dwarf.StructType) {
	ti.kind, ti.st = reflect.Struct, r
	if r.Kind != "struct" { // C unions and classes
		ti.kind = reflect.Invalid
		return
	}
	f, name := r.Field, r.StructName
	switch {
	case len(f) == 2 && f[0].Name == "str" && f[1].Name == "len":
		if name == "string" || img.goEntry(name, reflect.String) != nil {
			ti.kind = reflect.String
		}
	case len(f) == 3 && f[0].Name == "array" && f[1].Name == "len" && f[2].Name == "cap":
		if strings.HasPrefix(name, "[]") || img.goEntry(name, reflect.Slice) != nil {
			ti.kind, ti.elem = reflect.Slice, stripPtr(f[0].Type)
		}
	case name == "runtime.eface" || name == "runtime.iface":
		ti.kind, ti.iface = reflect.Interface, name == "runtime.iface"
	}
}

// pointerShaped reports whether a value of the type is one pointer word,
// which Go stores directly in an interface's data word instead of boxing
// it (cmd/compile types.IsDirectIface: size and pointer bytes both 8).
func (img *image) pointerShaped(ti *typeInfo) bool {
	if ti.size != 8 {
		return false
	}
	switch ti.kind {
	case reflect.Pointer, reflect.UnsafePointer, reflect.Map, reflect.Chan, reflect.Func:
		return true
	case reflect.Array:
		return ti.count == 1 && img.pointerShaped(img.info(ti.elem))
	case reflect.Struct:
		for _, f := range ti.st.Field {
			if f.ByteOffset == 0 && f.Type.Size() == 8 {
				return img.pointerShaped(img.info(f.Type))
			}
		}
	}
	return false
}

// field returns the struct field with the given name.
func field(st *dwarf.StructType, name string) *dwarf.StructField {
	if st == nil {
		return nil
	}
	for _, f := range st.Field {
		if f.Name == name {
			return f
		}
	}
	return nil
}

// structOf returns the struct a type denotes, through typedefs and,
// when deref is set, one pointer.
func structOf(t dwarf.Type, deref bool) *dwarf.StructType {
	if t == nil {
		return nil
	}
	t = stripTypedefs(t)
	if p, ok := t.(*dwarf.PtrType); ok && deref && p.Type != nil {
		t = stripTypedefs(p.Type)
	}
	st, _ := t.(*dwarf.StructType)
	return st
}

// isCChar reports whether t is C's char, signed or unsigned, maybe
// const (Go's byte is an unsigned integer type, never a char).
func isCChar(t dwarf.Type) bool {
	for {
		q, ok := t.(*dwarf.QualType)
		if !ok {
			break
		}
		t = q.Type
	}
	switch t.(type) {
	case *dwarf.CharType, *dwarf.UcharType:
		return true
	}
	return false
}

// isCStructName reports whether a struct's name is a C tag: Go's struct
// names carry a package ("main.T"), a type argument list ("hchan<int>")
// or are literal ("struct { … }"), except the built-in string and error.
func isCStructName(name string) bool {
	return name != "" && name != "string" && name != "error" && !strings.ContainsAny(name, ".<[ ")
}
