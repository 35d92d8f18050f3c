package values

import (
	"reflect"
)

// loadInterface reads an interface {tab_or_type, data}: an empty
// interface (runtime.eface) holds the *abi.Type of its dynamic type, one
// with methods (runtime.iface) an *abi.ITab whose Type field does. The
// dynamic type's DWARF comes from DW_AT_go_runtime_type. A pointer-shaped
// dynamic value is the data word itself; any other is boxed at data.
func (c *loader) loadInterface(v *Value, level int) {
	b, err := c.bytes(v.src, 16)
	if err != nil {
		v.Err = err
		return
	}
	rtype, data := word(b[:8]), word(b[8:16])
	if rtype == 0 {
		return
	}
	if v.ti.iface {
		var w [8]byte
		if err := c.read(rtype+uint64(c.l.img.itabTypeOffset(v.ti)), w[:]); err != nil {
			v.Err = err
			return
		}
		rtype = word(w[:])
	}
	v.Base = rtype
	dyn, err := c.l.img.runtimeType(rtype - c.l.bias)
	if err != nil {
		v.Children = []*Value{{Name: "data", Kind: reflect.Invalid, TypeName: "?", Err: err, Addr: data}}
		return
	}
	at := loc{addr: data}
	if c.l.img.pointerShaped(c.l.img.info(dyn)) {
		at = loc{data: b[8:16]}
		if v.src.addr != 0 {
			at.addr = v.src.addr + 8
		}
	}
	child := c.newValue("data", dyn, at)
	v.Children = []*Value{child}
	if level > c.cfg.maxDepth() { // as Delve: the data at the interface's level
		child.Unloaded = true
		return
	}
	c.load(child, level)
}

// itabTypeOffset returns the offset of the dynamic type pointer in an
// itab (internal/abi.ITab.Type; runtime.itab._type before Go 1.22).
func (img *image) itabTypeOffset(ti *typeInfo) int64 {
	if tab := structOf(fieldType(ti.st, "tab"), true); tab != nil {
		for _, name := range []string{"Type", "_type"} {
			if f := field(tab, name); f != nil {
				return f.ByteOffset
			}
		}
	}
	return 8
}
