package terminal

import (
	"errors"
	"fmt"
	"os"
	"sort"
	"strings"

	"go.starlark.net/starlark"

	"github.com/godbg/godbg/service"
	"github.com/godbg/godbg/service/api"
)

// builtin is one Starlark builtin: its name, Delve's argument list (for
// help) and its function.
type builtin struct {
	name, args, doc string
	fn              builtinFunc
}

type builtinFunc = func(t *Term, args starlark.Tuple, kwargs []starlark.Tuple) (starlark.Value, error)

// starlarkBuiltins are Delve's builtins with its names (dlv_command;
// godbg_command is the same) and argument order; each returns a struct
// whose one field is named as Delve's (eval(...).Variable).
var starlarkBuiltins = []builtin{
	{"dlv_command", "(Command)", "runs a godbg command, printing its output.", bCommand},
	{"godbg_command", "(Command)", "is dlv_command.", bCommand},
	{"read_file", "(Path)", "returns the contents of a file.", bReadFile},
	{"write_file", "(Path, Text)", "writes text to a file.", bWriteFile},
	{"append_file", "(Path, Text)", "appends text to a file.", bAppendFile},
	{"eval", "(Scope, Expr, Cfg)", "evaluates Expr in the current frame (Scope.Frame selects another); returns .Variable.", bEval},
	{"set_expr", "(Scope, Symbol, Value)", "sets a variable.", bSetExpr},
	{"state", "()", "returns .State: the process state.", bState},
	{"process_pid", "()", "returns .Pid.", bPid},
	{"stacktrace", "(Id, Depth, Full)", "returns .Locations: the frames of the current goroutine.", bStack},
	{"threads", "()", "returns .Threads.", bThreads},
	{"goroutines", "()", "returns .Goroutines.", bGoroutines},
	{"breakpoints", "()", "returns .Breakpoints.", bBreakpoints},
	{"create_breakpoint", "(Breakpoint)", "sets a breakpoint at Breakpoint.File and .Line or .FunctionName (or a location string), with .Name and .Cond; returns .Breakpoint.", bCreateBreakpoint},
	{"clear_breakpoint", "(Id, Name)", "deletes a breakpoint; returns .Breakpoint.", byBreakpoint("clear_breakpoint", service.Client.ClearBreakpoint)},
	{"toggle_breakpoint", "(Id, Name)", "enables or disables a breakpoint; returns .Breakpoint.", byBreakpoint("toggle_breakpoint", service.Client.ToggleBreakpoint)},
	{"functions", "(Filter)", "returns .Funcs: function names matching a regular expression.", byFilter("functions", "Funcs", service.Client.ListFunctions)},
	{"sources", "(Filter)", "returns .Sources: source files matching a regular expression.", byFilter("sources", "Sources", service.Client.ListSources)},
	{"local_vars", "(Scope, Cfg)", "returns .Variables: the current frame's locals.", bLocals},
	{"function_args", "(Scope, Cfg)", "returns .Args: the current frame's arguments.", bArgs},
	{"package_vars", "(Filter, Cfg)", "returns .Variables: package variables matching a regular expression.", bPackageVars},
	{"registers", "(ThreadID, IncludeFp)", "returns .Regs: the current thread's registers.", bRegisters},
	{"restart", "()", "restarts the program.", bRestart},
	{"default_load_config", "()", "returns the load configuration print uses (0: the default).", bLoadConfig},
	{"cur_scope", "()", "returns the current scope (.GoroutineID, .Frame).", bCurScope},
	{"get_breakpoint", "(Id, Name)", "returns .Breakpoint.", bGetBreakpoint},
	{"examine_memory", "(Address, Length)", "returns .Mem: Length bytes at Address.", bExamineMemory},
	{"dynamic_libraries", "()", "returns .List: the shared libraries loaded.", bLibraries},
	{"attached_to_existing_process", "()", "returns .Answer: whether the program was attached to rather than launched.", bAttached},
}

