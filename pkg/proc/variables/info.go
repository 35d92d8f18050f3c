package variables

import (
	"debug/dwarf"
	"encoding/binary"
	"errors"
	"fmt"

	"github.com/godbg/godbg/pkg/dwarf/frame"
	"github.com/godbg/godbg/pkg/symbols"
)

// info is the per-executable data Bind needs, loaded once per Table.
type info struct {
	d        *dwarf.Data
	rawInfo  []byte // .debug_info, for unit versions
	loc      []byte // .debug_loc
	loclists []byte // .debug_loclists
	addr     []byte // .debug_addr
	frames   []*frame.Table
	globals  map[string]dwarf.Offset
	isGo     bool
	funcs    funcIndexOnce // funcindex.go
}

// infoKey keys the DWARF sections variables reads among the Table's
// derived data: they live as long as the Table (symbols.Table.Derived).
type infoKey struct{}

type infoOnce struct {
	in  *info
	err error
}

func load(tab *symbols.Table) (*info, error) {
	o := tab.Derived(infoKey{}, func() any {
		in, err := loadInfo(tab)
		return &infoOnce{in, err}
	}).(*infoOnce)
	return o.in, o.err
}

// Prepare does, ahead of the first frame's variables, the one-time loading
// for tab: its DWARF sections, call frame tables, the index of package
// variables and the index of functions by pc (for a 20 MiB Go binary,
// 0.2 s of a first print, locals or call). Prepared reports whether it is
// done.
func Prepare(tab *symbols.Table) {
	if in, err := load(tab); err == nil {
		_, _ = in.funcIndex()
	}
}

// Prepared reports whether Prepare's loading is done for tab (or failed:
// a binary without DWARF has none to do).
func Prepared(tab *symbols.Table) bool {
	if !tab.Built(infoKey{}) {
		return false
	}
	in, err := load(tab)
	return err != nil || in.funcs.done.Load()
}

func loadInfo(tab *symbols.Table) (*info, error) {
	d, err := tab.DWARF()
	if err != nil {
		return nil, fmt.Errorf("%s: %w", tab.Path(), err)
	}
	in := &info{d: d, isGo: tab.IsGo()}
	for name, dst := range map[string]*[]byte{"info": &in.rawInfo, "loc": &in.loc, "loclists": &in.loclists, "addr": &in.addr} {
		if *dst, err = tab.DebugSection(name); err != nil {
			return nil, err
		}
	}
	if err := in.loadFrames(tab); err != nil {
		return nil, err
	}
	if in.globals, err = globals(d); err != nil {
		return nil, fmt.Errorf("%s: reading package variables: %w", tab.Path(), err)
	}
	return in, nil
}

// loadFrames parses .debug_frame and .eh_frame, whichever exist.
func (in *info) loadFrames(tab *symbols.Table) error {
	data, err := tab.DebugSection("frame")
	if err != nil {
		return err
	}
	if data != nil {
		t, err := frame.Parse(data, binary.LittleEndian, false, 0)
		if err != nil {
			return fmt.Errorf(".debug_frame: %w", err)
		}
		in.frames = append(in.frames, t)
	}
	if s := tab.ELF().Section(".eh_frame"); s != nil {
		data, err := s.Data()
		if err != nil {
			return fmt.Errorf(".eh_frame: %w", err)
		}
		t, err := frame.Parse(data, binary.LittleEndian, true, s.Addr)
		if err != nil {
			return fmt.Errorf(".eh_frame: %w", err)
		}
		in.frames = append(in.frames, t)
	}
	return nil
}

// cfaRule returns the CFA rule at pc.
func (in *info) cfaRule(pc uint64) (frame.CFARule, error) {
	err := error(&frame.PCError{PC: pc, Err: frame.ErrNoFDE})
	for _, t := range in.frames {
		fde, ferr := t.FDEFor(pc)
		if ferr != nil {
			continue
		}
		row, rerr := fde.RowAt(pc)
		if rerr == nil {
			return row.CFA, nil
		}
		err = rerr
	}
	return frame.CFARule{}, err
}

// globals indexes the variables declared at compile-unit level that have
// a location (Go package variables, C globals and file statics).
func globals(d *dwarf.Data) (map[string]dwarf.Offset, error) {
	out := map[string]dwarf.Offset{}
	r := d.Reader()
	for {
		e, err := r.Next()
		if err != nil || e == nil {
			return out, err
		}
		if e.Tag != dwarf.TagCompileUnit && e.Tag != dwarf.TagPartialUnit {
			r.SkipChildren()
			continue
		}
		if err := unitGlobals(r, out); err != nil {
			return out, err
		}
	}
}

func unitGlobals(r *dwarf.Reader, out map[string]dwarf.Offset) error {
	for {
		e, err := r.Next()
		if err != nil {
			return err
		}
		if e == nil || e.Tag == 0 {
			return nil
		}
		if e.Tag == dwarf.TagVariable && e.AttrField(dwarf.AttrLocation) != nil {
			if name, _ := e.Val(dwarf.AttrName).(string); name != "" {
				if _, dup := out[name]; !dup {
					out[name] = e.Offset
				}
			}
		}
		if e.Children {
			r.SkipChildren()
		}
	}
}

// unitVersion reads the DWARF version of the unit whose first DIE is at
// off: 5 has a 12-byte header, 2–4 an 11-byte one (32-bit DWARF).
func (in *info) unitVersion(off dwarf.Offset) int {
	o := int(off)
	if o >= 12 && binary.LittleEndian.Uint16(in.rawInfo[o-8:]) == 5 {
		return 5
	}
	if o >= 11 {
		if v := binary.LittleEndian.Uint16(in.rawInfo[o-7:]); v >= 2 && v <= 4 {
			return int(v)
		}
	}
	return 5
}

var errNoAddr = errors.New("no .debug_addr section")

// addrAt reads entry index of .debug_addr for a unit with addr_base base.
func (in *info) addrAt(base, index uint64) (uint64, error) {
	off := base + index*8
	if in.addr == nil {
		return 0, errNoAddr
	}
	if off+8 > uint64(len(in.addr)) || off < base {
		return 0, fmt.Errorf(".debug_addr index %d out of range", index)
	}
	return binary.LittleEndian.Uint64(in.addr[off:]), nil
}
