package values

import (
	"debug/dwarf"
	"encoding/binary"
	"fmt"
	"math/bits"
	"reflect"
	"sort"
	"strings"
	"sync"
)

// Package constants: Go describes each in DWARF (DW_TAG_constant with its
// type and value). They are values of expressions ("constTwo",
// "pkg.SomeConst"), and name the values of their type when printed, as
// Delve does: "constTwo (2)", or for types whose constants are single
// bits "bitZero|bitOne (3)".

// constEntry is one constant in the index.
type constEntry struct {
	value   int64
	typeOff dwarf.Offset
}

func (idx *index) addConst(name string, e *dwarf.Entry) {
	off, ok := e.Val(dwarf.AttrType).(dwarf.Offset)
	if name == "" || !ok {
		return
	}
	var v int64
	switch x := e.Val(dwarf.AttrConstValue).(type) {
	case int64:
		v = x
	case uint64:
		v = int64(x)
	default:
		return // strings and floats are not described
	}
	idx.consts[name] = constEntry{value: v, typeOff: off}
	idx.constsByType[off] = append(idx.constsByType[off], constName{name: name, value: v})
}

// constName is one constant of a type, its name without the package.
type constName struct {
	name      string
	value     int64
	singleBit bool
}

// constTable caches the constants of each type name; filled on first
// use of a name.
type constTable struct {
	mu     sync.Mutex
	byType map[string][]constName
}

// constsOf returns the constants of the named type, sorted by value.
// Only user types have them (1 is not io.SeekCurrent).
func (img *image) constsOf(typeName string) []constName {
	if !strings.Contains(typeName, ".") || strings.HasPrefix(typeName, "C.") {
		return nil
	}
	img.consts.mu.Lock()
	defer img.consts.mu.Unlock()
	if list, ok := img.consts.byType[typeName]; ok {
		return list
	}
	if img.consts.byType == nil {
		img.consts.byType = map[string][]constName{}
	}
	var list []constName
	if idx, err := img.index(); err == nil {
		pkg := typeName[:strings.LastIndex(typeName, ".")+1]
		for _, off := range idx.types[typeName] {
			for _, c := range idx.constsByType[off] {
				list = append(list, constName{name: strings.TrimPrefix(c.name, pkg), value: c.value, singleBit: bits.OnesCount64(uint64(c.value)) == 1})
			}
		}
		sort.Slice(list, func(i, j int) bool { return list[i].value < list[j].value })
	}
	img.consts.byType[typeName] = list
	return list
}

// describeConst names n by the constants of its type: the one equal to
// it, or the single-bit ones it is made of; "" if none.
func describeConst(list []constName, n int64) string {
	for _, c := range list {
		if c.value == n {
			return c.name
		}
	}
	if n == 0 {
		return ""
	}
	var parts []string
	for _, c := range list {
		if c.singleBit && n&c.value != 0 {
			parts = append(parts, c.name)
			n &^= c.value
		}
	}
	if n != 0 {
		return ""
	}
	return strings.Join(parts, "|")
}

// Constant returns the package constant name ("main.constTwo"; a
// constant of the package pkg, "pkg.C", when only one package path ends
// in pkg) as a value of its type, not in memory. ErrNoVariable if there
// is none.
func (l *Loader) Constant(mem Memory, name string) (*Value, error) {
	idx, err := l.img.index()
	if err != nil {
		return nil, err
	}
	c, ok := idx.consts[name]
	if !ok {
		full := ""
		for n := range idx.consts {
			if strings.HasSuffix(n, "/"+name) {
				if full != "" {
					full = ""
					break
				}
				full = n
			}
		}
		if full == "" {
			return nil, fmt.Errorf("%w %s", ErrNoVariable, name)
		}
		c = idx.consts[full]
	}
	t, err := l.img.typeAt(c.typeOff)
	if err != nil {
		return nil, err
	}
	b := make([]byte, 16)
	binary.LittleEndian.PutUint64(b, uint64(c.value))
	if c.value < 0 {
		binary.LittleEndian.PutUint64(b[8:], ^uint64(0))
	}
	v := l.LoadBytes(mem, name, t, b, LoadConfig{})
	if v.Err == nil && !isScalar(v.Kind) {
		return nil, fmt.Errorf("%w %s: a constant of type %s", ErrUnsupported, name, v.TypeName)
	}
	v.Const = true
	return v, v.Err
}

// constDescription is the name of an integer value by its type's
// constants, for printing; "" if none.
func constDescription(v *Value) string {
	if v.Const || v.ti == nil || v.ti.img == nil {
		return ""
	}
	switch v.Kind {
	case reflect.Int, reflect.Int8, reflect.Int16, reflect.Int32, reflect.Int64:
		return describeConst(v.ti.img.constsOf(v.TypeName), v.Int)
	case reflect.Uint, reflect.Uint8, reflect.Uint16, reflect.Uint32, reflect.Uint64, reflect.Uintptr:
		return describeConst(v.ti.img.constsOf(v.TypeName), int64(v.Uint))
	}
	return ""
}