func bCommand(t *Term, args starlark.Tuple, _ []starlark.Tuple) (starlark.Value, error) {
	parts := make([]string, len(args))
	for i, a := range args {
		s, ok := starlark.AsString(a)
		if !ok {
			return nil, fmt.Errorf("argument %d of dlv_command is %s, not a string", i+1, a.Type())
		}
		parts[i] = s
	}
	return starlark.None, t.call(strings.Join(parts, " "))
}

func bReadFile(t *Term, args starlark.Tuple, kw []starlark.Tuple) (starlark.Value, error) {
	var path string
	if err := starlark.UnpackArgs("read_file", args, kw, "Path", &path); err != nil {
		return nil, err
	}
	b, err := os.ReadFile(path)
	return starlark.String(b), err
}

func bWriteFile(t *Term, args starlark.Tuple, kw []starlark.Tuple) (starlark.Value, error) {
	return starlark.None, writeFile("write_file", args, kw, os.O_TRUNC)
}

func bAppendFile(t *Term, args starlark.Tuple, kw []starlark.Tuple) (starlark.Value, error) {
	return starlark.None, writeFile("append_file", args, kw, os.O_APPEND)
}

func writeFile(name string, args starlark.Tuple, kw []starlark.Tuple, mode int) error {
	var path string
	var text starlark.Value
	if err := starlark.UnpackArgs(name, args, kw, "Path", &path, "Text", &text); err != nil {
		return err
	}
	s, ok := starlark.AsString(text)
	if !ok {
		s = text.String()
	}
	f, err := os.OpenFile(path, os.O_WRONLY|os.O_CREATE|mode, 0o644)
	if err != nil {
		return err
	}
	_, err = f.WriteString(s)
	if cerr := f.Close(); err == nil {
		err = cerr
	}
	return err
}

// withScope runs fn with the frame Scope.Frame selected, then selects the
// frame that was selected before.
func withScope(t *Term, scope starlark.Value, fn func() error) error {
	want := intField(scope, "Frame", -1)
	prev := t.client.SelectedFrame()
	if want < 0 || want == prev {
		return fn()
	}
	if _, err := t.client.SelectFrame(want); err != nil {
		return err
	}
	defer t.client.SelectFrame(prev)
	return fn()
}

func loadConfig(cfg starlark.Value) api.LoadConfig {
	return api.LoadConfig{
		MaxStringLen:   intField(cfg, "MaxStringLen", 0),
		MaxArrayValues: intField(cfg, "MaxArrayValues", 0),
		MaxDepth:       intField(cfg, "MaxVariableRecurse", intField(cfg, "MaxDepth", 0)),
	}
}

func bEval(t *Term, args starlark.Tuple, kw []starlark.Tuple) (starlark.Value, error) {
	var scope, cfg starlark.Value = starlark.None, starlark.None
	var expr string
	if err := starlark.UnpackArgs("eval", args, kw, "Scope", &scope, "Expr", &expr, "Cfg?", &cfg); err != nil {
		return nil, err
	}
	var v *api.Variable
	err := withScope(t, scope, func() (err error) { v, err = t.client.Eval(expr, loadConfig(cfg)); return })
	return one("Variable", v, err)
}

func bSetExpr(t *Term, args starlark.Tuple, kw []starlark.Tuple) (starlark.Value, error) {
	var scope starlark.Value
	var sym, val string
	if err := starlark.UnpackArgs("set_expr", args, kw, "Scope", &scope, "Symbol", &sym, "Value", &val); err != nil {
		return nil, err
	}
	return starlark.None, withScope(t, scope, func() error { return t.client.SetVariable(sym, val) })
}

func bState(t *Term, _ starlark.Tuple, _ []starlark.Tuple) (starlark.Value, error) {
	st, err := t.client.State()
	return one("State", st, err)
}

func bPid(t *Term, _ starlark.Tuple, _ []starlark.Tuple) (starlark.Value, error) {
	st, err := t.client.State()
	if err != nil {
		return nil, err
	}
	return one("Pid", st.Pid, nil)
}

func bStack(t *Term, args starlark.Tuple, kw []starlark.Tuple) (starlark.Value, error) {
	var id starlark.Value
	depth, full := 50, false
	if err := starlark.UnpackArgs("stacktrace", args, kw, "Id?", &id, "Depth?", &depth, "Full?", &full); err != nil {
		return nil, err
	}
	fr, err := t.client.Stacktrace(depth, full)
	return one("Locations", fr, err)
}

