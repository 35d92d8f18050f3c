package values

import (
	"debug/dwarf"
	"fmt"
	"reflect"
)

// Go 1.24+ maps (internal/runtime/maps, "Swiss tables"), as the linker
// describes them for each map type K→V:
//
//	map[K]V          typedef → *map<K,V>
//	map<K,V>         struct { used uint64; seed uintptr; dirPtr **table<K,V>; dirLen int; … }
//	table<K,V>       struct { used, capacity, growthLeft uint16; localDepth uint8; index int; groups groupReference<K,V> }
//	groupReference   struct { data *noalg.map.group[K]V; lengthMask uint64 }
//	map.group[K]V    struct { ctrl uint64; slots [8]struct { key K; elem V } }
//
// A key or element larger than 128 bytes is stored indirectly: the slot
// holds a pointer to it. dirLen 0 means a small map: dirPtr points to a
// single group instead of a directory of tables.
type mapLayout struct {
	key, elem           dwarf.Type // declared
	keyInd, elemInd     bool       // slot holds a pointer to the key / element
	hdrSize             int64
	usedOff, dirPtrOff  int64
	dirLenOff           int64
	tabSize             int64
	dataOff, maskOff    int64 // of groups.data and groups.lengthMask in table
	groupSize, slotsOff int64
	slotSize            int64
	keyOff, elemOff     int64
	slotKey, slotElem   dwarf.Type // as stored in the slot
}

const (
	mapGroupSlots  = 8
	mapMaxKeyBytes = 128 // larger keys and elements are stored indirectly
	ctrlEmptyBit   = 0x80
)

func (img *image) mapLayoutOf(ti *typeInfo) (*mapLayout, error) {
	hdr := structOf(ti.elem, false)
	if hdr == nil || field(hdr, "buckets") != nil {
		return nil, fmt.Errorf("%w: %s uses the map layout of Go 1.23 or older", ErrUnsupported, ti.name)
	}
	used, dirPtr, dirLen := field(hdr, "used"), field(hdr, "dirPtr"), field(hdr, "dirLen")
	if used == nil || dirPtr == nil || dirLen == nil {
		return nil, fmt.Errorf("%w: unknown map layout %s", ErrUnsupported, hdr.StructName)
	}
	ml := &mapLayout{hdrSize: hdr.ByteSize, usedOff: used.ByteOffset, dirPtrOff: dirPtr.ByteOffset, dirLenOff: dirLen.ByteOffset}
	tab := structOf(stripPtr(dirPtr.Type), true)
	groups := field(tab, "groups")
	if groups == nil {
		return nil, fmt.Errorf("%w: map table of %s has no groups", ErrUnsupported, ti.name)
	}
	ml.tabSize = tab.ByteSize
	gref := structOf(groups.Type, false)
	data, mask := field(gref, "data"), field(gref, "lengthMask")
	if data == nil || mask == nil {
		return nil, fmt.Errorf("%w: map groups of %s", ErrUnsupported, ti.name)
	}
	ml.dataOff, ml.maskOff = groups.ByteOffset+data.ByteOffset, groups.ByteOffset+mask.ByteOffset
	if err := ml.groupLayout(structOf(data.Type, true)); err != nil {
		return nil, fmt.Errorf("%s: %w", ti.name, err)
	}
	if !within(ml.hdrSize, ml.usedOff, ml.dirPtrOff, ml.dirLenOff) || !within(ml.tabSize, ml.dataOff, ml.maskOff) {
		return nil, fmt.Errorf("%w: map header fields of %s outside the struct", ErrUnsupported, ti.name)
	}
	ml.key = img.goAttrType(ti.name, reflect.Map, attrGoKey)
	ml.elem = img.goAttrType(ti.name, reflect.Map, attrGoElem)
	ml.key, ml.keyInd = indirection(ml.key, ml.slotKey)
	ml.elem, ml.elemInd = indirection(ml.elem, ml.slotElem)
	return ml, nil
}

