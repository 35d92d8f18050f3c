package symbols

import (
	"debug/dwarf"
	"encoding/binary"
	"fmt"
)

// fullDWARFKey keys, among a Table's derived data, DWARF data with every
// section debug/dwarf can use (range lists and .debug_addr included), for
// callers that walk lexical blocks and variables. The Table's own dwarf()
// stays lean.
type fullDWARFKey struct{}

type dwarfOnce struct {
	d   *dwarf.Data
	err error
}

// DWARF returns the executable's DWARF data including range lists
// (.debug_ranges, .debug_rnglists) and .debug_addr, loaded once. Location
// lists and call frame sections are not part of it: see DebugSection.
func (t *Table) DWARF() (*dwarf.Data, error) {
	o := t.Derived(fullDWARFKey{}, func() any {
		o := &dwarfOnce{}
		func() {
			defer func() {
				if r := recover(); r != nil {
					o.d, o.err = nil, fmt.Errorf("corrupt DWARF (%v)", r)
				}
			}()
			o.d, o.err = loadFullDWARF(t)
		}()
		return o
	}).(*dwarfOnce)
	return o.d, o.err
}

func loadFullDWARF(t *Table) (*dwarf.Data, error) {
	names := []string{"abbrev", "aranges", "info", "line", "ranges", "str"}
	sec := make([][]byte, len(names))
	for i, name := range names {
		data, err := debugSection(t.f, name)
		if err != nil {
			return nil, err
		}
		sec[i] = data
	}
	if sec[2] == nil {
		return nil, fmt.Errorf("%s has no .debug_info section", t.path)
	}
	d, err := dwarf.New(sec[0], sec[1], nil, sec[2], sec[3], nil, sec[4], sec[5])
	if err != nil {
		return nil, err
	}
	for _, name := range []string{"addr", "line_str", "str_offsets", "rnglists"} {
		data, err := debugSection(t.f, name)
		if err != nil {
			return nil, err
		}
		if data != nil {
			if err := d.AddSection(".debug_"+name, data); err != nil {
				return nil, err
			}
		}
	}
	touchUnits(d, sec[2])
	return d, nil
}

// touchUnits positions a reader once in every compile unit. debug/dwarf
// computes a DWARF 5 unit's base offsets the first time a reader enters
// it and stores them in the shared Data: done here, while one goroutine
// owns the Data, every later reader only reads it, so readers on several
// goroutines (a background warm-up, parallel unwinds) do not race.
func touchUnits(d *dwarf.Data, info []byte) {
	r := d.Reader()
	for _, off := range unitEntryOffsets(info) {
		r.Seek(off)
	}
}

// unitEntryOffsets returns the offset of the first entry of every unit of
// a .debug_info section, read from the unit headers alone.
func unitEntryOffsets(info []byte) []dwarf.Offset {
	var out []dwarf.Offset
	for off := 0; off+4 <= len(info); {
		n := int(binary.LittleEndian.Uint32(info[off:]))
		hdr := 4
		if uint32(n) == 0xffffffff {
			if off+12 > len(info) {
				return out
			}
			n, hdr = int(binary.LittleEndian.Uint64(info[off+4:])), 12
		}
		if n <= 0 || off+hdr+n > len(info) || off+hdr+2 > len(info) {
			return out
		}
		first := hdr + 7 // version, abbrev offset, address size (DWARF 2-4)
		if binary.LittleEndian.Uint16(info[off+hdr:]) >= 5 {
			first = hdr + 8 // version, unit type, address size, abbrev offset
		}
		if hdr == 12 {
			first += 4 // a 64-bit abbrev offset
		}
		if first < hdr+n {
			out = append(out, dwarf.Offset(off+first))
		}
		off += hdr + n
	}
	return out
}

// DebugSection returns the uncompressed contents of .debug_<name> (for
// example "loc", "loclists", "frame", "addr", "info"), reading the old
// .zdebug_<name> form too; nil and no error if the section is absent.
func (t *Table) DebugSection(name string) ([]byte, error) { return debugSection(t.f, name) }
