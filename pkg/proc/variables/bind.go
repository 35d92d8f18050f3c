package variables

import (
	"debug/dwarf"
	"errors"
	"fmt"
	"sort"
	"strings"

	"github.com/godbg/godbg/pkg/dwarf/frame"
	"github.com/godbg/godbg/pkg/dwarf/op"
	"github.com/godbg/godbg/pkg/symbols"
)

// Binding is the precompiled access to a set of variables at one pc. It is
// immutable after Bind (except SetLoadBias) and safe for concurrent use.
type Binding struct {
	fn        string
	pc        uint64
	vars      []*boundVar
	cfa       frame.CFARule
	cfaErr    error
	cfaExpr   *op.Program
	frameBase *op.Program // nil: frame base is the CFA
	bias      uint64
}

// boundVar is one variable ready to read.
type boundVar struct {
	name string
	prog *op.Program
	typ  varType
	expr []byte // the location expression prog was compiled from (pad.go)
}

// Func returns the name of the function the binding is in.
func (b *Binding) Func() string { return b.fn }

// SetLoadBias sets the offset added to static addresses (DW_OP_addr) of a
// PIE: the run-time minus the link-time address. Zero for non-PIE.
func (b *Binding) SetLoadBias(bias uint64) { b.bias = bias }

// Bind prepares reading names at the link-time pc: parameters and locals
// of the function containing pc that are in scope there, and package
// variables ("main.counter", or "counter" for the function's package).
func Bind(tab *symbols.Table, pc uint64, names []string) (*Binding, error) {
	in, err := load(tab)
	if err != nil {
		return nil, err
	}
	fn, u, err := in.findFunc(pc)
	if err != nil {
		return nil, err
	}
	fnName, _ := fn.Val(dwarf.AttrName).(string)
	b := &Binding{fn: fnName, pc: pc}
	locals, err := in.localsAt(fn, pc, tab)
	if err != nil {
		return nil, fmt.Errorf("%s: %w", fnName, err)
	}
	for _, name := range names {
		e, err := in.resolve(name, fnName, locals)
		if err != nil {
			return nil, err
		}
		v, err := in.bindVar(name, e, u, pc)
		if err != nil {
			return nil, err
		}
		b.vars = append(b.vars, v)
	}
	if err := b.bindFrame(in, fn, u, pc); err != nil {
		return nil, err
	}
	return b, nil
}

func (b *Binding) bindFrame(in *info, fn *dwarf.Entry, u unit, pc uint64) error {
	b.cfa, b.cfaErr = in.cfaRule(pc)
	if b.cfaErr == nil && b.cfa.Expr != nil {
		b.cfaExpr, b.cfaErr = op.Compile(b.cfa.Expr)
	}
	expr, err := in.attrExpr(fn, dwarf.AttrFrameBase, u, pc)
	if err != nil || expr == nil {
		return err
	}
	if len(expr) == 1 && expr[0] == 0x9c { // DW_OP_call_frame_cfa
		return nil
	}
	b.frameBase, err = in.compile(expr, u)
	if err != nil {
		return fmt.Errorf("%s: frame base: %w", b.fn, err)
	}
	return nil
}

// findFunc returns the subprogram DIE whose ranges contain pc.
func (in *info) findFunc(pc uint64) (*dwarf.Entry, unit, error) {
	r := in.d.Reader()
	for {
		cu, err := r.Next()
		if err != nil {
			return nil, unit{}, err
		}
		if cu == nil {
			return nil, unit{}, fmt.Errorf("%w %#x", ErrNoFunction, pc)
		}
		if cu.Tag != dwarf.TagCompileUnit || !in.contains(cu, pc) {
			r.SkipChildren()
			continue
		}
		u := unit{version: in.unitVersion(cu.Offset)}
		u.base, _ = cu.Val(dwarf.AttrLowpc).(uint64)
		if ab, ok := cu.Val(dwarf.AttrAddrBase).(int64); ok {
			u.addrBase = uint64(ab)
		}
		if fn, err := in.funcInUnit(r, pc); fn != nil || err != nil {
			return fn, u, err
		}
	}
}

func (in *info) funcInUnit(r *dwarf.Reader, pc uint64) (*dwarf.Entry, error) {
	for {
		e, err := r.Next()
		if err != nil || e == nil || e.Tag == 0 {
			return nil, err
		}
		if e.Tag == dwarf.TagSubprogram && in.contains(e, pc) {
			return e, nil
		}
		if e.Children {
			r.SkipChildren()
		}
	}
}

func (in *info) contains(e *dwarf.Entry, pc uint64) bool {
	ranges, err := in.d.Ranges(e)
	if err != nil {
		return false
	}
	for _, rg := range ranges {
		if pc >= rg[0] && pc < rg[1] {
			return true
		}
	}
	return false
}

// scoped is a candidate local with the depth of its lexical block.
type scoped struct {
	e     *dwarf.Entry
	depth int
}

