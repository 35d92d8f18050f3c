package goroutines

import (
	"debug/dwarf"
	"encoding/binary"
	"strings"
)

// labelLayout describes what g.labels points at: a runtime/pprof.labelMap
// holding (at list) a slice of {key, value string} structs. Go 1.21 and
// later use this shape; older runtimes used a map, which is not read.
type labelLayout struct {
	ok         bool
	list       int // offset of the slice header in labelMap
	elemSize   int
	key, value int // offsets of the string headers in an element
}

const (
	maxLabels   = 64   // per goroutine; more is treated as garbage
	maxLabelLen = 1024 // bytes per key or value; longer ones are cut
)

func resolveLabels(d *dwarf.Data, dies *runtimeDIEs) labelLayout {
	off, ok := dies.structs["runtime/pprof.labelMap"]
	if !ok {
		return labelLayout{}
	}
	st, err := loadStruct(d, off)
	base := int64(0)
	for depth := 0; err == nil && depth < 4 && len(st.members) > 0; depth++ {
		m := st.members[0] // labelMap{Set{List []Label}}: follow the first field
		t, terr := resolveType(d, m.typ)
		if terr != nil || t.tag != dwarf.TagStructType {
			return labelLayout{}
		}
		base += m.off
		if st, err = loadStruct(d, t.off); err != nil {
			return labelLayout{}
		}
		if strings.HasPrefix(st.name, "[]") {
			return sliceOfLabels(d, st, base)
		}
	}
	return labelLayout{}
}

// sliceOfLabels checks a slice type's element is {key, value string}.
func sliceOfLabels(d *dwarf.Data, slice *structType, base int64) labelLayout {
	arr, ok := slice.member("array")
	if !ok || arr.off != 0 {
		return labelLayout{}
	}
	if l, ok := slice.member("len"); !ok || l.off != 8 {
		return labelLayout{}
	}
	ptr, err := resolveType(d, arr.typ)
	if err != nil || ptr.tag != dwarf.TagPointerType || ptr.elem == 0 {
		return labelLayout{}
	}
	elem, err := resolveType(d, ptr.elem)
	if err != nil || elem.tag != dwarf.TagStructType {
		return labelLayout{}
	}
	est, err := loadStruct(d, elem.off)
	if err != nil || est.size <= 0 || est.size > 256 {
		return labelLayout{}
	}
	key, kok := stringMember(d, est, "key", "Key")
	value, vok := stringMember(d, est, "value", "Value")
	if !kok || !vok {
		return labelLayout{}
	}
	return labelLayout{ok: true, list: int(base), elemSize: int(est.size), key: key, value: value}
}

func stringMember(d *dwarf.Data, st *structType, names ...string) (int, bool) {
	for _, n := range names {
		m, ok := st.member(n)
		if !ok {
			continue
		}
		t, err := resolveType(d, m.typ)
		if err != nil || t.name != "string" || t.size != 16 || m.off+16 > st.size {
			return 0, false
		}
		return int(m.off), true
	}
	return 0, false
}

// readLabels reads the pprof labels at p (g.labels); nil if there are
// none or they cannot be read.
func (r *Reader) readLabels(p uint64) map[string]string {
	ll := &r.l.labels
	if !ll.ok || p == 0 {
		return nil
	}
	var hdr [16]byte
	if readFull(r.mem, p+uint64(ll.list), hdr[:]) != nil {
		return nil
	}
	arr, n := binary.LittleEndian.Uint64(hdr[:]), binary.LittleEndian.Uint64(hdr[8:])
	if n == 0 || n > maxLabels {
		return nil
	}
	buf := make([]byte, int(n)*ll.elemSize)
	if readFull(r.mem, arr, buf) != nil {
		return nil
	}
	out := make(map[string]string, n)
	for i := range int(n) {
		e := buf[i*ll.elemSize:]
		k, kerr := r.readString(e[ll.key:], maxLabelLen)
		v, verr := r.readString(e[ll.value:], maxLabelLen)
		if kerr == nil && verr == nil {
			out[k] = v
		}
	}
	return out
}
