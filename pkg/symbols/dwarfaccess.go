package symbols

import (
	"debug/dwarf"
	"fmt"
	"sync"
)

// fullDWARF caches, per Table, DWARF data with every section debug/dwarf
// can use (range lists and .debug_addr included), for callers that walk
// lexical blocks and variables. The Table's own dwarf() stays lean.
var fullDWARF sync.Map // *Table → *dwarfOnce

type dwarfOnce struct {
	once sync.Once
	d    *dwarf.Data
	err  error
}

// DWARF returns the executable's DWARF data including range lists
// (.debug_ranges, .debug_rnglists) and .debug_addr, loaded once. Location
// lists and call frame sections are not part of it: see DebugSection.
func (t *Table) DWARF() (*dwarf.Data, error) {
	v, _ := fullDWARF.LoadOrStore(t, &dwarfOnce{})
	o := v.(*dwarfOnce)
	o.once.Do(func() {
		defer func() {
			if r := recover(); r != nil {
				o.d, o.err = nil, fmt.Errorf("corrupt DWARF (%v)", r)
			}
		}()
		o.d, o.err = loadFullDWARF(t)
	})
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
	return d, nil
}

// DebugSection returns the uncompressed contents of .debug_<name> (for
// example "loc", "loclists", "frame", "addr", "info"), reading the old
// .zdebug_<name> form too; nil and no error if the section is absent.
func (t *Table) DebugSection(name string) ([]byte, error) { return debugSection(t.f, name) }
