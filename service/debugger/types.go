package debugger

import (
	"debug/dwarf"
	"fmt"
	"sort"
)

// typeTags are the DWARF tags of the entries that name a type.
var typeTags = map[dwarf.Tag]bool{
	dwarf.TagBaseType: true, dwarf.TagStructType: true, dwarf.TagTypedef: true, dwarf.TagPointerType: true,
	dwarf.TagArrayType: true, dwarf.TagUnionType: true, dwarf.TagEnumerationType: true,
	dwarf.TagSubroutineType: true, dwarf.TagClassType: true,
}

// ListTypes returns the names of the types in the program's debug info
// that match the regular expression filter, sorted (terminal: types).
func (d *Debugger) ListTypes(filter string) ([]string, error) {
	d.mu.Lock()
	defer d.mu.Unlock()
	t, re, err := d.tableAndFilter(filter)
	if err != nil {
		return nil, err
	}
	data, err := t.DWARF()
	if err != nil {
		return nil, fmt.Errorf("no debug info in %s: %w", t.Path(), err)
	}
	seen := map[string]bool{}
	r := data.Reader()
	for {
		e, err := r.Next()
		if err != nil {
			return nil, fmt.Errorf("reading the types of %s: %w", t.Path(), err)
		}
		if e == nil {
			break
		}
		if typeTags[e.Tag] {
			if name, ok := e.Val(dwarf.AttrName).(string); ok && name != "" && re.MatchString(name) {
				seen[name] = true
			}
		}
		if e.Children && e.Tag != dwarf.TagCompileUnit {
			r.SkipChildren()
		}
	}
	out := make([]string, 0, len(seen))
	for n := range seen {
		out = append(out, n)
	}
	sort.Strings(out)
	return out, nil
}
