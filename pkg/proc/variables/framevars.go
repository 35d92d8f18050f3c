package variables

import (
	"debug/dwarf"
	"fmt"
	"sort"
	"strings"
	"sync"
)

// VarKind says what a frame variable is.
type VarKind uint8

const (
	// Arg is a parameter of the function.
	Arg VarKind = iota + 1
	// Result is a result parameter: named, or "~r0", "~r1", ... for
	// unnamed ones (Go marks them DW_AT_variable_parameter).
	Result
	// Local is a variable declared in the function body.
	Local
)

func (k VarKind) String() string {
	switch k {
	case Arg:
		return "argument"
	case Result:
		return "result"
	case Local:
		return "local"
	}
	return "kind?"
}

// FrameVar is one variable visible at a frame's pc.
type FrameVar struct {
	// Name is the source name; "~r0" for an unnamed result, "~p0" for a
	// blank parameter. A variable Go moved to the heap is "&x" in DWARF
	// and "x" here, with Indirect set.
	Name string
	Kind VarKind
	// Type is the variable's type (for an Indirect variable, the type of
	// the variable, not of the pointer to it).
	Type dwarf.Type
	// DeclLine is the line of the declaration (0 if unknown).
	DeclLine int
	// Depth is the lexical block nesting: 0 for parameters and variables
	// at function level, 1 in a block of the function body, ...
	Depth int
	// Shadowed means a variable of the same name declared in an inner
	// block (or later in the same one) hides this one at the pc.
	Shadowed bool
	// Indirect means the variable lives on the heap and its location
	// holds its address; Location returns the address of the variable.
	Indirect bool
	// Offset is the variable's DIE in .debug_info.
	Offset dwarf.Offset

	expr   []byte // location expression at the pc; nil: none
	locErr error  // why the location could not be found
	order  int    // DIE order
}

// Vars returns every variable visible at the pc, shadowed ones included:
// the arguments and results in declaration order, then the locals from
// the outermost block in, each block's in declaration order.
func (f *Frame) Vars() []*FrameVar { return f.vars }

// Args returns the parameters and results in declaration order.
func (f *Frame) Args() []*FrameVar { return f.vars[:f.nargs] }

// Locals returns the local variables visible at the pc, outermost block
// first; shadowed ones are included and marked.
func (f *Frame) Locals() []*FrameVar { return f.vars[f.nargs:] }

// Lookup returns the variable a name denotes at the pc: the innermost of
// those with that name. It returns a *NoVariableError (ErrNoVariable)
// listing what the frame has when there is none.
func (f *Frame) Lookup(name string) (*FrameVar, error) {
	for _, v := range f.vars {
		if v.Name == name && !v.Shadowed {
			return v, nil
		}
	}
	var have []string
	seen := map[string]bool{}
	for _, v := range f.vars {
		if !seen[v.Name] && !strings.HasPrefix(v.Name, "~") {
			seen[v.Name] = true
			have = append(have, v.Name)
		}
	}
	sort.Strings(have)
	return nil, &NoVariableError{Name: name, Func: f.fn, Have: have}
}

// frameDIE is a parameter or variable DIE in scope at a pc.
type frameDIE struct {
	e     *dwarf.Entry
	depth int
}

// scopeDIEs lists the parameters and variables of fn at function level
// and in the lexical blocks containing pc, with their block depth, and
// the outermost inlined call containing pc and its call line (nil, 0:
// none).
func (in *info) scopeDIEs(fn *dwarf.Entry, pc uint64) ([]frameDIE, int, *dwarf.Entry, error) {
	var out []frameDIE
	callLine := 0
	var inl *dwarf.Entry
	if !fn.Children {
		return nil, 0, nil, nil
	}
	r := in.d.Reader()
	r.Seek(fn.Offset)
	if _, err := r.Next(); err != nil {
		return nil, 0, nil, err
	}
	depth := 0 // of the DIEs being read; -1 once fn's children end
	for depth >= 0 {
		e, err := r.Next()
		if err != nil || e == nil {
			return out, callLine, inl, err
		}
		switch {
		case e.Tag == 0:
			depth--
			continue
		case e.Tag == dwarf.TagFormalParameter, e.Tag == dwarf.TagVariable:
			out = append(out, frameDIE{e: e, depth: depth})
		case e.Tag == dwarf.TagLexDwarfBlock && in.contains(e, pc):
			if e.Children {
				depth++
			}
			continue
		case e.Tag == dwarf.TagInlinedSubroutine && inl == nil && in.contains(e, pc):
			inl = e
			if l, ok := e.Val(dwarf.AttrCallLine).(int64); ok {
				callLine = int(l)
			}
		}
		if e.Children {
			r.SkipChildren()
		}
	}
	return out, callLine, inl, nil
}

