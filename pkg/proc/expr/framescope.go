package expr

import (
	"debug/dwarf"
	"encoding/binary"
	"errors"
	"fmt"
	"reflect"
	"strconv"
	"strings"

	"github.com/godbg/godbg/pkg/proc/values"
	"github.com/godbg/godbg/pkg/proc/variables"
	"github.com/godbg/godbg/pkg/symbols"
)

// FrameScope is the Scope of one frame of a stopped thread: the frame's
// variables (pkg/proc/variables), then the program's package variables.
// It is valid until the thread resumes.
type FrameScope struct {
	tab *symbols.Table
	f   *variables.Frame
	l   *values.Loader
	mem Memory
	pkg string
	// outer are the scopes a name the frame lacks is looked up in next:
	// for a range-over-func loop body, the enclosing bodies' and the
	// loop's function's frames, innermost first (Delve's range frames).
	outer []*FrameScope
	up    func(n int) (Scope, error) // runtime.frame(n) (frameup.go)
}

// WithOuter adds scopes searched, in order, for a name the frame does not
// have.
func (s *FrameScope) WithOuter(o ...*FrameScope) { s.outer = append(s.outer, o...) }

// Outer returns the scopes added by WithOuter.
func (s *FrameScope) Outer() []*FrameScope { return s.outer }

// NewFrameScope returns the scope of frame f of the program tab, whose
// values l reads from mem. f may be nil (a pc with no debug information):
// then only package variables of package main are in scope.
func NewFrameScope(tab *symbols.Table, f *variables.Frame, l *values.Loader, mem Memory) *FrameScope {
	s := &FrameScope{tab: tab, f: f, l: l, mem: mem, pkg: "main"}
	if f != nil {
		s.pkg = f.Package()
	}
	return s
}

// Frame returns the frame (nil if none).
func (s *FrameScope) Frame() *variables.Frame { return s.f }

// Loader returns the loader values are read with.
func (s *FrameScope) Loader() *values.Loader { return s.l }

// Memory returns the process memory.
func (s *FrameScope) Memory() Memory { return s.mem }

// Local returns the variable name visible in the frame.
func (s *FrameScope) Local(name string, cfg values.LoadConfig) (*values.Value, error) {
	if s.f == nil {
		return nil, &NotFoundError{Name: name}
	}
	v, err := s.f.Lookup(name)
	if errors.Is(err, variables.ErrNoVariable) {
		for _, o := range s.outer {
			if o.f == nil {
				continue
			}
			if ov, oerr := o.f.Lookup(name); oerr == nil {
				return o.load(ov, cfg)
			}
		}
		return nil, &NotFoundError{Name: name, Err: err}
	}
	if err != nil {
		return nil, err
	}
	return s.load(v, cfg)
}

func (s *FrameScope) load(v *variables.FrameVar, cfg values.LoadConfig) (*values.Value, error) {
	res, err := s.f.Location(v)
	if err != nil {
		return nil, err
	}
	addr, data, err := values.LocationBytes(res, size(v.Type), s.f.Reg, s.mem)
	if err != nil {
		return nil, fmt.Errorf("%s: %w", v.Name, err)
	}
	t := s.instantiated(v.Type)
	if data != nil {
		return s.l.LoadBytes(s.mem, v.Name, t, data, cfg), nil
	}
	return s.l.Load(s.mem, v.Name, t, addr, cfg), nil
}

// instantiated returns the real type of a variable of a generic
// function: Go types it ".paramN", the N-th entry of the function's
// dictionary (the .dict argument), which holds the runtime type of the
// instantiation. Any other type, or one that cannot be resolved, is
// returned as is.
func (s *FrameScope) instantiated(t dwarf.Type) dwarf.Type {
	td, ok := t.(*dwarf.TypedefType)
	if !ok || !strings.HasPrefix(td.Name, ".param") {
		return t
	}
	n, err := strconv.Atoi(strings.TrimPrefix(td.Name, ".param"))
	dict := s.f.Dict()
	if err != nil || dict == nil || n < 0 || n > 1<<16 {
		return t
	}
	dv, err := s.load(dict, values.LoadConfig{})
	if err != nil || dv.Err != nil || dv.Kind != reflect.Pointer || dv.Base == 0 {
		return t
	}
	var w [8]byte
	if k, err := s.mem.ReadMemory(dv.Base+uint64(n)*8, w[:]); err != nil || k != 8 {
		return t
	}
	rt, err := s.l.RuntimeType(binary.LittleEndian.Uint64(w[:]))
	if err != nil || size(rt) != size(t) {
		return t
	}
	return rt
}

// LoadVar loads one of the frame's variables (from Frame().Args() or
// Locals(), for the args and locals commands). A variable that cannot be
// read, such as one optimized away at the pc, comes back with its error
// in Value.Err.
func (s *FrameScope) LoadVar(v *variables.FrameVar, cfg values.LoadConfig) *values.Value {
	val, err := s.load(v, cfg)
	if err != nil {
		return &values.Value{Name: v.Name, Type: v.Type, TypeName: values.TypeName(v.Type), Size: size(v.Type), Err: err}
	}
	return val
}

// Global returns a package variable: "x" of the frame's package,
// "main.x", or "pkg.X" of the one package whose path ends in pkg.
func (s *FrameScope) Global(name string, cfg values.LoadConfig) (*values.Value, error) {
	full, err := variables.GlobalName(s.tab, name, s.pkg)
	if errors.Is(err, variables.ErrNoVariable) {
		if c := s.constant(name); c != nil {
			return c, nil
		}
		if f := s.function(name); f != nil {
			return f, nil
		}
		if pkg, rest, ok := strings.Cut(name, "."); ok {
			if path := s.l.PackagePath(pkg); path != "" { // a package named unlike its path: dirio.A
				return s.Global(path+"."+rest, cfg)
			}
		}
		return nil, &NotFoundError{Name: name, Err: err}
	}
	if err != nil {
		return nil, err
	}
	v, err := s.l.LoadGlobal(s.mem, full, cfg)
	if errors.Is(err, values.ErrNoVariable) {
		return nil, &NotFoundError{Name: name, Err: err}
	}
	return v, err
}

// LookupType returns a type of the program by name; a name without a
// package ("T", "*T") is looked up in the frame's package too.
func (s *FrameScope) LookupType(name string) (dwarf.Type, error) {
	t, err := s.l.LookupType(name)
	if err == nil || strings.Contains(name, ".") || s.pkg == "" {
		return t, err
	}
	bare := strings.TrimLeft(name, "*")
	if t, err2 := s.l.LookupType(name[:len(name)-len(bare)] + s.pkg + "." + bare); err2 == nil {
		return t, nil
	}
	return nil, err
}

// constant returns the package constant name ("C" of the frame's
// package, "pkg.C"), or nil.
func (s *FrameScope) constant(name string) *values.Value {
	cands := []string{name}
	if !strings.Contains(name, ".") {
		cands = []string{s.pkg + "." + name}
	}
	for _, c := range cands {
		if v, err := s.l.Constant(s.mem, c); err == nil {
			return v
		}
	}
	return nil
}

// function returns the function name ("f" of the frame's package,
// "pkg.f") as a func value, or nil.
func (s *FrameScope) function(name string) *values.Value {
	if !strings.Contains(name, ".") {
		name = s.pkg + "." + name
	}
	if f, err := s.l.Function(name, false); err == nil {
		return f
	}
	return nil
}