func bThreads(t *Term, _ starlark.Tuple, _ []starlark.Tuple) (starlark.Value, error) {
	th, err := t.client.ListThreads()
	return one("Threads", th, err)
}

func bGoroutines(t *Term, _ starlark.Tuple, _ []starlark.Tuple) (starlark.Value, error) {
	var gs []api.Goroutine
	err := t.client.Goroutines(nil, func(g api.Goroutine) bool { gs = append(gs, g); return true })
	return one("Goroutines", gs, err)
}

func bBreakpoints(t *Term, _ starlark.Tuple, _ []starlark.Tuple) (starlark.Value, error) {
	bps, err := t.client.ListBreakpoints()
	return one("Breakpoints", bps, err)
}

func bCreateBreakpoint(t *Term, args starlark.Tuple, kw []starlark.Tuple) (starlark.Value, error) {
	var bp starlark.Value
	if err := starlark.UnpackArgs("create_breakpoint", args, kw, "Breakpoint", &bp); err != nil {
		return nil, err
	}
	spec, ok := starlark.AsString(bp)
	if !ok {
		spec = stringField(bp, "FunctionName")
		if file := stringField(bp, "File"); file != "" {
			spec = fmt.Sprintf("%s:%d", file, intField(bp, "Line", 0))
		} else if line := intField(bp, "Line", 0); spec != "" && line > 0 {
			spec = fmt.Sprintf("%s:%d", spec, line)
		}
	}
	if spec == "" {
		return nil, errors.New("create_breakpoint: give a location string or a Breakpoint with File and Line or FunctionName")
	}
	b, err := t.client.CreateBreakpoint(stringField(bp, "Name"), spec, stringField(bp, "Cond"))
	return one("Breakpoint", b, err)
}

// idOrName reads Delve's (Id, Name) arguments.
func idOrName(name string, args starlark.Tuple, kw []starlark.Tuple) (string, error) {
	var id starlark.Value = starlark.None
	var bpName string
	if err := starlark.UnpackArgs(name, args, kw, "Id?", &id, "Name?", &bpName); err != nil {
		return "", err
	}
	if s, ok := starlark.AsString(id); ok {
		return s, nil
	}
	if n, err := starlark.AsInt32(id); err == nil && n > 0 {
		return fmt.Sprint(n), nil
	}
	if bpName == "" {
		return "", fmt.Errorf("%s: give a breakpoint id or Name=", name)
	}
	return bpName, nil
}

// byBreakpoint is a builtin applying op to the breakpoint (Id, Name).
func byBreakpoint(name string, op func(service.Client, string) (*api.Breakpoint, error)) builtinFunc {
	return func(t *Term, args starlark.Tuple, kw []starlark.Tuple) (starlark.Value, error) {
		id, err := idOrName(name, args, kw)
		if err != nil {
			return nil, err
		}
		b, err := op(t.client, id)
		return one("Breakpoint", b, err)
	}
}

// byFilter is a builtin listing names that match (Filter) into field.
func byFilter(name, field string, list func(service.Client, string) ([]string, error)) builtinFunc {
	return func(t *Term, args starlark.Tuple, kw []starlark.Tuple) (starlark.Value, error) {
		f, _, err := filterArg(name, args, kw)
		if err != nil {
			return nil, err
		}
		names, err := list(t.client, f)
		return one(field, names, err)
	}
}

func filterArg(name string, args starlark.Tuple, kw []starlark.Tuple) (string, starlark.Value, error) {
	var filter string
	var cfg starlark.Value = starlark.None
	err := starlark.UnpackArgs(name, args, kw, "Filter?", &filter, "Cfg?", &cfg)
	return filter, cfg, err
}

func bPackageVars(t *Term, args starlark.Tuple, kw []starlark.Tuple) (starlark.Value, error) {
	f, cfg, err := filterArg("package_vars", args, kw)
	if err != nil {
		return nil, err
	}
	vs, err := t.client.PackageVars(f, loadConfig(cfg))
	return one("Variables", vs, err)
}

