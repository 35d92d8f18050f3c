package symbols

import (
	"debug/dwarf"
	"debug/elf"
	"debug/gosym"
	"fmt"
	"io"
	"os"
	"sync"
)

// Table holds the symbols of one executable: its functions and its
// pc↔line mapping. All addresses are link-time addresses; the caller adds
// the load bias of a PIE. A Table is safe for concurrent use.
type Table struct {
	path   string
	f      *elf.File
	closer io.Closer // the file Open opened; nil for NewTable
	// derived: indexes other packages build from the table (derived.go).
	derived derivedStore

	pie      bool
	isGo     bool
	hasDWARF bool
	entry    uint64

	funcs  []*Func            // sorted by Entry
	byName map[string][]*Func // exact names

	pcln  *gosym.Table // Go pc→line; nil for C binaries
	lines lineTable    // DWARF pc→line rows for non-Go binaries

	// cgo (cgofuncs.go): a Go program's C functions.
	hasC   bool      // a Go program with C functions
	cOnce  sync.Once // cgoDWARF
	cLines lineTable // pc→line rows of the C compile units
	dwInfo []byte    // .debug_info, as dw holds it (set by dwarf)

	dwOnce sync.Once
	dw     *dwarf.Data
	dwErr  error

	mu        sync.Mutex
	sources   []string                     // lazily sorted source list
	cuFiles   map[string][]int             // file → indexes into cus
	cus       []*dwarf.Entry               // compile units, built with cuFiles
	fileLine  map[string]map[int][]stmtRow // file → line → line-table rows
	firstStmt map[*Func]uint64             // FirstStmtPC's answers
	declLines map[string][]int             // stepb: file → its functions' declaration lines (linetopc.go)

	codeMu sync.Mutex
	code   map[*Func][]Inst // FuncCode's answers
}

// Open opens the ELF executable at path and indexes its symbols.
func Open(path string) (*Table, error) {
	file, err := os.Open(path)
	if err != nil {
		return nil, fmt.Errorf("open executable: %w", err)
	}
	f, err := elf.NewFile(file)
	if err != nil {
		file.Close()
		return nil, &FormatError{Path: path, Reason: "not an ELF file", Err: err}
	}
	t, err := NewTable(f, path)
	if err != nil {
		file.Close()
		return nil, err
	}
	t.closer = file
	return t, nil
}

// NewTable indexes the symbols of an already opened ELF file; path is used
// in messages only. Close does not close f's underlying reader.
func NewTable(f *elf.File, path string) (t *Table, err error) {
	defer func() {
		if r := recover(); r != nil {
			t, err = nil, &FormatError{Path: path, Reason: fmt.Sprintf("corrupt symbol data (%v)", r)}
		}
	}()
	if err := checkHeader(f, path); err != nil {
		return nil, err
	}
	t = &Table{
		path:     path,
		f:        f,
		pie:      f.Type == elf.ET_DYN,
		entry:    f.Entry,
		isGo:     f.Section(".gopclntab") != nil,
		hasDWARF: f.Section(".debug_info") != nil || f.Section(".zdebug_info") != nil,
	}
	if err := t.load(); err != nil {
		return nil, err
	}
	return t, nil
}

func checkHeader(f *elf.File, path string) error {
	switch {
	case f.Class != elf.ELFCLASS64:
		return &FormatError{Path: path, Reason: fmt.Sprintf("not a 64-bit ELF file (%v)", f.Class)}
	case f.Machine != elf.EM_X86_64:
		return &FormatError{Path: path, Reason: fmt.Sprintf("not amd64 (machine %v)", f.Machine)}
	case f.Type != elf.ET_EXEC && f.Type != elf.ET_DYN:
		return &FormatError{Path: path, Reason: fmt.Sprintf("not an executable (type %v)", f.Type)}
	}
	return nil
}

// load builds the function and line indexes: from .gopclntab for Go, from
// DWARF for other programs, from the ELF symbol tables as a last resort.
func (t *Table) load() error {
	var funcs []*Func
	switch {
	case t.isGo:
		tab, err := loadPcln(t.f)
		if err != nil {
			return &FormatError{Path: t.path, Reason: "bad .gopclntab", Err: err}
		}
		t.pcln = tab
		funcs = pclnFuncs(tab)
		if hasCCode(t.f) {
			sortFuncs(funcs)
			funcs = append(funcs, t.cgoFuncs(funcs)...)
		}
	case t.hasDWARF:
		d, err := t.dwarf()
		if err != nil {
			return &FormatError{Path: t.path, Reason: "bad DWARF", Err: err}
		}
		if funcs, err = dwarfFuncs(d); err != nil {
			return &FormatError{Path: t.path, Reason: "bad DWARF", Err: err}
		}
		if t.lines, err = dwarfLines(d); err != nil {
			return &FormatError{Path: t.path, Reason: "bad DWARF line table", Err: err}
		}
	}
	var aliases []*Func
	if !t.isGo {
		funcs, aliases = mergeFuncs(funcs, elfFuncs(t.f))
	}
	t.setFuncs(funcs)
	// Other names of a known function (libc's write for __write) find it
	// by name; PCToFunc keeps one name per address.
	for _, a := range aliases {
		if fn := t.PCToFunc(a.Entry); fn != nil && fn.Entry == a.Entry && len(t.byName[a.Name]) == 0 {
			t.byName[a.Name] = []*Func{fn}
		}
	}
	return nil
}

// Close releases the file opened by Open.
func (t *Table) Close() error {
	if t.closer == nil {
		return nil
	}
	return t.closer.Close()
}

// Path returns the path the table was opened with.
func (t *Table) Path() string { return t.path }

// PIE reports whether the executable is position independent (ET_DYN).
func (t *Table) PIE() bool { return t.pie }

// Entry returns the ELF entry point (a link-time address).
func (t *Table) Entry() uint64 { return t.entry }

// IsGo reports whether the executable is a Go program (has .gopclntab).
func (t *Table) IsGo() bool { return t.isGo }

// HasDWARF reports whether the executable has DWARF debug information.
func (t *Table) HasDWARF() bool { return t.hasDWARF }

// ELF returns the underlying ELF file, for callers that need sections.
func (t *Table) ELF() *elf.File { return t.f }
