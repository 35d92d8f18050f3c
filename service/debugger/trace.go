package debugger

import (
	"debug/dwarf"
	"encoding/binary"
	"errors"
	"fmt"
	"regexp"
	"time"

	"github.com/godbg/godbg/pkg/proc"
	"github.com/godbg/godbg/pkg/proc/expr"
	"github.com/godbg/godbg/pkg/proc/goroutines"
	ptarget "github.com/godbg/godbg/pkg/proc/target"
	"github.com/godbg/godbg/pkg/proc/values"
	"github.com/godbg/godbg/pkg/proc/variables"
	"github.com/godbg/godbg/pkg/symbols"
	"github.com/godbg/godbg/service/api"
)

// traceLoad keeps a traced value to one short line, as stack -full does.
var traceLoad = values.LoadConfig{MaxStringLen: 64, MaxArrayValues: 8, MaxStructFields: 8, MaxVariableRecurse: 1}

// tracer probes the functions of a godbg trace with breakpoints whose
// conditions report the call and never stop: only the hitting thread
// pauses, for as long as reading its arguments takes.
type tracer struct {
	cfg     api.TraceConfig
	tab     *symbols.Table
	bias    uint64
	loader  *values.Loader
	goidOff int // of runtime.g.goid; -1: not a Go program
	sink    func(api.TraceEvent)
	roots   map[string]bool // --follow-calls: the matched functions
}

// StartTrace plants probes on the entry and every return of each function
// matching cfg.Funcs in the current target; sink receives each call and
// return on the tracer thread while the program runs (Continue), and must
// be quick. It returns the names of the functions probed.
func (d *Debugger) StartTrace(cfg api.TraceConfig, sink func(api.TraceEvent)) ([]string, error) {
	d.mu.Lock()
	defer d.mu.Unlock()
	p, tr, sites, err := d.traceSetup(cfg)
	if err != nil {
		return nil, err
	}
	tr.sink = sink
	return tr.plant(p, sites)
}

// traceSetup finds the functions to trace and what reading their values
// needs; both backends start here.
func (d *Debugger) traceSetup(cfg api.TraceConfig) (proc.Process, *tracer, []symbols.ProbeSite, error) {
	p, err := d.running("a breakpoint")
	if err != nil {
		return nil, nil, nil, err
	}
	re, err := regexp.Compile(cfg.Funcs)
	if err != nil {
		return nil, nil, nil, fmt.Errorf("invalid regular expression %q: %w", cfg.Funcs, err)
	}
	tab := d.table()
	if tab == nil {
		return nil, nil, nil, d.noSymbolsErr()
	}
	sites, err := tab.TraceFuncs(re)
	if err != nil {
		return nil, nil, nil, err
	}
	tr := &tracer{cfg: cfg, tab: tab, bias: d.bias(), goidOff: -1}
	if cfg.FollowCalls > 0 {
		tr.roots = map[string]bool{}
		for _, s := range sites {
			tr.roots[s.Func.Name] = true
		}
		sites = tab.FollowCalls(sites, cfg.FollowCalls)
	}
	if tr.loader, err = d.loader(); err != nil && !cfg.NoValues {
		return nil, nil, nil, err
	}
	if l, err := goroutines.LoadLayout(tab); err == nil {
		if off, size := l.GoidField(); size == 8 {
			tr.goidOff = off
		}
	}
	return p, tr, sites, nil
}

// plant sets the probes; on failure it removes those already set.
func (tr *tracer) plant(p proc.Process, sites []symbols.ProbeSite) ([]string, error) {
	var set []uint64
	add := func(a uint64, c proc.BreakCond) error {
		if err := p.SetBreakpoint(a+tr.bias, c); err != nil {
			return err
		}
		set = append(set, a+tr.bias)
		return nil
	}
	var names []string
	for _, s := range sites {
		err := add(s.Entry, tr.hit(s.Func, false, nil, 0))
		cres, creg, _ := variables.CResult(tr.tab, s.Entry)
		for _, r := range s.Rets {
			if err == nil && !tr.cfg.NoReturns {
				err = add(r, tr.hit(s.Func, true, cres, creg))
			}
		}
		if err != nil && !errors.Is(err, proc.ErrBreakpointExists) {
			for _, a := range set {
				p.ClearBreakpoint(a)
			}
			return nil, fmt.Errorf("cannot trace %s in process %d: %w", s.Func.Name, p.Pid(), err)
		}
		names = append(names, s.Func.Name)
	}
	return names, nil
}

