package values

import (
	"debug/dwarf"
	"encoding/binary"
	"fmt"
	"strings"
)

const opAddr = 0x03 // DW_OP_addr

// Global returns the run-time address and the type of a package variable
// named as in DWARF ("main.counter", "github.com/a/b.Var").
func (l *Loader) Global(name string) (uint64, dwarf.Type, error) {
	idx, err := l.img.index()
	if err != nil {
		return 0, nil, err
	}
	off, ok := idx.globals[name]
	if !ok {
		return 0, nil, fmt.Errorf("%w: %s", ErrNoVariable, name)
	}
	e, err := l.img.entry(off)
	if err != nil {
		return 0, nil, fmt.Errorf("%s: %w", name, err)
	}
	expr, _ := e.Val(dwarf.AttrLocation).([]byte)
	if len(expr) != 9 || expr[0] != opAddr {
		return 0, nil, fmt.Errorf("%w: %s has location % x, not a static address", ErrUnsupported, name, expr)
	}
	toff, ok := e.Val(dwarf.AttrType).(dwarf.Offset)
	if !ok {
		return 0, nil, fmt.Errorf("%w: %s has no type", ErrUnsupported, name)
	}
	t, err := l.img.typeAt(toff)
	if err != nil {
		return 0, nil, fmt.Errorf("%s: %w", name, err)
	}
	return binary.LittleEndian.Uint64(expr[1:]) + l.bias, t, nil
}

// LoadGlobal reads a package variable (see Global).
func (l *Loader) LoadGlobal(mem Memory, name string, cfg LoadConfig) (*Value, error) {
	addr, t, err := l.Global(name)
	if err != nil {
		return nil, err
	}
	return l.Load(mem, name, t, addr, cfg), nil
}

// LookupType returns the type with the given DWARF name ("main.T",
// "[]int", "map[string]*main.T"), for conversions such as (*main.T)(addr).
// Only types the program uses have a description.
func (l *Loader) LookupType(name string) (dwarf.Type, error) {
	idx, err := l.img.index()
	if err != nil {
		return nil, err
	}
	var first dwarf.Offset
	for i, off := range idx.types[name] {
		if i == 0 {
			first = off
		}
		if e, err := l.img.entry(off); err == nil && e.Val(attrGoKind) != nil {
			return l.img.typeAt(off)
		}
	}
	if len(idx.types[name]) > 0 {
		return l.img.typeAt(first)
	}
	if full := byLastElement(idx.types, name); full != "" {
		return l.LookupType(full)
	}
	return nil, fmt.Errorf("%w %s", ErrNoType, name)
}

// byLastElement finds the one type "a/b/pkg.T" that "pkg.T" names by
// the last element of its package path, as Delve accepts (maps.Map for
// internal/runtime/maps.Map); "" when none or several do.
func byLastElement(types map[string][]dwarf.Offset, name string) string {
	if strings.Contains(name, "/") || !strings.Contains(name, ".") || strings.ContainsAny(name, "[]*( ") {
		return ""
	}
	found := ""
	for full := range types {
		if strings.HasSuffix(full, "/"+name) && !strings.ContainsAny(full, "[]*( ") {
			if found != "" {
				return ""
			}
			found = full
		}
	}
	return found
}

// RuntimeType returns the DWARF type whose runtime type descriptor
// (*abi.Type) is at the run-time address addr, as a generic function's
// dictionary holds them.
func (l *Loader) RuntimeType(addr uint64) (dwarf.Type, error) {
	return l.img.runtimeType(addr - l.bias)
}

// attrGoPackageName is DW_AT_go_package_name, a compile unit's package
// name when it differs from the last element of its path.
const attrGoPackageName dwarf.Attr = 0x2905

// PackagePath returns the import path of the one package named name
// whose path does not end in it ("dirio" for ".../dir.io"), or "", as
// the linker spells it in symbol names: dots in the last element escaped
// (".../dir%2eio").
func (l *Loader) PackagePath(name string) string {
	idx, err := l.img.index()
	if err != nil || len(idx.pkgPaths[name]) != 1 {
		return ""
	}
	p := idx.pkgPaths[name][0]
	i := strings.LastIndex(p, "/") + 1
	return p[:i] + strings.ReplaceAll(p[i:], ".", "%2e")
}

// RuntimeTypeAddr returns the run-time address of the runtime type
// descriptor of t (what an interface holding a t points to), for
// assigning a value to an interface.
func (l *Loader) RuntimeTypeAddr(t dwarf.Type) (uint64, error) {
	idx, err := l.img.index()
	if err != nil {
		return 0, err
	}
	for _, off := range idx.types[TypeName(t)] {
		e, err := l.img.entry(off)
		if err != nil || e == nil {
			continue
		}
		rt, ok := e.Val(attrGoRuntimeType).(uint64)
		if !ok || rt == 0 {
			continue
		}
		// The attribute is relative to runtime.types since Go 1.26 (see
		// runtimeType): the address is the one that maps back to t.
		for _, addr := range []uint64{rt + idx.typesBase, rt} {
			if back, err := l.img.runtimeType(addr); err == nil && TypeName(back) == TypeName(t) {
				return addr + l.bias, nil
			}
		}
	}
	return 0, fmt.Errorf("%w: no runtime type for %s", ErrNoType, TypeName(t))
}

// IsCType reports whether t was described by a C compiler (a cgo
// program's C part): Go's compiler marks each of its types with
// DW_AT_go_kind, C compilers never do. debug/dwarf hands out one
// dwarf.Type per offset, so t is found among the entries of its name.
// Pointers of C types index and slice as C pointers.
func (l *Loader) IsCType(t dwarf.Type) bool {
	if t == nil {
		return false
	}
	idx, err := l.img.index()
	if err != nil {
		return false
	}
	for _, off := range idx.types[TypeName(t)] {
		if typ, err := l.img.typeAt(off); err != nil || typ != t {
			continue
		}
		e, err := l.img.entry(off)
		return err == nil && e != nil && e.Val(attrGoKind) == nil
	}
	return false
}
