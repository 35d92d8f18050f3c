package debugger

import (
	"errors"
	"fmt"
	"regexp"

	"github.com/godbg/godbg/pkg/proc"
	"github.com/godbg/godbg/pkg/proc/expr"
	ptarget "github.com/godbg/godbg/pkg/proc/target"
	"github.com/godbg/godbg/pkg/proc/values"
	"github.com/godbg/godbg/pkg/proc/variables"
	"github.com/godbg/godbg/service/api"
)

// loader reads Go values of the current target's image.
func (d *Debugger) loader() (*values.Loader, error) {
	img := d.tgt.img
	if img.loader != nil {
		return img.loader, nil
	}
	tab := d.table()
	if tab == nil {
		return nil, d.noSymbolsErr()
	}
	l, err := values.NewLoader(tab, d.bias())
	if err != nil {
		return nil, err
	}
	img.loader = l
	return l, nil
}

// scope is the selected frame of the current goroutine, for expressions.
// A frame without debug information still sees package variables.
func (d *Debugger) scope() (*expr.FrameScope, error) {
	if _, err := d.live(); err != nil {
		return nil, err
	}
	l, err := d.loader()
	if err != nil {
		return nil, err
	}
	frames, err := d.unwind(d.frame + 2)
	if d.frame >= len(frames) {
		if err == nil {
			err = errors.New("no stack")
		}
		return nil, fmt.Errorf("frame %d: %w", d.frame, err)
	}
	vf, _ := d.varFrame(&frames[d.frame])
	sc := expr.NewFrameScope(d.table(), vf, l, d.proc())
	d.upFromSelected(sc) // stepb: runtime.frame(n)
	return sc, nil
}

// varFrame finds the variables of one unwound frame.
func (d *Debugger) varFrame(f *ptarget.Frame) (*variables.Frame, error) {
	return frameVarsOf(d.table(), d.bias(), f, d.proc().ReadMemory)
}

// loadConfig maps the API's limits onto the value loader's.
func loadConfig(c api.LoadConfig) values.LoadConfig {
	cfg := values.DefaultLoadConfig
	if c.MaxStringLen > 0 {
		cfg.MaxStringLen = c.MaxStringLen
	}
	if c.MaxArrayValues > 0 {
		cfg.MaxArrayValues = c.MaxArrayValues
	}
	if c.MaxDepth > 0 {
		cfg.MaxVariableRecurse = c.MaxDepth
	}
	return cfg
}

// apiVariable converts a loaded value, children down to depth levels.
func apiVariable(v *values.Value, multiline bool, depth int) api.Variable {
	av := api.Variable{Name: v.Name, Type: v.TypeName, Kind: v.Kind.String(), Addr: v.Addr, Len: v.Len, Cap: v.Cap, More: v.Truncated()}
	if v.Err != nil {
		av.Err = v.Err.Error()
		av.Value = values.Format(v) // (unreadable ...)
		return av
	}
	if multiline {
		av.Value = values.FormatMultiline(v)
	} else {
		av.Value = values.Format(v)
	}
	if depth > 0 {
		for _, c := range v.Children {
			if c != nil {
				av.Children = append(av.Children, apiVariable(c, false, depth-1))
			}
		}
	}
	return av
}

func (d *Debugger) Eval(src string, c api.LoadConfig) (*api.Variable, error) {
	d.mu.Lock()
	defer d.mu.Unlock()
	s, err := d.scope()
	if err != nil {
		return nil, err
	}
	v, err := expr.Eval(s, src, loadConfig(c))
	if err != nil {
		return nil, callHint(src, err) // call
	}
	av := apiVariable(v, c.Multiline, 1)
	return &av, nil
}

func (d *Debugger) WhatIs(src string) (string, error) {
	d.mu.Lock()
	defer d.mu.Unlock()
	s, err := d.scope()
	if err != nil {
		return "", err
	}
	return expr.WhatIs(s, src)
}

func (d *Debugger) SetVariable(lhs, rhs string) error {
	d.mu.Lock()
	defer d.mu.Unlock()
	s, err := d.scope()
	if err != nil {
		return err
	}
	if inj, ok := d.proc().(proc.CallInjector); ok {
		return expr.Assign(allocScope{s, inj}, lhs, rhs)
	}
	return expr.Assign(s, lhs, rhs)
}

// allocScope lets set put a new string's bytes, or a value boxed in an
// interface, in memory the live process maps for the debugger (the
// arena call uses for its string arguments; outside the Go heap).
type allocScope struct {
	*expr.FrameScope
	inj proc.CallInjector
}