// hit reports one call (or return) of fn and lets the thread go on.
// cres is the type of a C function's result, returned in DWARF register
// creg (nil: none).
func (tr *tracer) hit(fn *symbols.Func, ret bool, cres dwarf.Type, creg int) proc.BreakCond {
	return func(h proc.Hit) (bool, error) {
		ev := api.TraceEvent{Func: fn.Name, Return: ret, Tid: h.Tid(), Time: time.Now()}
		r, err := h.Registers()
		if err == nil && tr.roots != nil {
			if ev.Depth = tr.rootDepth(r, h); ev.Depth == 0 {
				return false, nil // not called from a matched function
			}
		}
		if err == nil {
			if fn.C {
				ev.Goroutine = tr.cgoGoid(r, h)
			} else {
				ev.Goroutine = tr.goid(r, h)
			}
			if !tr.cfg.NoValues {
				ev.Values = tr.values(r, h, ret)
			}
			if cres != nil && !tr.cfg.NoValues && len(ev.Values) == 0 {
				ev.Values = tr.cResult(r, h, cres, creg)
			}
			if !ret && tr.cfg.Stack > 0 {
				ev.Stack = tr.callers(r, h)
			}
		}
		tr.sink(ev)
		return false, nil
	}
}

// goid reads the goroutine id through the g register (r14 in Go code).
func (tr *tracer) goid(r proc.Registers, h proc.Hit) int64 {
	if tr.goidOff < 0 {
		return 0
	}
	_, id, _ := ptarget.HitG(r, h, uint64(tr.goidOff))
	return id
}

// values reads the arguments (at a call) or results (at a return).
func (tr *tracer) values(r proc.Registers, h proc.Hit, ret bool) []api.TraceValue {
	vf, err := variables.NewFrame(tr.tab, variables.FrameConfig{
		PC: r.PC(), Bias: tr.bias,
		Regs: r.DWARFRegister,
		Mem:  func(a uint64, buf []byte) error { return readFull(h, a, buf) },
	})
	if err != nil {
		return nil
	}
	want := variables.Arg
	if ret {
		want = variables.Result
	}
	sc := expr.NewFrameScope(tr.tab, vf, tr.loader, readOnly{h})
	out := []api.TraceValue{}
	for _, v := range vf.Args() {
		if v.Kind != want {
			continue
		}
		val := sc.LoadVar(v, traceLoad)
		tv := api.TraceValue{Name: v.Name}
		if val.Err != nil {
			tv.Value = "(" + val.Err.Error() + ")"
		} else {
			tv.Value = values.Format(val)
		}
		out = append(out, tv)
	}
	return out
}

// cResult reads a C function's result from RAX (or XMM0) at its RET.
func (tr *tracer) cResult(r proc.Registers, h proc.Hit, t dwarf.Type, reg int) []api.TraceValue {
	bits, err := r.DWARFRegister(reg)
	if err != nil {
		return nil
	}
	var b [8]byte
	binary.LittleEndian.PutUint64(b[:], bits)
	v := tr.loader.LoadBytes(readOnly{h}, "~r0", t, b[:t.Size()], traceLoad)
	if v.Err != nil {
		return []api.TraceValue{{Name: "~r0", Value: "(" + v.Err.Error() + ")"}}
	}
	return []api.TraceValue{{Name: "~r0", Value: values.Format(v)}}
}

func readFull(h proc.Hit, a uint64, buf []byte) error {
	n, err := h.ReadMemory(a, buf)
	if err == nil && n != len(buf) {
		err = fmt.Errorf("short read at %#x: %d of %d bytes", a, n, len(buf))
	}
	return err
}

// callers unwinds the caller frames under a call.
func (tr *tracer) callers(r proc.Registers, h proc.Hit) []api.Location {
	regs, err := ptarget.RegsOf(r)
	if err != nil {
		return nil
	}
	frames, _ := ptarget.Unwind(tr.tab, tr.bias, regs, h, tr.cfg.Stack+1)
	var out []api.Location
	for _, f := range frames[min(1, len(frames)):] {
		out = append(out, api.Location{PC: f.PC, Function: f.Func, File: f.File, Line: f.Line})
	}
	return out
}

// readOnly is a hit's memory for expressions that only read.
type readOnly struct{ proc.Hit }

func (readOnly) WriteMemory(addr uint64, data []byte) (int, error) {
	return 0, errors.New("a trace probe does not write memory")
}
