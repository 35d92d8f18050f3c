package symbols

import (
	"bytes"
	"debug/dwarf"
	"debug/elf"
	"encoding/binary"
	"sort"
)

// dwLangGo is DW_LANG_Go: compile units of any other language in a Go
// program hold the C code of cgo (and of runtime/cgo).
const dwLangGo = 0x16

// cgoPrefix starts the name of every C function of a Go program, as
// Delve names them ("C.helloworld"); "helloworld" alone still finds it
// (LookupFunc matches a suffix after '.').
const cgoPrefix = "C."

// hasCCode reports whether a Go executable may hold C code: it is
// dynamically linked (runtime/cgo) or was linked by a C linker (.init).
// Pure Go programs skip the C index and keep loading DWARF lazily.
func hasCCode(f *elf.File) bool {
	return f.Section(".interp") != nil || f.Section(".init") != nil
}

// cgoFuncs returns the C functions of a cgo program, which .gopclntab
// does not cover: the sized function symbols of .symtab outside every Go
// function, named "C.<symbol>" with C set. goFuncs must be sorted by
// Entry. Their declaration positions and lines come from DWARF later, on
// first use (cgoDWARF): decompressing a Go program's DWARF would triple
// the time Open takes.
//
// Go's internal linker (runtime/cgo without a C linker) puts the C code
// of host objects in .gopclntab itself, with no file and no line: those
// functions are marked C too, so that their pcs do not take Go lines.
func (t *Table) cgoFuncs(goFuncs []*Func) []*Func {
	funcs := rawELFFuncs(t.f, func(pc uint64) bool { return coveredBy(goFuncs, pc) })
	for _, fn := range funcs {
		markC(fn)
	}
	n := len(funcs)
	for _, fn := range goFuncs {
		if fn.File == "" && fn.Line <= 0 {
			markC(fn)
			n++
		}
	}
	t.hasC = n > 0
	return funcs
}

func markC(fn *Func) { fn.Name, fn.C = cgoPrefix+fn.Name, true }

// cgoDWARF reads, once, the line programs and subprograms of the C
// compile units: the pc→line rows of C code and the declaration position
// of each C function. Every accessor that hands out a C function calls it
// first, so that the File and Line it sets are seen by every reader.
func (t *Table) cgoDWARF() {
	t.cOnce.Do(func() {
		defer func() {
			if recover() != nil { // corrupt DWARF: C functions keep their ELF names only
				t.cLines = lineTable{}
			}
		}()
		if !t.hasDWARF {
			return
		}
		d, err := t.dwarf()
		if err != nil {
			return
		}
		var decls []*Func
		decls, t.cLines = dwarfCUnits(d, t.dwInfo)
		for _, dc := range decls {
			i := sort.Search(len(t.funcs), func(i int) bool { return t.funcs[i].Entry >= dc.Entry })
			if i < len(t.funcs) && t.funcs[i].Entry == dc.Entry && t.funcs[i].C {
				t.funcs[i].File, t.funcs[i].Line = dc.File, dc.Line
			}
		}
	})
}

// dwarfCUnits reads the subprograms and line programs of the compile
// units that are not Go, seeking from unit to unit so that the Go units'
// entries are never decoded.
func dwarfCUnits(d *dwarf.Data, info []byte) ([]*Func, lineTable) {
	var funcs []*Func
	var lt lineTable
	index := map[string]uint32{}
	r := d.Reader()
	for _, off := range unitEntryOffsets(info) {
		r.Seek(off)
		cu, err := r.Next()
		if err != nil || cu == nil || cu.Tag != dwarf.TagCompileUnit {
			continue
		}
		if lang, _ := cu.Val(dwarf.AttrLanguage).(int64); lang == dwLangGo || !cu.Children {
			continue
		}
		if lt.addUnit(d, cu, index) != nil {
			continue
		}
		funcs = append(funcs, unitSubprograms(d, r, cu)...)
	}
	lt.sort()
	return funcs, lt
}

// unitSubprograms collects the functions with code among the entries of
// one unit, the reader positioned just after the unit's own entry.
func unitSubprograms(d *dwarf.Data, r *dwarf.Reader, cu *dwarf.Entry) []*Func {
	files := cuFiles(d, cu)
	var funcs []*Func
	w := &walker{r: r, started: true, last: cu.Offset}
	for depth := 1; depth > 0; {
		e, err := w.next()
		if err != nil || e == nil {
			return funcs
		}
		if e.Tag == 0 {
			depth--
			continue
		}
		if e.Tag == dwarf.TagSubprogram {
			if fn := subprogramFunc(e, files); fn != nil && fn.End > fn.Entry {
				funcs = append(funcs, fn)
			}
		}
		if e.Children {
			if e.Tag == dwarf.TagSubprogram || e.Tag == dwarf.TagLexDwarfBlock {
				r.SkipChildren() // nested entries are not functions of their own
				continue
			}
			depth++
		}
	}
	return funcs
}

// coveredBy reports whether pc lies in one of funcs (sorted by Entry).
func coveredBy(funcs []*Func, pc uint64) bool {
	i := sort.Search(len(funcs), func(i int) bool { return funcs[i].Entry > pc }) - 1
	return i >= 0 && pc < funcs[i].End
}

// rawELFFuncs returns the sized STT_FUNC symbols of .symtab for which
// covered is false. It walks the raw table and decodes a name only for
// those: a Go program has tens of thousands of symbols, nearly all Go.
func rawELFFuncs(f *elf.File, covered func(pc uint64) bool) []*Func {
	syms, strs, ok := rawSymtab(f)
	if !ok {
		return nil
	}
	var funcs []*Func
	seen := map[uint64]bool{}
	for off := entSize; off+entSize <= len(syms); off += entSize {
		s := syms[off : off+entSize]
		value, size := binary.LittleEndian.Uint64(s[8:]), binary.LittleEndian.Uint64(s[16:])
		shndx := elf.SectionIndex(binary.LittleEndian.Uint16(s[6:]))
		if elf.ST_TYPE(s[4]) != elf.STT_FUNC || value == 0 || size == 0 || shndx == elf.SHN_UNDEF || seen[value] || covered(value) {
			continue
		}
		name := cString(strs, binary.LittleEndian.Uint32(s[0:]))
		if name == "" {
			continue
		}
		seen[value] = true
		funcs = append(funcs, &Func{Name: name, Entry: value, End: value + size})
	}
	return funcs
}

// entSize is the size of an Elf64_Sym: name, info, other, shndx, value,
// size.
const entSize = 24

// rawSymtab returns the bytes of .symtab and .strtab, undecoded.
func rawSymtab(f *elf.File) (syms, strs []byte, ok bool) {
	symtab, strtab := f.Section(".symtab"), f.Section(".strtab")
	if symtab == nil || strtab == nil {
		return nil, nil, false
	}
	syms, err := symtab.Data()
	if err != nil {
		return nil, nil, false
	}
	strs, err = strtab.Data()
	return syms, strs, err == nil
}

// cString returns the NUL-terminated string at off in a string table.
func cString(strs []byte, off uint32) string {
	if int64(off) >= int64(len(strs)) {
		return ""
	}
	b := strs[off:]
	if i := bytes.IndexByte(b, 0); i >= 0 {
		b = b[:i]
	}
	return string(b)
}

// linesFor returns the pc→line rows that describe fn: the C rows of a
// cgo program for its C functions, the program's own rows otherwise.
func (t *Table) linesFor(fn *Func) *lineTable {
	if fn != nil && fn.C {
		t.cgoDWARF()
		return &t.cLines
	}
	return &t.lines
}