func (a allocScope) AllocData(n int) (uint64, error) { return a.inj.AllocData(n) }

func (d *Debugger) Locals(filter string, c api.LoadConfig) ([]api.Variable, error) {
	d.mu.Lock()
	defer d.mu.Unlock()
	var re *regexp.Regexp
	if filter != "" {
		var err error
		if re, err = regexp.Compile(filter); err != nil {
			return nil, fmt.Errorf("bad locals filter %q: %w", filter, err)
		}
	}
	s, err := d.scope()
	if err != nil {
		return nil, err
	}
	if s.Frame() == nil {
		return nil, d.noFrameVars()
	}
	var out []api.Variable
	for _, v := range s.Frame().Locals() {
		if re != nil && !re.MatchString(v.Name) {
			continue
		}
		av := apiVariable(s.LoadVar(v, loadConfig(c)), c.Multiline, 1)
		av.Shadowed = v.Shadowed
		out = append(out, av)
	}
	return out, nil
}

func (d *Debugger) Args(c api.LoadConfig) ([]api.Variable, error) {
	d.mu.Lock()
	defer d.mu.Unlock()
	s, err := d.scope()
	if err != nil {
		return nil, err
	}
	if s.Frame() == nil {
		return nil, d.noFrameVars()
	}
	var out []api.Variable
	for _, v := range s.Frame().Args() {
		out = append(out, apiVariable(s.LoadVar(v, loadConfig(c)), c.Multiline, 1))
	}
	return out, nil
}

// noFrameVars explains a frame without variables: no debug information
// for its function (runtime assembly, C without -g, -ldflags=-w).
func (d *Debugger) noFrameVars() error {
	frames, _ := d.unwind(d.frame + 2)
	if d.frame < len(frames) {
		if _, err := d.varFrame(&frames[d.frame]); err != nil {
			return fmt.Errorf("no variables in frame %d: %w", d.frame, err)
		}
	}
	return fmt.Errorf("no variables in frame %d", d.frame)
}

// shortLoad keeps stack -full to a line per variable.
var shortLoad = values.LoadConfig{MaxStringLen: 64, MaxArrayValues: 8, MaxStructFields: 8}

func init() {
	frameVarsHook = func(d *Debugger, f *ptarget.Frame, af *api.Frame) {
		vf, err := d.varFrame(f)
		if err != nil {
			return
		}
		l, err := d.loader()
		if err != nil {
			return
		}
		s := expr.NewFrameScope(d.table(), vf, l, d.proc())
		for _, v := range vf.Args() {
			af.Args = append(af.Args, apiVariable(s.LoadVar(v, shortLoad), false, 0))
		}
		for _, v := range vf.Locals() {
			av := apiVariable(s.LoadVar(v, shortLoad), false, 0)
			av.Shadowed = v.Shadowed
			af.Locals = append(af.Locals, av)
		}
	}
}

// maxPackageVars bounds vars: the runtime alone has hundreds.
const maxPackageVars = 2000

// PackageVars lists package variables whose names match the regular
// expression filter (all if empty), with their values.
func (d *Debugger) PackageVars(filter string, c api.LoadConfig) ([]api.Variable, error) {
	d.mu.Lock()
	defer d.mu.Unlock()
	var re *regexp.Regexp
	if filter != "" {
		var err error
		if re, err = regexp.Compile(filter); err != nil {
			return nil, fmt.Errorf("bad vars filter %q: %w", filter, err)
		}
	}
	if _, err := d.live(); err != nil {
		return nil, err
	}
	tab := d.table()
	if tab == nil {
		return nil, d.noSymbolsErr()
	}
	names, err := variables.GlobalNames(tab)
	if err != nil {
		return nil, err
	}
	l, err := d.loader()
	if err != nil {
		return nil, err
	}
	var out []api.Variable
	for _, name := range names {
		if re != nil && !re.MatchString(name) {
			continue
		}
		if len(out) == maxPackageVars {
			out = append(out, api.Variable{Name: "...", Err: fmt.Sprintf("more than %d variables; give a narrower filter", maxPackageVars)})
			break
		}
		v, err := l.LoadGlobal(d.proc(), name, loadConfig(c))
		if err != nil {
			out = append(out, api.Variable{Name: name, Err: err.Error()})
			continue
		}
		out = append(out, apiVariable(v, c.Multiline, 0))
	}
	return out, nil
}
