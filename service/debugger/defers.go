package debugger

import (
	"github.com/godbg/godbg/pkg/proc/goroutines"
	ptarget "github.com/godbg/godbg/pkg/proc/target"
	"github.com/godbg/godbg/pkg/symbols"
	"github.com/godbg/godbg/service/api"
)

// attachDefers gives each frame of the current goroutine the deferred
// calls it registered: a _defer record belongs to the innermost frame
// whose CFA is above the record's stack pointer (Delve's rule).
func (d *Debugger) attachDefers(frames []ptarget.Frame, out []api.Frame) {
	tab := d.table()
	if tab == nil || !tab.IsGo() {
		return
	}
	r, err := d.goReader()
	if err != nil {
		return
	}
	g, err := d.curGoroutine(r)
	if err != nil {
		return
	}
	defers, ok := r.Defers(g.Addr)
	if !ok {
		return
	}
	i := 0
	for k := range frames {
		if frames[k].Inlined || frames[k].CFA == 0 {
			continue
		}
		for ; i < len(defers) && defers[i].SP < frames[k].CFA; i++ {
			out[k].Defers = append(out[k].Defers, d.apiDefer(tab, defers[i]))
		}
	}
}

// apiDefer describes one deferred call, unwrapping a deferwrap.
func (d *Debugger) apiDefer(tab *symbols.Table, df goroutines.Defer) api.Defer {
	bias := d.bias()
	pc := df.Fn
	if fn := tab.PCToFunc(pc - bias); fn != nil {
		file, _, _ := tab.PCToLine(fn.Entry)
		if ptarget.IsWrapper(fn, file) {
			for _, in := range d.code(fn) {
				if t := tab.PCToFunc(in.Target); in.Call && t != nil && !isRuntimeFunc(t.Name) {
					pc = t.Entry + bias
					break
				}
			}
		}
	}
	by := df.PC
	if by != 0 {
		by-- // a return address: the line of the defer statement
	}
	return api.Defer{Deferred: d.location(pc), DeferredBy: d.location(by)}
}
