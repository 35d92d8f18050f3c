package debugger

import (
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

func loadSymbols(path string) *symbolsLoader {
	l := &symbolsLoader{done: make(chan struct{})}
	go func() {
		defer close(l.done)
		l.tab, l.err = symbols.Open(path)
	}()
	return l
}

// table waits for the load; nil if it failed.
func (d *Debugger) table() *symbols.Table {
	l := d.symbols
	if l == nil {
		return nil
	}
	<-l.done
	if l.tab != nil && !l.set {
		l.set = true
		if l.tab.PIE() {
			if entry, err := d.proc().EntryPoint(); err == nil {
				l.bias = entry - l.tab.Entry()
			}
		}
	}
	return l.tab
}

func (d *Debugger) bias() uint64 {
	if d.table() == nil {
		return 0
	}
	return d.symbols.bias
}

// location describes pc with the executable's symbols.
func (d *Debugger) location(pc uint64) api.Location {
	loc := api.Location{PC: pc}
	t := d.table()
	if t == nil {
		return loc
	}
	b := d.symbols.bias
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
	return fn.Entry + d.symbols.bias, nil
}