// collect turns the DIEs in scope into FrameVars: Go locals declared
// after line are dropped, shadowed ones marked, locals ordered.
func (f *Frame) collect(dies []frameDIE, line int, pc uint64) error {
	var args, locals []*FrameVar
	for i, d := range dies {
		v, err := f.frameVar(d, i, pc)
		if err != nil {
			return err
		}
		switch {
		case v == nil:
		case v.Kind == Local:
			if f.in.isGo && line > 0 && v.DeclLine > line {
				continue // not declared yet
			}
			locals = append(locals, v)
		default:
			args = append(args, v)
		}
	}
	sort.SliceStable(locals, func(i, j int) bool {
		a, b := locals[i], locals[j]
		if a.Depth != b.Depth {
			return a.Depth < b.Depth
		}
		return a.DeclLine < b.DeclLine
	})
	f.vars, f.nargs = append(args, locals...), len(args)
	markShadowed(f.vars)
	return nil
}

// markShadowed marks every variable hidden by another of the same name:
// the innermost wins, and in one block the latest declared.
func markShadowed(vars []*FrameVar) {
	best := map[string]*FrameVar{}
	for _, v := range vars {
		b, ok := best[v.Name]
		if !ok || v.Depth > b.Depth || (v.Depth == b.Depth && (v.DeclLine > b.DeclLine || (v.DeclLine == b.DeclLine && v.order > b.order))) {
			best[v.Name] = v
		}
	}
	for _, v := range vars {
		v.Shadowed = best[v.Name] != v
	}
}

// frameVar describes one DIE; nil for compiler temporaries and nameless
// entries.
func (f *Frame) frameVar(d frameDIE, order int, pc uint64) (*FrameVar, error) {
	e := d.e
	src := e // name, type and declaration: an inlined copy's are its origin's
	if o := f.in.origin(e); o != nil {
		src = o
	}
	name, _ := src.Val(dwarf.AttrName).(string)
	if name == "" || (strings.HasPrefix(name, ".") && name != dictName) {
		return nil, nil
	}
	v := &FrameVar{Name: name, Kind: Local, Depth: d.depth, Offset: e.Offset, order: order}
	if e.Tag == dwarf.TagFormalParameter {
		v.Kind = Arg
		if out, _ := src.Val(dwarf.AttrVarParam).(bool); out {
			v.Kind = Result
		}
	}
	if l, ok := src.Val(dwarf.AttrDeclLine).(int64); ok {
		v.DeclLine = int(l)
	}
	if strings.HasPrefix(name, "&") && len(name) > 1 {
		v.Name, v.Indirect = name[1:], true
	}
	t, err := f.in.varType(src)
	if err != nil {
		return nil, &VarError{Name: v.Name, Msg: err.Error(), Err: ErrUnsupportedType}
	}
	if v.Indirect {
		p, ok := t.(*dwarf.PtrType)
		if !ok {
			return nil, &VarError{Name: v.Name, Msg: "heap variable whose type " + t.String() + " is not a pointer", Err: ErrUnsupportedType}
		}
		t = p.Type
	}
	v.Type = t
	v.expr, err = f.in.attrExpr(e, dwarf.AttrLocation, f.u, pc)
	if err != nil {
		v.locErr = &VarError{Name: v.Name, PC: f.cfg.PC, Msg: err.Error(), Err: errLocList}
	}
	if name == dictName { // kept apart: not a variable of the source
		f.dict = v
		return nil, nil
	}
	return v, nil
}

// dictName is the dictionary argument of a generic function's shaped
// instantiation: the runtime types its ".paramN" types stand for.
const dictName = ".dict"

// Dict returns the dictionary argument of a generic function (nil for
// other functions), for the real types of its ".paramN" variables.
func (f *Frame) Dict() *FrameVar { return f.dict }

// typeMu serialises debug/dwarf's type reads, which fill a cache.
var typeMu sync.Mutex

func (in *info) varType(e *dwarf.Entry) (dwarf.Type, error) {
	off, ok := e.Val(dwarf.AttrType).(dwarf.Offset)
	if !ok {
		return nil, fmt.Errorf("no type information")
	}
	typeMu.Lock()
	defer typeMu.Unlock()
	return in.d.Type(off)
}

// origin reads the DW_AT_abstract_origin of an inlined copy (nil: none).
func (in *info) origin(e *dwarf.Entry) *dwarf.Entry {
	off, ok := e.Val(dwarf.AttrAbstractOrigin).(dwarf.Offset)
	if !ok {
		return nil
	}
	r := in.d.Reader()
	r.Seek(off)
	o, err := r.Next()
	if err != nil {
		return nil
	}
	return o
}

// inlinedIn finds the inlined call directly in scope (through the lexical
// blocks containing pc) that covers pc (nil: none).
func (in *info) inlinedIn(scope *dwarf.Entry, pc uint64) *dwarf.Entry {
	_, _, inl, _ := in.scopeDIEs(scope, pc)
	return inl
}
