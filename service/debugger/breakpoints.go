package debugger

import (
	"errors"
	"fmt"
	"sort"
	"strconv"

	"github.com/godbg/godbg/pkg/locspec"
	"github.com/godbg/godbg/pkg/proc"
	"github.com/godbg/godbg/pkg/proc/eval"
	"github.com/godbg/godbg/pkg/proc/variables"
	"github.com/godbg/godbg/service/api"
)

// breakpoint is one logical breakpoint: a spec resolved to one or more
// addresses, each with its own variable binding for the condition.
type breakpoint struct {
	api.Breakpoint
	addrs    []uint64 // run-time addresses
	cond     *eval.Expr
	bindings map[uint64]*variables.Binding
	hitCond  func(n int) bool
	catch    *catch // a catchpoint has no addresses
}

type breakpoints struct {
	byID   map[int]*breakpoint
	byAddr map[uint64]*breakpoint
	nextID int
}

func (d *Debugger) bps() *breakpoints {
	if d.bp == nil {
		d.bp = &breakpoints{byID: map[int]*breakpoint{}, byAddr: map[uint64]*breakpoint{}, nextID: 1}
	}
	return d.bp
}

func (d *Debugger) CreateBreakpoint(name, spec, cond string) (*api.Breakpoint, error) {
	d.mu.Lock()
	defer d.mu.Unlock()
	if _, err := d.live(); err != nil {
		return nil, err
	}
	if name != "" {
		if _, err := strconv.Atoi(name); err == nil {
			return nil, fmt.Errorf("breakpoint name %q is a number; names must not be numbers", name)
		}
		if d.findBreakpoint(name) != nil {
			return nil, fmt.Errorf("a breakpoint named %s already exists", name)
		}
	}
	locs, err := d.resolve(spec)
	if err != nil {
		return nil, err
	}
	b := &breakpoint{Breakpoint: api.Breakpoint{Name: name, Spec: spec, HitsByThread: map[int]int{}}}
	for _, l := range locs {
		if d.bps().byAddr[l.PC] != nil {
			return nil, fmt.Errorf("breakpoint %d already exists at %s", d.bps().byAddr[l.PC].ID, spec)
		}
		b.addrs = append(b.addrs, l.PC)
		b.Locations = append(b.Locations, d.location(l.PC))
	}
	if err := d.setCond(b, cond); err != nil {
		return nil, err
	}
	if err := d.arm(b); err != nil {
		return nil, err
	}
	b.ID = d.bps().nextID
	d.bps().nextID++
	d.register(b)
	return d.apiBreakpoint(b), nil
}

func (d *Debugger) register(b *breakpoint) {
	d.bps().byID[b.ID] = b
	for _, a := range b.addrs {
		d.bps().byAddr[a] = b
	}
	d.updateStopOnExec()
}

// resolve turns a location spec into run-time addresses.
func (d *Debugger) resolve(spec string) ([]locspec.Location, error) {
	s, err := locspec.Parse(spec)
	if err != nil {
		return nil, err
	}
	if s.Kind == locspec.AddrSpec {
		return []locspec.Location{{PC: s.Addr}}, nil
	}
	t := d.table()
	if t == nil {
		return nil, fmt.Errorf("%w; only *0xADDR locations work", errNoSymbols)
	}
	var curFile string
	var curLine int
	if th, err := d.curThread(); err == nil {
		if r, err := th.Registers(); err == nil {
			curFile, curLine, _ = t.PCToLine(r.PC() - d.bias())
		}
	}
	locs, err := locspec.Resolve(s, t, curFile, curLine)
	if err != nil {
		return nil, err
	}
	for i := range locs {
		locs[i].PC += d.bias()
	}
	return locs, nil
}

