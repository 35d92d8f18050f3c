package debugger

import (
	"github.com/godbg/godbg/pkg/proc"
	"github.com/godbg/godbg/pkg/proc/goroutines"
	"github.com/godbg/godbg/pkg/proc/stack"
	"github.com/godbg/godbg/pkg/symbols"
	"github.com/godbg/godbg/service/api"
)

// symbolsLoader opens an executable's symbols in the background, so that
// loading overlaps the launch or attach.
type symbolsLoader struct {
	done chan struct{}
	tab  *symbols.Table
	err  error
	bias uint64
	set  bool
}

func loadSymbols(path string, gate *warmGate) *symbolsLoader {
	l := &symbolsLoader{done: make(chan struct{})}
	go func() {
		l.tab, l.err = symbols.Open(path)
		close(l.done)
		if l.tab != nil {
			warm(l.tab, gate)
		}
	}()
	return l
}

// warm does the one-time loading that stepping, stacks and goroutines
// need (DWARF, call frame tables, the runtime's layout) in the
// background, while the program starts, instead of in the user's first
// next or stack. Each step waits for the gate: it runs only while the
// program is stopped.
func warm(tab *symbols.Table, gate *warmGate) {
	// dap: first, for an editor's breakpoints right after launch (at once
	// with Config.EagerLines).
	first := gate.wait
	if gate != nil && gate.eagerLines {
		first = gate.waitStopped
	}
	if !first() {
		return
	}
	warmLines(tab)
	if tab.IsGo() && gate.wait() {
		go goroutines.LoadLayout(tab) // beside the unwinder's: a first next needs both
	}
	if gate.wait() {
		stack.Prepare(tab)
	}
}

// table waits for the image's symbols; nil if they failed to load. p is
// a process running the image (for a PIE's load bias).
func (img *image) table(p proc.Process) *symbols.Table {
	l := img.symbols
	if l == nil {
		return nil
	}
	<-l.done
	if l.tab != nil && !l.set {
		l.set = true
		if l.tab.PIE() {
			if entry, err := p.EntryPoint(); err == nil {
				l.bias = entry - l.tab.Entry()
			}
		}
	}
	return l.tab
}

func (img *image) bias(p proc.Process) uint64 {
	if img.table(p) == nil {
		return 0
	}
	return img.symbols.bias
}

// table waits for the current target's symbols; nil if they failed.
func (d *Debugger) table() *symbols.Table { return d.tgt.img.table(d.proc()) }

func (d *Debugger) bias() uint64 { return d.tgt.img.bias(d.proc()) }

// location describes pc with the current target's symbols, or those of
// the shared library it is in.
func (d *Debugger) location(pc uint64) api.Location {
	loc := d.tgt.img.location(d.proc(), pc)
	if loc.Function == "" && !d.isCore {
		if l, ok := d.libLocation(d.proc(), d.tgt.img, pc); ok {
			return l
		}
	}
	return loc
}

func (img *image) location(p proc.Process, pc uint64) api.Location {
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
	b := img.symbols.bias
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

// warmLines builds the index of which compile unit has which file's lines
// (dap: an editor sets line breakpoints as soon as the program is
// launched), by looking up the file of main.main (a C program's main).
func warmLines(tab *symbols.Table) {
	for _, name := range []string{"main.main", "main"} {
		if fn, err := tab.LookupFunc(name); err == nil && fn.File != "" {
			tab.LineToPCs(fn.File, 0)
			return
		}
	}
}
