package debugger

import (
	"github.com/godbg/godbg/pkg/proc"
	ptarget "github.com/godbg/godbg/pkg/proc/target"
	"github.com/godbg/godbg/pkg/symbols"
	"github.com/godbg/godbg/service/api"
)

// loadSymbols starts loading the executable at path in the background,
// so that loading overlaps the launch or attach.
func loadSymbols(path string, gate *ptarget.WarmGate) *ptarget.Image {
	return ptarget.LoadImage(path, gate)
}

// table waits for the image's symbols; nil if they failed to load. p is
// a process running the image (for a PIE's load bias).
func (img *image) table(p proc.Inspector) *symbols.Table { return img.bin.Table(p) }

func (img *image) bias(p proc.Inspector) uint64 { return img.bin.Bias(p) }

// table waits for the current target's symbols; nil if they failed.
func (d *Debugger) table() *symbols.Table { return d.tgt.img.table(d.proc()) }

func (d *Debugger) bias() uint64 { return d.tgt.img.bias(d.proc()) }

// location describes pc with the current target's symbols, or those of
// the shared library it is in.
func (d *Debugger) location(pc uint64) api.Location {
	loc := d.tgt.img.location(d.proc(), pc)
	if loc.Function == "" {
		if l, ok := d.libLocation(d.proc(), d.tgt.img, pc); ok {
			return l
		}
	}
	return loc
}

func (img *image) location(p proc.Inspector, pc uint64) api.Location {
	loc := api.Location{PC: pc}
	t := img.table(p)
	if t == nil {
		return loc
	}
	if l, ok := img.locs[pc]; ok {
		return l
	}

	defer func() {
		if img.locs == nil || len(img.locs) >= 1<<16 {
			img.locs = map[uint64]api.Location{}
		}
		img.locs[pc] = loc
	}()
	b := img.bin.Bias(p)
	file, line, fn := t.PCToLine(pc - b)
	if fn == nil {
		fn = t.PCToFunc(pc - b)
	}
	if fn != nil {
		loc.Function = fn.Name
		loc.Offset = pc - b - fn.Entry
	}
	loc.File, loc.Line = file, line
	return loc
}

// symbolAddr resolves a function name to its run-time entry.
func (d *Debugger) symbolAddr(name string) (uint64, error) {
	t := d.table()
	if t == nil {
		return 0, errNoSymbols
	}
	fn, err := t.LookupFunc(name)
	if err != nil {
		return 0, err
	}
	return fn.Entry + d.bias(), nil
}
