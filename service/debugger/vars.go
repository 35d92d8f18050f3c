package debugger

import (
	"errors"
	"fmt"
	"regexp"
	"strings"

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
	vf, _ := d.varFrameIn(frames, d.frame)
	sc := expr.NewFrameScope(d.table(), vf, l, d.tgt.Memory())
	d.rangeScopes(sc, d.frame)
	d.upFromSelected(sc) // runtime.frame(n)
	return sc, nil
}

// rangeScopes gives the scope of a range-over-func loop body (frame i)
// the frames of the enclosing bodies and of the loop's function, whose
// variables the body sees (Delve's TestRangeOverFuncNext evaluates x of
// the outer loop and result of the function in an inner body).
func (d *Debugger) rangeScopes(sc *expr.FrameScope, i int) {
	tab := d.table()
	frames, _ := d.unwind(i + 2)
	if i >= len(frames) {
		return
	}
	anchor := ptarget.RangeParent(tab, frames[i].Func)
	if anchor == "" {
		return
	}
	frames, _ = d.unwind(i + 64)
	l, err := d.loader()
	if err != nil {
		return
	}
	for j := i + 1; j < len(frames); j++ {
		fn := frames[j].Func
		if fn != anchor && ptarget.RangeParent(tab, fn) != anchor {
			continue
		}
		if vf, err := d.varFrameIn(frames, j); err == nil {
			sc.WithOuter(expr.NewFrameScope(tab, vf, l, d.tgt.Memory()))
		}
		if fn == anchor && !frames[j].Inlined {
			return
		}
	}
}

// varFrameIn finds the variables of frames[i]; an inlined frame gets its
// inlined call's (Delve's TestInlinedStacktraceAndVariables: the
// arguments and locals of the inlined function, not of the one it was
// inlined into).
func (d *Debugger) varFrameIn(frames []ptarget.Frame, i int) (*variables.Frame, error) {
	if k := inlinedLevel(frames, i); k > 0 && i+k == len(frames) { // the physical frame was cut off
		if more, _ := d.unwind(i + k + 16); len(more) > len(frames) {
			frames = more
		}
	}
	return d.varFrameOf(frames, i)
}

// inlinedLevel is how many inlined frames, frames[i] included, stand
// above the physical one: FrameConfig.Inlined for frames[i].
func inlinedLevel(frames []ptarget.Frame, i int) int {
	k := 0
	for j := i; j < len(frames) && frames[j].Inlined; j++ {
		k++
	}
	return k
}

// varFrameOf is varFrameIn on frames as they are (an inlined frame whose
// physical frame is not among them gets the physical function's scope).
func (d *Debugger) varFrameOf(frames []ptarget.Frame, i int) (*variables.Frame, error) {
	k := inlinedLevel(frames, i)
	if i+k == len(frames) {
		k = 0
	}
	return d.varFrameInlined(&frames[i], k)
}

// varFrame finds the variables of one unwound frame.
func (d *Debugger) varFrame(f *ptarget.Frame) (*variables.Frame, error) {
	return d.varFrameInlined(f, 0)
}

// varFrameInlined finds the variables of the scope of inlined call level
// k of a frame (FrameConfig.Inlined; 0: its function's).
func (d *Debugger) varFrameInlined(f *ptarget.Frame, k int) (*variables.Frame, error) {
	return ptarget.FrameVarsOf(d.table(), d.bias(), f, k, d.proc().ReadMemory)
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
	seen := map[string]bool{}
	for _, v := range s.Frame().Locals() {
		seen[v.Name] = true
		if re != nil && !re.MatchString(v.Name) {
			continue
		}
		av := apiVariable(s.LoadVar(v, loadConfig(c)), c.Multiline, 1)
		av.Shadowed = v.Shadowed
		out = append(out, av)
	}
	for _, v := range s.Frame().Args() {
		seen[v.Name] = true
	}
	// A range-over-func body's locals include the variables of the
	// enclosing bodies and of the loop's function it sees (as Delve's).
	for _, o := range s.Outer() {
		if o.Frame() == nil {
			continue
		}
		for _, v := range o.Frame().Vars() {
			if seen[v.Name] || v.Shadowed || strings.HasPrefix(v.Name, "#") || strings.HasPrefix(v.Name, "~") ||
				re != nil && !re.MatchString(v.Name) {
				continue
			}
			seen[v.Name] = true
			out = append(out, apiVariable(o.LoadVar(v, loadConfig(c)), c.Multiline, 1))
		}
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
	frameVarsHook = func(d *Debugger, frames []ptarget.Frame, i int, af *api.Frame) {
		vf, err := d.varFrameOf(frames, i)
		if err != nil {
			return
		}
		l, err := d.loader()
		if err != nil {
			return
		}
		s := expr.NewFrameScope(d.table(), vf, l, d.tgt.Memory())
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
