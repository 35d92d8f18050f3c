package symbols

import (
	"debug/elf"
	"debug/gosym"
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
	tab, err := gosym.NewTable(nil, gosym.NewLineTable(data, text.Addr))
	if err != nil {
		return nil, err
	}
	return tab, nil
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