func (ml *mapLayout) groupLayout(g *dwarf.StructType) error {
	ctrl, slots := field(g, "ctrl"), field(g, "slots")
	if ctrl == nil || slots == nil || ctrl.ByteOffset != 0 {
		return fmt.Errorf("%w: unknown map group layout", ErrUnsupported)
	}
	arr, ok := stripTypedefs(slots.Type).(*dwarf.ArrayType)
	if !ok || arr.Count != mapGroupSlots {
		return fmt.Errorf("%w: map group slots are not [8]slot", ErrUnsupported)
	}
	slot := structOf(arr.Type, false)
	k, e := field(slot, "key"), field(slot, "elem")
	if k == nil || e == nil {
		return fmt.Errorf("%w: unknown map slot layout", ErrUnsupported)
	}
	ml.groupSize, ml.slotsOff, ml.slotSize = g.ByteSize, slots.ByteOffset, slot.ByteSize
	ml.keyOff, ml.elemOff, ml.slotKey, ml.slotElem = k.ByteOffset, e.ByteOffset, k.Type, e.Type
	if ml.slotSize <= 0 || ml.groupSize < ml.slotsOff+mapGroupSlots*ml.slotSize || ml.groupSize < 8 ||
		k.ByteOffset+k.Type.Size() > ml.slotSize || e.ByteOffset+e.Type.Size() > ml.slotSize {
		return fmt.Errorf("%w: map group of %d bytes", ErrCorrupt, ml.groupSize)
	}
	return nil
}

// indirection returns the declared type of a key or element and whether
// its slot holds a pointer to it. Without the declared type (no
// DW_AT_go_key) a slot pointer to more than 128 bytes is taken as
// indirect.
func indirection(declared, slot dwarf.Type) (dwarf.Type, bool) {
	p, isPtr := stripTypedefs(slot).(*dwarf.PtrType)
	if declared != nil {
		return declared, isPtr && declared.Size() > mapMaxKeyBytes
	}
	if isPtr && p.Type != nil && p.Type.Size() > mapMaxKeyBytes {
		return p.Type, true
	}
	return slot, false
}

// within reports whether 8-byte fields at offs fit in a struct of size.
func within(size int64, offs ...int64) bool {
	for _, o := range offs {
		if o < 0 || o+8 > size {
			return false
		}
	}
	return true
}

func stripPtr(t dwarf.Type) dwarf.Type {
	if p, ok := stripTypedefs(t).(*dwarf.PtrType); ok && p.Type != nil {
		return p.Type
	}
	return t
}

// chanLayout is the runtime.hchan as the linker describes it per element
// type (hchan<T>).
type chanLayout struct {
	elem                  dwarf.Type
	hdrSize               int64
	qcount, dataqsiz, buf int64
	closed, closedSize    int64
	recvx                 int64
}

func (img *image) chanLayoutOf(ti *typeInfo) (*chanLayout, error) {
	h := structOf(ti.elem, false)
	if h == nil {
		return nil, fmt.Errorf("%w: channel type %s", ErrUnsupported, ti.name)
	}
	fs := map[string]*dwarf.StructField{}
	for _, n := range []string{"qcount", "dataqsiz", "buf", "closed", "recvx"} {
		if fs[n] = field(h, n); fs[n] == nil {
			return nil, fmt.Errorf("%w: %s has no field %s", ErrUnsupported, h.StructName, n)
		}
	}
	cl := &chanLayout{hdrSize: h.ByteSize, qcount: fs["qcount"].ByteOffset, dataqsiz: fs["dataqsiz"].ByteOffset,
		buf: fs["buf"].ByteOffset, closed: fs["closed"].ByteOffset, closedSize: fs["closed"].Type.Size(), recvx: fs["recvx"].ByteOffset}
	if !within(cl.hdrSize, cl.qcount, cl.dataqsiz, cl.buf, cl.recvx) || cl.closedSize > 8 || cl.closed+cl.closedSize > cl.hdrSize {
		return nil, fmt.Errorf("%w: channel header fields of %s outside the struct", ErrUnsupported, ti.name)
	}
	cl.elem = img.goAttrType(ti.name, reflect.Chan, attrGoElem)
	if cl.elem == nil { // hchan<T>.recvq.first.elem is a *T
		if sudog := structOf(fieldType(structOf(fieldType(h, "recvq"), false), "first"), true); sudog != nil {
			cl.elem = stripPtr(fieldType(sudog, "elem"))
		}
	}
	if cl.elem == nil {
		return nil, fmt.Errorf("%w: element type of %s", ErrUnsupported, ti.name)
	}
	return cl, nil
}

func fieldType(st *dwarf.StructType, name string) dwarf.Type {
	if f := field(st, name); f != nil {
		return f.Type
	}
	return nil
}
