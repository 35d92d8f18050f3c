package target

import (
	"github.com/godbg/godbg/pkg/proc"
	"github.com/godbg/godbg/pkg/proc/goroutines"
	"github.com/godbg/godbg/pkg/proc/stack"
	"github.com/godbg/godbg/pkg/proc/values"
	"github.com/godbg/godbg/pkg/proc/variables"
	"github.com/godbg/godbg/pkg/symbols"
)

// Image is one executable as loaded in the processes that run it: its
// symbols (opened in the background, so that loading overlaps the launch
// or attach), its load bias, its shared libraries and the decoded code
// of the functions stepping looked at.
//
// An Image is used under the debugger's lock: it is not safe for
// concurrent use, except that its symbols load concurrently.
type Image struct {
	done    chan struct{}
	tab     *symbols.Table
	err     error
	bias    uint64
	biasSet bool

	code map[*symbols.Func][]symbols.Inst // decoded functions, for stepping

	// libs are the shared libraries of the processes running the image,
	// read at stop libsScan (0: never).
	libs     []*Lib
	libsScan int
}

// LoadImage starts loading the symbols of the executable at path.
// gate (churn; nil: none) lets the background warm-up work only while
// the program is stopped.
func LoadImage(path string, gate *WarmGate) *Image {
	img := &Image{done: make(chan struct{})}
	go func() {
		img.tab, img.err = symbols.Open(path)
		close(img.done)
		if img.tab != nil {
			warm(img.tab, gate)
		}
	}()
	return img
}

// warm does the one-time loading that stepping, stacks and goroutines
// need (DWARF, call frame tables, the runtime's layout) in the
// background, while the program starts, instead of in the user's first
// next or stack. Each step waits for the gate: it runs only while the
// program is stopped.
func warm(tab *symbols.Table, gate *WarmGate) {
	// dap: first, for an editor's breakpoints right after launch (at once
	// with EagerLines).
	first := gate.wait
	if gate != nil && gate.EagerLines {
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
	if gate.wait() {
		variables.Prepare(tab) // the first print, locals or call after a stop
	}
	if gate.wait() {
		values.Prepare(tab) // the first interface, package variable or conversion
	}
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

// Table waits for the image's symbols; nil if they failed to load (or a
// nil Image: the executable was not found). p is a process running the
// image (for a PIE's load bias).
func (img *Image) Table(p proc.Inspector) *symbols.Table {
	if img == nil {
		return nil
	}
	<-img.done
	if img.tab != nil && !img.biasSet {
		img.biasSet = true
		if img.tab.PIE() {
			if entry, err := p.EntryPoint(); err == nil {
				img.bias = entry - img.tab.Entry()
			}
		}
	}
	return img.tab
}

// Bias is the image's load bias in p (0 without symbols).
func (img *Image) Bias(p proc.Inspector) uint64 {
	if img.Table(p) == nil {
		return 0
	}
	return img.bias
}

// Err is why the symbols failed to load (nil: they loaded, or are still
// loading, or there is no Image).
func (img *Image) Err() error {
	if img == nil {
		return nil
	}
	select {
	case <-img.done:
		return img.err
	default:
		return nil
	}
}

// Loaded reports, without waiting, whether the symbols have finished
// loading (successfully or not).
func (img *Image) Loaded() bool {
	if img == nil {
		return false
	}
	select {
	case <-img.done:
		return true
	default:
		return false
	}
}

// Rebased forgets the load bias: the next process runs a PIE elsewhere.
func (img *Image) Rebased() {
	if img != nil {
		img.biasSet = false
	}
}

// Code returns a function's instructions, decoded once per image.
func (img *Image) Code(p proc.Inspector, fn *symbols.Func) []symbols.Inst {
	if img.code == nil {
		img.code = map[*symbols.Func][]symbols.Inst{}
	}
	c, ok := img.code[fn]
	if !ok {
		c = img.Table(p).FuncCode(fn)
		img.code[fn] = c
	}
	return c
}