// localsAt collects the parameters and locals visible at pc; inner
// declarations shadow outer ones. Go locals declared on a later line than
// pc's are not yet in scope.
func (in *info) localsAt(fn *dwarf.Entry, pc uint64, tab *symbols.Table) (map[string]scoped, error) {
	line := 0
	if in.isGo {
		_, line, _ = tab.PCToLine(pc)
	}
	out := map[string]scoped{}
	r := in.d.Reader()
	r.Seek(fn.Offset)
	if _, err := r.Next(); err != nil || !fn.Children {
		return out, err
	}
	depth := 1
	for depth > 0 {
		e, err := r.Next()
		if err != nil || e == nil {
			return out, err
		}
		switch {
		case e.Tag == 0:
			depth--
			continue
		case e.Tag == dwarf.TagFormalParameter, e.Tag == dwarf.TagVariable:
			in.addLocal(out, e, depth, line)
		case e.Tag == dwarf.TagLexDwarfBlock && in.contains(e, pc):
			if e.Children {
				depth++
			}
			continue
		}
		if e.Children {
			r.SkipChildren()
		}
	}
	return out, nil
}

func (in *info) addLocal(out map[string]scoped, e *dwarf.Entry, depth, line int) {
	name, _ := e.Val(dwarf.AttrName).(string)
	if name == "" {
		return
	}
	if decl, ok := e.Val(dwarf.AttrDeclLine).(int64); ok && line > 0 && e.Tag == dwarf.TagVariable && int(decl) > line {
		return
	}
	if old, ok := out[name]; !ok || depth >= old.depth {
		out[name] = scoped{e: e, depth: depth}
	}
}

// resolve finds the DIE for a name: a local, then a package variable.
func (in *info) resolve(name, fnName string, locals map[string]scoped) (*dwarf.Entry, error) {
	if s, ok := locals[name]; ok {
		return s.e, nil
	}
	candidates := []string{name}
	if in.isGo && !strings.Contains(name, ".") {
		candidates = append(candidates, goPackage(fnName)+"."+name)
	}
	for _, c := range candidates {
		if off, ok := in.globals[c]; ok {
			r := in.d.Reader()
			r.Seek(off)
			return r.Next()
		}
	}
	var have []string
	for n := range locals {
		if !strings.HasPrefix(n, "~") && !strings.HasPrefix(n, ".") {
			have = append(have, n)
		}
	}
	sort.Strings(have)
	return nil, &NoVariableError{Name: name, Func: fnName, Have: have}
}

// goPackage returns the package path of a Go function name:
// "main.hot" → "main", "a/b.(*T).M" → "a/b".
func goPackage(fn string) string {
	slash := strings.LastIndex(fn, "/")
	if i := strings.Index(fn[slash+1:], "."); i >= 0 {
		return fn[:slash+1+i]
	}
	return fn
}

func (in *info) bindVar(name string, e *dwarf.Entry, u unit, pc uint64) (*boundVar, error) {
	off, ok := e.Val(dwarf.AttrType).(dwarf.Offset)
	if !ok {
		return nil, &VarError{Name: name, Msg: "no type information", Err: ErrUnsupportedType}
	}
	t, err := in.d.Type(off)
	if err != nil {
		return nil, &VarError{Name: name, Msg: err.Error(), Err: ErrUnsupportedType}
	}
	vt, err := basicType(t)
	var ve *VarError
	if errors.As(err, &ve) {
		ve.Name = name
		return nil, ve
	}
	expr, err := in.attrExpr(e, dwarf.AttrLocation, u, pc)
	if err != nil {
		return nil, &VarError{Name: name, PC: pc, Msg: err.Error(), Err: errLocList}
	}
	if len(expr) == 0 {
		return nil, &VarError{Name: name, PC: pc, Err: ErrOptimizedAway}
	}
	prog, err := in.compile(expr, u)
	if err != nil {
		return nil, &VarError{Name: name, PC: pc, Msg: "location: " + err.Error(), Err: err}
	}
	return &boundVar{name: name, prog: prog, typ: vt, expr: expr}, nil
}

// attrExpr returns the location expression of attr at pc: the attribute's
// own expression, or the matching location list entry; nil if none.
func (in *info) attrExpr(e *dwarf.Entry, attr dwarf.Attr, u unit, pc uint64) ([]byte, error) {
	f := e.AttrField(attr)
	if f == nil {
		return nil, nil
	}
	switch f.Class {
	case dwarf.ClassExprLoc, dwarf.ClassBlock:
		b, _ := f.Val.([]byte)
		return b, nil
	case dwarf.ClassLocListPtr:
		off, _ := f.Val.(int64)
		return in.locExpr(u, uint64(off), pc)
	}
	return nil, fmt.Errorf("location attribute of class %v not supported", f.Class)
}

func (in *info) compile(expr []byte, u unit) (*op.Program, error) {
	return op.CompileWith(expr, op.Options{AddrIndex: func(i uint64) (uint64, error) { return in.addrAt(u.addrBase, i) }})
}
