package symbols

import (
	"debug/dwarf"
	"errors"
	"io"
	"sort"
)

// lineTable is a compact pc→line index built from DWARF line programs:
// rows sorted by pc, each naming a file by index. An end-of-sequence row
// marks the end of a covered range.
type lineTable struct {
	rows  []lineRow
	files []string
}

type lineRow struct {
	pc   uint64
	file uint32 // index into files; endSeq for end-of-sequence rows
	line uint32
	stmt bool
}

const endSeq = ^uint32(0)

// dwarfLines decodes every compile unit's line program into a lineTable.
func dwarfLines(d *dwarf.Data) (lineTable, error) {
	var lt lineTable
	index := map[string]uint32{}
	r := d.Reader()
	w := &walker{r: r}
	for {
		cu, err := w.next()
		if err != nil {
			return lt, err
		}
		if cu == nil {
			break
		}
		r.SkipChildren()
		if err := lt.addUnit(d, cu, index); err != nil {
			return lt, err
		}
	}
	lt.sort()
	return lt, nil
}

// sort orders the rows by pc, an end of sequence before a row that
// starts another sequence at the same address.
func (lt *lineTable) sort() {
	sort.SliceStable(lt.rows, func(i, j int) bool {
		a, b := lt.rows[i], lt.rows[j]
		if a.pc != b.pc {
			return a.pc < b.pc
		}
		return a.file == endSeq && b.file != endSeq
	})
}

func (lt *lineTable) addUnit(d *dwarf.Data, cu *dwarf.Entry, index map[string]uint32) error {
	if cu.Tag != dwarf.TagCompileUnit {
		return nil
	}
	lr, err := lineReader(d, cu)
	if err != nil || lr == nil {
		return err
	}
	var e dwarf.LineEntry
	for {
		if err := lr.Next(&e); err != nil {
			if errors.Is(err, io.EOF) {
				return nil
			}
			return err
		}
		row := lineRow{pc: e.Address, file: endSeq}
		if !e.EndSequence && e.File != nil {
			row.file = lt.fileIndex(e.File.Name, index)
			row.line, row.stmt = uint32(e.Line), e.IsStmt
		}
		lt.rows = append(lt.rows, row)
	}
}

func (lt *lineTable) fileIndex(name string, index map[string]uint32) uint32 {
	i, ok := index[name]
	if !ok {
		i = uint32(len(lt.files))
		index[name] = i
		lt.files = append(lt.files, name)
	}
	return i
}

// lookup returns the position of pc, "" and 0 if no row covers it. Of
// several rows at one address (gcc -O2 gives a function's entry its own
// line, the body's first line and its own line again, the last two at
// new views), the last statement row counts, as gdb has it.
func (lt *lineTable) lookup(pc uint64) (string, int) {
	i := sort.Search(len(lt.rows), func(i int) bool { return lt.rows[i].pc > pc }) - 1
	if i < 0 || lt.rows[i].file == endSeq {
		return "", 0
	}
	for j := i; j >= 0 && lt.rows[j].pc == lt.rows[i].pc && lt.rows[j].file != endSeq; j-- {
		if lt.rows[j].stmt {
			i = j
			break
		}
	}
	return lt.files[lt.rows[i].file], int(lt.rows[i].line)
}

// usedFiles returns the files that have at least one row.
func (lt *lineTable) usedFiles() []string {
	used := make([]bool, len(lt.files))
	for _, r := range lt.rows {
		if r.file != endSeq {
			used[r.file] = true
		}
	}
	var out []string
	for i, ok := range used {
		if ok {
			out = append(out, lt.files[i])
		}
	}
	return out
}