func scopeCfg(name string, args starlark.Tuple, kw []starlark.Tuple) (scope, cfg starlark.Value, err error) {
	scope, cfg = starlark.None, starlark.None
	err = starlark.UnpackArgs(name, args, kw, "Scope?", &scope, "Cfg?", &cfg)
	return scope, cfg, err
}

func bLocals(t *Term, args starlark.Tuple, kw []starlark.Tuple) (starlark.Value, error) {
	scope, cfg, err := scopeCfg("local_vars", args, kw)
	if err != nil {
		return nil, err
	}
	var vs []api.Variable
	err = withScope(t, scope, func() (err error) { vs, err = t.client.Locals("", loadConfig(cfg)); return })
	return one("Variables", vs, err)
}

func bArgs(t *Term, args starlark.Tuple, kw []starlark.Tuple) (starlark.Value, error) {
	scope, cfg, err := scopeCfg("function_args", args, kw)
	if err != nil {
		return nil, err
	}
	var vs []api.Variable
	err = withScope(t, scope, func() (err error) { vs, err = t.client.Args(loadConfig(cfg)); return })
	return one("Args", vs, err)
}

func bRegisters(t *Term, args starlark.Tuple, kw []starlark.Tuple) (starlark.Value, error) {
	var tid int
	var fp bool
	if err := starlark.UnpackArgs("registers", args, kw, "ThreadID?", &tid, "IncludeFp?", &fp); err != nil {
		return nil, err
	}
	rs, err := t.client.ListRegisters(fp)
	return one("Regs", rs, err)
}

func bRestart(t *Term, _ starlark.Tuple, _ []starlark.Tuple) (starlark.Value, error) {
	st, err := t.client.Restart()
	return one("State", st, err)
}

func bLoadConfig(t *Term, _ starlark.Tuple, _ []starlark.Tuple) (starlark.Value, error) {
	return toStarlark(struct{ MaxStringLen, MaxArrayValues, MaxVariableRecurse int }{0, 0, 0}), nil // 0: the debugger's default
}

func bCurScope(t *Term, _ starlark.Tuple, _ []starlark.Tuple) (starlark.Value, error) {
	var gid int64
	if g, err := t.client.CurrentGoroutine(); err == nil && g != nil {
		gid = g.ID
	}
	return toStarlark(struct {
		GoroutineID int64
		Frame       int
	}{gid, t.client.SelectedFrame()}), nil
}

func bGetBreakpoint(t *Term, args starlark.Tuple, kw []starlark.Tuple) (starlark.Value, error) {
	id, err := idOrName("get_breakpoint", args, kw)
	if err != nil {
		return nil, err
	}
	b, err := findBreakpoint(t, id)
	return one("Breakpoint", b, err)
}

func bExamineMemory(t *Term, args starlark.Tuple, kw []starlark.Tuple) (starlark.Value, error) {
	var addr uint64
	var n int
	if err := starlark.UnpackArgs("examine_memory", args, kw, "Address", &addr, "Length", &n); err != nil {
		return nil, err
	}
	b, err := t.client.ReadMemory(addr, n)
	return one("Mem", b, err)
}

func bLibraries(t *Term, _ starlark.Tuple, _ []starlark.Tuple) (starlark.Value, error) {
	libs, err := t.client.Libraries()
	return one("List", libs, err)
}

func bAttached(t *Term, _ starlark.Tuple, _ []starlark.Tuple) (starlark.Value, error) {
	st, err := t.client.State()
	if err != nil {
		return nil, err
	}
	return one("Answer", !st.Launched, nil)
}

// one returns Delve's result shape: a struct with one field.
func one(name string, v any, err error) (starlark.Value, error) {
	if err != nil {
		return nil, err
	}
	d := starlark.StringDict{name: toStarlark(v)}
	return newStruct(d), nil
}

// builtinHelp lists the builtins for help().
func builtinHelp() string {
	var lines []string
	for _, b := range starlarkBuiltins {
		lines = append(lines, b.name+b.args+": "+b.name+" "+b.doc)
	}
	sort.Strings(lines)
	return strings.Join(lines, "\n") + "\n"
}
