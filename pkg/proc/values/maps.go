package values

import (
	"debug/dwarf"
	"fmt"
)

// loadMap reads a Swiss-table map (see mapLayout): the header, then the
// groups of each table, in memory order, until MaxArrayValues entries.
func (c *loader) loadMap(v *Value, level int) {
	b, err := c.bytes(v.src, 8)
	if err != nil {
		v.Err = err
		return
	}
	v.Base = word(b)
	if v.Base == 0 {
		return
	}
	ml := v.ti.mapL
	hdr := make([]byte, ml.hdrSize)
	if err := c.read(v.Base, hdr); err != nil {
		v.Err = err
		return
	}
	v.Len = int64(word(hdr[ml.usedOff : ml.usedOff+8]))
	if v.Len < 0 {
		v.Err = corrupt("map of %d entries", v.Len)
		return
	}
	if v.Len == 0 {
		return
	}
	if level > c.cfg.maxDepth() {
		v.Unloaded = true
		return
	}
	it := &mapIter{c: c, v: v, ml: ml, level: level, limit: min(v.Len, c.cfg.maxElems())}
	dirPtr, dirLen := word(hdr[ml.dirPtrOff:ml.dirPtrOff+8]), int64(word(hdr[ml.dirLenOff:ml.dirLenOff+8]))
	if dirLen == 0 {
		err = it.groups(dirPtr, 1)
	} else {
		err = it.directory(dirPtr, dirLen)
	}
	if err != nil && len(v.Children) == 0 { // else: what was read, truncated
		v.Err = err
	}
}

// mapIter collects the entries of one map.
type mapIter struct {
	c     *loader
	v     *Value
	ml    *mapLayout
	level int
	limit int64 // entries wanted
	bad   int   // unreadable keys and elements
}

func (it *mapIter) done() bool {
	return int64(len(it.v.Children)/2) >= it.limit || it.bad >= maxUnreadables || it.c.full()
}

// directory walks the tables of a map; a table of local depth d fills
// 2^(globalDepth-d) consecutive directory entries.
func (it *mapIter) directory(dirPtr uint64, dirLen int64) error {
	if dirLen < 0 || dirLen > hardMaxBulk/8 || dirLen&(dirLen-1) != 0 {
		return corrupt("map directory of %d tables", dirLen)
	}
	dir := make([]byte, dirLen*8)
	if err := it.c.read(dirPtr, dir); err != nil {
		return err
	}
	seen := map[uint64]bool{}
	for i := int64(0); i < dirLen && !it.done(); i++ {
		t := word(dir[i*8 : i*8+8])
		if seen[t] {
			continue
		}
		seen[t] = true
		if err := it.table(t); err != nil {
			return err
		}
	}
	return nil
}

func (it *mapIter) table(addr uint64) error {
	ml := it.ml
	tab := make([]byte, ml.tabSize)
	if err := it.c.read(addr, tab); err != nil {
		return err
	}
	data, mask := word(tab[ml.dataOff:ml.dataOff+8]), word(tab[ml.maskOff:ml.maskOff+8])
	if mask >= 1<<16 || mask&(mask+1) != 0 {
		return corrupt("map table at %#x with %d groups", addr, mask+1)
	}
	return it.groups(data, int64(mask)+1)
}

// groups walks n consecutive groups at addr, reading them in one go when
// they are not too large.
func (it *mapIter) groups(addr uint64, n int64) error {
	ml := it.ml
	per := max(1, min(n, hardMaxBulk/ml.groupSize))
	for g := int64(0); g < n && !it.done(); g += per {
		k := min(per, n-g)
		base := addr + uint64(g*ml.groupSize)
		buf := make([]byte, k*ml.groupSize)
		if err := it.c.read(base, buf); err != nil {
			return err
		}
		for j := int64(0); j < k && !it.done(); j++ {
			if err := it.group(loc{addr: base + uint64(j*ml.groupSize), data: buf[j*ml.groupSize : (j+1)*ml.groupSize]}); err != nil {
				return err
			}
		}
	}
	return nil
}

// group collects the full slots of one group: those whose control byte
// has the high bit clear (0x80 is empty, 0xfe deleted).
func (it *mapIter) group(g loc) error {
	ml := it.ml
	ctrl := word(g.data[:8])
	for i := int64(0); i < mapGroupSlots && !it.done(); i++ {
		if it.c.slots++; it.c.slots > hardMaxSlots {
			return corrupt("map scan exceeded %d slots", hardMaxSlots)
		}
		if byte(ctrl>>(8*i))&ctrlEmptyBit != 0 {
			continue
		}
		slot := g.at(ml.slotsOff+i*ml.slotSize, ml.slotSize)
		key := it.entryPart("", ml.key, ml.keyInd, slot.at(ml.keyOff, ml.slotKey.Size()))
		val := it.entryPart("", ml.elem, ml.elemInd, slot.at(ml.elemOff, ml.slotElem.Size()))
		it.v.Children = append(it.v.Children, key, val)
	}
	if int64(len(it.v.Children)/2) > it.v.Len {
		return corrupt("map has more entries than its count %d", it.v.Len)
	}
	return nil
}

// entryPart loads a key or element, following the slot's pointer when it
// is stored indirectly.
func (it *mapIter) entryPart(name string, typ dwarf.Type, indirect bool, at loc) *Value {
	c := it.c
	v := c.newValue(name, typ, at)
	if indirect {
		b, err := c.bytes(at, 8)
		if err != nil {
			v.Err = err
		} else {
			*v = *c.newValue(name, typ, loc{addr: word(b)})
		}
	}
	if v.Err == nil {
		c.load(v, it.level+1)
	}
	if v.Err != nil {
		it.bad++
		v.Err = fmt.Errorf("map entry: %w", v.Err)
	}
	return v
}
