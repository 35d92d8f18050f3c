package debugger

import (
	"fmt"
	"strings"

	"github.com/godbg/godbg/pkg/proc/variables"
	"github.com/godbg/godbg/service/api"
)

// DeferredArgs returns the arguments of the n-th (from 1) pending
// deferred call of the selected frame, as the call will receive them.
// Since Go 1.17 `defer f(x+1)` defers a closure (a deferwrap) that
// captured the evaluated arguments; they are read from its captured
// slots, matched in order with f's parameters. A constant argument is not
// captured (the wrapper's code holds it): then the arguments cannot be
// matched and an error says so.
func (d *Debugger) DeferredArgs(n int, c api.LoadConfig) ([]api.Variable, error) {
	d.mu.Lock()
	defer d.mu.Unlock()
	p, err := d.live()
	if err != nil {
		return nil, err
	}
	tab := d.table()
	if tab == nil || !tab.IsGo() {
		return nil, fmt.Errorf("deferred: only Go programs have deferred calls")
	}
	r, err := d.goReader()
	if err != nil {
		return nil, err
	}
	g, err := d.curGoroutine(r)
	if err != nil {
		return nil, err
	}
	frames, _ := d.unwind(d.frame + 2)
	if d.frame >= len(frames) {
		return nil, fmt.Errorf("deferred: no frame %d", d.frame)
	}
	lo := uint64(0)
	if d.frame > 0 {
		lo = frames[d.frame-1].CFA
	}
	hi := frames[d.frame].CFA
	defers, _ := r.Defers(g.Addr)
	var mine []int
	for i, df := range defers {
		if df.SP < hi && df.SP >= lo {
			mine = append(mine, i)
		}
	}
	if n < 1 || n > len(mine) {
		return nil, fmt.Errorf("deferred %d: frame %d has %d deferred calls (stack -defer lists them)", n, d.frame, len(mine))
	}
	df := defers[mine[n-1]]
	bias := d.bias()
	wrap := tab.PCToFunc(df.Fn - bias)
	if wrap == nil {
		return nil, fmt.Errorf("deferred %d: no function at %#x", n, df.Fn)
	}
	callee, fv := wrap, uint64(0)
	if strings.Contains(wrap.Name, "deferwrap") {
		for _, in := range d.code(wrap) {
			if t := tab.PCToFunc(in.Target); in.Call && t != nil && !isRuntimeFunc(t.Name) {
				callee = t
				break
			}
		}
		fv = df.FnVal
	}
	fr, err := variables.NewFrame(tab, variables.FrameConfig{
		PC: callee.Entry + bias, Bias: bias, CFA: 1,
		Regs: func(int) (uint64, error) { return 0, fmt.Errorf("not called yet") },
		Mem: func(a uint64, b []byte) error {
			_, err := p.ReadMemory(a, b)
			return err
		},
	})
	if err != nil {
		return nil, fmt.Errorf("deferred %d: %s: %w", n, callee.Name, err)
	}
	args := fr.Args()
	var params []*variables.FrameVar
	for _, a := range args {
		if a.Kind == variables.Arg {
			params = append(params, a)
		}
	}
	if callee == wrap || fv == 0 {
		if len(params) == 0 {
			return nil, nil
		}
		return nil, fmt.Errorf("deferred %d: %s is deferred directly; its arguments are not stored", n, callee.Name)
	}
	slots := tab.ClosureLoads(wrap)
	if len(slots) != len(params) {
		return nil, fmt.Errorf("deferred %d: %s takes %d arguments but its defer captured %d (constant arguments are not stored)", n, callee.Name, len(params), len(slots))
	}
	l, err := d.loader()
	if err != nil {
		return nil, err
	}
	var out []api.Variable
	for i, a := range params {
		v := l.Load(p, a.Name, a.Type, fv+uint64(slots[i]), loadConfig(c))
		out = append(out, apiVariable(v, c.Multiline, 1))
	}
	return out, nil
}