// setCond compiles cond and binds its variables at every address.
func (d *Debugger) setCond(b *breakpoint, cond string) error {
	if cond == "" {
		b.cond, b.bindings, b.Cond = nil, nil, ""
		return nil
	}
	e, err := eval.Compile(cond)
	if err != nil {
		return err
	}
	t := d.table()
	if t == nil {
		return fmt.Errorf("conditions need symbols: %w", errNoSymbols)
	}
	bindings := map[uint64]*variables.Binding{}
	for _, a := range b.addrs {
		bd, err := variables.Bind(t, a-d.bias(), e.Names())
		if err != nil {
			return fmt.Errorf("condition %q: %w", cond, err)
		}
		bd.SetLoadBias(d.bias())
		bindings[a] = bd
	}
	b.cond, b.bindings, b.Cond = e, bindings, cond
	return nil
}

// arm plants the breakpoint's int3s with its hit logic.
func (d *Debugger) arm(b *breakpoint) error {
	p := d.proc()
	for i, a := range b.addrs {
		if err := p.SetBreakpoint(a, d.hitFunc(b, a)); err != nil {
			for _, done := range b.addrs[:i] {
				p.ClearBreakpoint(done)
			}
			return fmt.Errorf("cannot set a breakpoint at %#x: %w", a, err)
		}
	}
	return nil
}

func (d *Debugger) disarm(b *breakpoint) {
	for _, a := range b.addrs {
		d.proc().ClearBreakpoint(a)
	}
}

// hitFunc is evaluated on the tracer thread at every hit of one address.
func (d *Debugger) hitFunc(b *breakpoint, addr uint64) proc.BreakCond {
	return func(h proc.Hit) (bool, error) {
		if b.cond != nil {
			ok, err := evalCond(b, addr, h)
			if err != nil {
				return true, err
			}
			if !ok {
				return false, nil
			}
		}
		b.TotalHits++
		b.HitsByThread[h.Tid()]++
		if b.hitCond != nil && !b.hitCond(b.TotalHits) {
			return false, nil
		}
		return true, nil
	}
}

func evalCond(b *breakpoint, addr uint64, h proc.Hit) (bool, error) {
	r, err := h.Registers()
	if err != nil {
		return false, err
	}
	regs := func(n int) (uint64, error) { return r.DWARFRegister(n) }
	mem := func(a uint64, buf []byte) error { _, err := h.ReadMemory(a, buf); return err }
	ok, err := b.bindings[addr].EvalBool(b.cond, regs, mem)
	if err != nil {
		return false, fmt.Errorf("condition %q of breakpoint %d: %w", b.Cond, b.ID, err)
	}
	return ok, nil
}

func (d *Debugger) findBreakpoint(idOrName string) *breakpoint {
	if id, err := strconv.Atoi(idOrName); err == nil {
		return d.bps().byID[id]
	}
	for _, b := range d.bps().byID {
		if b.Name == idOrName {
			return b
		}
	}
	return nil
}

var errNoSuchBreakpoint = errors.New("no such breakpoint")

func (d *Debugger) mustFind(idOrName string) (*breakpoint, error) {
	b := d.findBreakpoint(idOrName)
	if b == nil {
		return nil, fmt.Errorf("%w %q; breakpoints lists them", errNoSuchBreakpoint, idOrName)
	}
	return b, nil
}

func (d *Debugger) apiBreakpoint(b *breakpoint) *api.Breakpoint {
	out := b.Breakpoint
	out.HitsByThread = make(map[int]int, len(b.HitsByThread))
	for k, v := range b.HitsByThread {
		out.HitsByThread[k] = v
	}
	return &out
}

func (d *Debugger) sortedBreakpoints() []*breakpoint {
	var out []*breakpoint
	for _, b := range d.bps().byID {
		out = append(out, b)
	}
	sort.Slice(out, func(i, j int) bool { return out[i].ID < out[j].ID })
	return out
}

// breakpointAt reports whether a breakpoint is set at pc.
func (d *Debugger) breakpointAt(pc uint64) bool {
	b := d.bps().byAddr[pc]
	return b != nil && !b.Disabled
}

// breakpointLines returns the lines of file holding a breakpoint.
func (d *Debugger) breakpointLines(file string) map[int]bool {
	m := map[int]bool{}
	for _, b := range d.bps().byID {
		for _, l := range b.Locations {
			if l.File == file && !b.Disabled {
				m[l.Line] = true
			}
		}
	}
	return m
}
