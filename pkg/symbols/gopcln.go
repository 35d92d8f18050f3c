package symbols

import (
	"bytes"
	"debug/elf"
	"debug/gosym"
	"encoding/binary"
	"errors"
	"fmt"
)

// loadPcln parses the Go runtime's pc-line table (.gopclntab). It is
// present even in stripped (-ldflags=-s -w) Go binaries.
func loadPcln(f *elf.File) (*gosym.Table, error) {
	text := f.Section(".text")
	if text == nil {
		return nil, errors.New("no .text section")
	}
	data, err := f.Section(".gopclntab").Data()
	if err != nil {
		return nil, fmt.Errorf("read .gopclntab: %w", err)
	}
	tab, err := gosym.NewTable(nil, gosym.NewLineTable(data, textStart(f, text)))
	if err != nil {
		return nil, err
	}
	return tab, nil
}

// textStart is where the Go text begins: runtime.text, which in a program
// linked by an external linker (cgo) follows C code at the start of .text.
// The table's pcs are offsets from it.
// Go's own linker starts .text with runtime.text and never emits .init,
// which every C toolchain's start files bring; only then is the raw
// symbol table scanned for that one name (decoding every symbol would
// cost more than the rest of loading).
func textStart(f *elf.File, text *elf.Section) uint64 {
	def := text.Addr
	if f.Section(".init") == nil {
		return def
	}
	syms, strs, ok := rawSymtab(f)
	if !ok {
		return def
	}
	i := bytes.Index(strs, []byte("\x00runtime.text\x00"))
	if i < 0 {
		return def
	}
	name := uint32(i + 1)
	for off := 0; off+entSize <= len(syms); off += entSize {
		if binary.LittleEndian.Uint32(syms[off:]) == name {
			return binary.LittleEndian.Uint64(syms[off+8:])
		}
	}
	return def
}

// pclnFuncs converts gosym's functions, filling in the declaration
// position from the line of the entry pc.
func pclnFuncs(tab *gosym.Table) []*Func {
	funcs := make([]*Func, len(tab.Funcs))
	all := make([]Func, len(tab.Funcs))
	for i := range tab.Funcs {
		g := &tab.Funcs[i]
		fn := &all[i]
		*fn = Func{Name: g.Name, Entry: g.Entry, End: g.End}
		fn.File, fn.Line, _ = tab.PCToLine(g.Entry)
		funcs[i] = fn
	}
	return funcs
}

// PCToLine returns the source position of the link-time address pc and its
// function; file is "" and line 0 when unknown.
func (t *Table) PCToLine(pc uint64) (file string, line int, fn *Func) {
	fn = t.PCToFunc(pc)
	if fn != nil && fn.C {
		file, line = t.linesFor(fn).lookup(pc)
		return file, line, fn
	}
	if t.pcln != nil {
		if fn == nil {
			return "", 0, nil
		}
		file, line = t.pclnLine(pc)
		return file, line, fn
	}
	file, line = t.lines.lookup(pc)
	return file, line, fn
}

// pclnLine guards gosym, which may panic on corrupt tables.
func (t *Table) pclnLine(pc uint64) (file string, line int) {
	defer func() {
		if recover() != nil {
			file, line = "", 0
		}
	}()
	file, line, _ = t.pcln.PCToLine(pc)
	return file, line
}
