package symbols

import (
	"bytes"
	"compress/zlib"
	"debug/dwarf"
	"debug/elf"
	"encoding/binary"
	"errors"
	"fmt"
	"io"
)

// dwarf loads the DWARF sections needed for functions and lines, once
// (and keeps .debug_info's bytes, which the Data holds anyway, in dwInfo).
// Frame, location and range sections are not read: they are large in Go
// binaries and not needed here.
func (t *Table) dwarf() (*dwarf.Data, error) {
	t.dwOnce.Do(func() {
		defer func() {
			if r := recover(); r != nil {
				t.dw, t.dwErr = nil, fmt.Errorf("corrupt DWARF (%v)", r)
			}
		}()
		t.dw, t.dwInfo, t.dwErr = loadDWARF(t.f)
	})
	return t.dw, t.dwErr
}

func loadDWARF(f *elf.File) (*dwarf.Data, []byte, error) {
	var sec [4][]byte
	for i, name := range []string{"abbrev", "info", "line", "str"} {
		data, err := debugSection(f, name)
		if err != nil {
			return nil, nil, err
		}
		sec[i] = data
	}
	if sec[1] == nil {
		return nil, nil, errors.New("no .debug_info section")
	}
	d, err := dwarf.New(sec[0], nil, nil, sec[1], sec[2], nil, nil, sec[3])
	if err != nil {
		return nil, nil, err
	}
	for _, name := range []string{"addr", "line_str", "str_offsets"} {
		data, err := debugSection(f, name)
		if err != nil {
			return nil, nil, err
		}
		if data != nil {
			if err := d.AddSection(".debug_"+name, data); err != nil {
				return nil, nil, err
			}
		}
	}
	touchUnits(d, sec[1]) // readers on several goroutines (warm, cgoDWARF) must not race
	return d, sec[1], nil
}

// debugSection returns the uncompressed contents of .debug_<name>, or of
// the old-style compressed .zdebug_<name>; nil if absent. debug/elf itself
// decompresses SHF_COMPRESSED sections.
func debugSection(f *elf.File, name string) ([]byte, error) {
	if s := f.Section(".debug_" + name); s != nil {
		data, err := s.Data()
		if err != nil {
			return nil, fmt.Errorf("read .debug_%s: %w", name, err)
		}
		return data, nil
	}
	s := f.Section(".zdebug_" + name)
	if s == nil {
		return nil, nil
	}
	data, err := s.Data()
	if err != nil {
		return nil, fmt.Errorf("read .zdebug_%s: %w", name, err)
	}
	return unzdebug(data, name)
}

// maxSectionSize bounds decompressed sizes claimed by corrupt headers.
const maxSectionSize = 1 << 30

// unzdebug decodes a .zdebug section: "ZLIB", a big-endian 64-bit size and
// a zlib stream.
func unzdebug(data []byte, name string) ([]byte, error) {
	if len(data) < 12 || string(data[:4]) != "ZLIB" {
		return data, nil
	}
	size := binary.BigEndian.Uint64(data[4:12])
	if size > maxSectionSize {
		return nil, fmt.Errorf(".zdebug_%s: size %d too large", name, size)
	}
	zr, err := zlib.NewReader(bytes.NewReader(data[12:]))
	if err != nil {
		return nil, fmt.Errorf(".zdebug_%s: %w", name, err)
	}
	out := make([]byte, size)
	if _, err := io.ReadFull(zr, out); err != nil {
		return nil, fmt.Errorf(".zdebug_%s: %w", name, err)
	}
	return out, nil
}

// walker wraps a dwarf.Reader and fails instead of looping forever: on
// some corrupt inputs debug/dwarf returns the same empty entry endlessly.
type walker struct {
	r       *dwarf.Reader
	last    dwarf.Offset
	started bool
	nulls   int // consecutive null entries
}

// maxNulls bounds runs of null entries, which close nested children and
// so cannot be longer than the nesting depth.
const maxNulls = 1024

// errStuck reports a DWARF reader that stopped advancing.
var errStuck = errors.New("corrupt .debug_info: entries do not advance")

func (w *walker) next() (*dwarf.Entry, error) {
	e, err := w.r.Next()
	if err != nil || e == nil {
		return e, err
	}
	if e.Tag == 0 { // null entries carry no offset
		if w.nulls++; w.nulls > maxNulls {
			return nil, errStuck
		}
		return e, nil
	}
	w.nulls = 0
	if w.started && e.Offset <= w.last {
		return nil, errStuck
	}
	w.started, w.last = true, e.Offset
	return e, nil
}
