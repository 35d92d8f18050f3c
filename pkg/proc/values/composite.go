package values

import (
	"reflect"
)

func (c *loader) loadArray(v *Value, level int) {
	v.Len = v.ti.count
	c.loadElems(v, v.src, level)
}

// loadSlice reads a slice header {array *T; len, cap int} and its
// elements.
func (c *loader) loadSlice(v *Value, level int) {
	b, err := c.bytes(v.src, 24)
	if err != nil {
		v.Err = err
		return
	}
	v.Base, v.Len, v.Cap = word(b[:8]), int64(word(b[8:16])), int64(word(b[16:24]))
	if v.Base == 0 && v.Len > 0 && v.Cap >= v.Len {
		v.Err = corruptText("non-zero length array with nil base") // Delve's words
		return
	}
	if v.Len < 0 || v.Cap < v.Len || (v.Base == 0 && v.Len != 0) {
		v.Err = corrupt("slice of length %d, capacity %d at %#x", v.Len, v.Cap, v.Base)
		return
	}
	if v.ti.elem == nil {
		v.Err = corrupt("slice type %s has no element type", v.TypeName)
		return
	}
	c.loadElems(v, loc{addr: v.Base}, level)
}

// loadElems loads up to MaxArrayValues of the v.Len elements of an array
// or slice stored from base, reading them in one go when it can.
func (c *loader) loadElems(v *Value, base loc, level int) {
	if v.Len == 0 {
		return
	}
	ti := c.l.img.info(v.ti.elem)
	if level > c.cfg.maxDepth() && !isScalar(ti.kind) { // numbers load at any depth, as Delve
		v.Unloaded = true
		return
	}
	stride := ti.size
	n := min(v.Len, c.cfg.maxElems())
	if stride < 0 {
		v.Err = corrupt("element size %d", stride)
		return
	}
	if base.data == nil && n*stride <= hardMaxBulk {
		buf := make([]byte, n*stride)
		if c.read(base.addr, buf) == nil {
			base.data = buf
		}
	}
	v.Children = make([]*Value, 0, n)
	bad := 0
	for i := int64(0); i < n && !c.full(); i++ {
		e := c.newValue("", v.ti.elem, base.at(i*stride, stride))
		c.load(e, level+1)
		v.Children = append(v.Children, e)
		if e.Err != nil {
			if bad++; bad >= maxUnreadables {
				break
			}
		}
	}
}

func (c *loader) loadStruct(v *Value, level int) {
	st := v.ti.st
	v.Len = int64(len(st.Field))
	if v.Len == 0 {
		return
	}
	if level > c.cfg.maxDepth() {
		v.Unloaded = true
		return
	}
	at := v.src
	if at.data == nil && v.Size <= hardMaxBulk {
		b, err := c.bytes(at, v.Size)
		if err != nil {
			v.Err = err
			return
		}
		at.data = b
	}
	n := len(st.Field)
	if c.cfg.MaxStructFields >= 0 {
		n = min(n, c.cfg.MaxStructFields)
	}
	emb := c.l.img.embeddedFields(st)
	v.Children = make([]*Value, 0, n)
	for i, f := range st.Field[:n] {
		fv := c.newValue(f.Name, f.Type, at.at(f.ByteOffset, f.Type.Size()))
		fv.Embedded = emb[i]
		c.load(fv, level+1)
		v.Children = append(v.Children, fv)
	}
}

// isScalar reports whether a kind has no contents to load lazily.
func isScalar(k reflect.Kind) bool {
	switch k {
	case reflect.Array, reflect.Slice, reflect.Struct, reflect.Map, reflect.Chan, reflect.Interface, reflect.Pointer:
		return false
	}
	return true
}
