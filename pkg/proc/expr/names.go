package expr

import (
	"debug/dwarf"
	"errors"
	"fmt"
	"go/ast"
	"go/constant"
	"go/token"
	"reflect"
	"strconv"
	"strings"

	"github.com/godbg/godbg/pkg/proc/values"
)

// ident resolves a name: a local or argument, a package variable of the
// frame's package, then the predeclared true, false and nil.
func (e *evaluator) ident(n *ast.Ident) (operand, error) {
	v, err := e.variable(n.Name)
	if err == nil || !errors.Is(err, ErrNotFound) {
		return e.named(v), err
	}
	if o, ok, err := e.envName(n.Name); ok {
		return o, err
	}
	switch n.Name {
	case "true", "false":
		return boolConst(n.Name == "true"), nil
	case "nil":
		return operand{ctype: "nil"}, nil
	}
	return operand{}, &NotFoundError{Name: n.Name, Err: err}
}

// variable looks a name up as a local, then as a package variable.
func (e *evaluator) variable(name string) (*values.Value, error) {
	if e.s == nil {
		return nil, &NotFoundError{Name: name}
	}
	v, err := e.s.Local(name, probe)
	if err == nil {
		return loadedVar(v, name)
	}
	if !errors.Is(err, ErrNotFound) {
		return nil, err
	}
	v, err = e.s.Global(name, probe)
	if err == nil {
		return loadedVar(v, name)
	}
	return nil, err
}

// loadedVar checks a variable just read: one in memory whose contents
// make no sense (a slice with a nil base) is still a value, printed as
// (unreadable ...); operations on it fail.
func loadedVar(v *values.Value, name string) (*values.Value, error) {
	if v.Err != nil && v.Addr != 0 && errors.Is(v.Err, values.ErrCorrupt) {
		return v, nil
	}
	return loaded(v, name)
}

// selector evaluates x.f: a field (through pointers, interfaces and
// embedded structs) or a package-qualified variable.
func (e *evaluator) selector(n *ast.SelectorExpr) (operand, error) {
	what := e.text(n)
	if k, ok, err := frameCall(n.X); ok {
		if err != nil {
			return operand{}, fmt.Errorf("%s: %w", what, err)
		}
		return e.frameSelector(k, n)
	}
	switch x := n.X.(type) {
	case *ast.Ident:
		v, err := e.variable(x.Name)
		if err == nil && v.Kind == reflect.Func && v.Addr == 0 {
			// a function's name ("main" in main.x): a package name here
			err = &NotFoundError{Name: x.Name}
		}
		if err == nil {
			f, err := e.field(v, n.Sel.Name, what)
			return typed(f), err
		}
		if !errors.Is(err, ErrNotFound) {
			return operand{}, err
		}
		return e.qualified(x.Name+"."+n.Sel.Name, what)
	case *ast.BasicLit: // "path/to/pkg".Var
		if x.Kind == token.STRING {
			path, err := strconv.Unquote(x.Value)
			if err == nil {
				return e.qualified(path+"."+n.Sel.Name, what)
			}
		}
	}
	x, err := e.eval(n.X)
	if err != nil {
		return operand{}, err
	}
	if x.v == nil {
		return operand{}, fmt.Errorf("%s: %w: %s has no fields", what, ErrTypeMismatch, operandType(x))
	}
	f, err := e.field(x.v, n.Sel.Name, what)
	return typed(f), err
}

func (e *evaluator) qualified(name, what string) (operand, error) {
	if e.s == nil {
		if o, ok, err := e.envName(name); ok {
			return o, err
		}
		return operand{}, &NotFoundError{Name: name}
	}
	v, err := e.s.Global(name, probe)
	if err == nil {
		v, err = loaded(v, what)
		return e.named(v), err
	}
	if errors.Is(err, ErrNotFound) {
		if o, ok, err := e.envName(name); ok {
			return o, err
		}
		return operand{}, &NotFoundError{Name: name, Err: err}
	}
	return operand{}, err
}

// maxEmbedding bounds the search for promoted fields.
const maxEmbedding = 8

// field returns the field name of a struct, of the struct a pointer
// points to or of an interface's dynamic value, searching embedded
// structs breadth first as Go promotes their fields.
func (e *evaluator) field(v *values.Value, name, what string) (*values.Value, error) {
	if v.Kind == reflect.Chan {
		return e.chanField(v, name, what)
	}
	s, err := e.structOf(v, what)
	if err != nil {
		if m := e.method(v, name); m != nil {
			return m, nil
		}
		return nil, err
	}
	if err := e.expandStruct(s, what); err != nil {
		return nil, err
	}
	if s.Field(name) == nil {
		// Go's selector rule: a method of the type beats promoted fields.
		if m := e.method(s, name); m != nil {
			return m, nil
		}
	}
	level := []*values.Value{s}
	for depth := 0; depth <= maxEmbedding && len(level) > 0; depth++ {
		var next []*values.Value
		for _, st := range level {
			if err := e.expandStruct(st, what); err != nil {
				return nil, err
			}
			if f := st.Field(name); f != nil {
				return loaded(f, what)
			}
			for _, c := range st.Children {
				if !c.Embedded || c.Kind == reflect.Interface {
					continue // an embedded interface promotes no fields
				}
				inner, err := e.structOf(c, what)
				if errors.Is(err, ErrNilDeref) && hasField(c.Type, name) {
					return nil, fmt.Errorf("%s: %w (embedded %s is nil)", what, ErrNilDeref, c.Name)
				}
				if err == nil {
					next = append(next, inner)
				}
			}
		}
		level = next
	}
	return nil, fmt.Errorf("%s: %w %s in %s", what, ErrNoField, name, s.TypeName)
}

// hasField reports whether the struct a pointer type points to has a
// field called name.
func hasField(t dwarf.Type, name string) bool {
	p, ok := strip(t).(*dwarf.PtrType)
	if !ok {
		return false
	}
	st, ok := strip(p.Type).(*dwarf.StructType)
	if !ok {
		return false
	}
	for _, f := range st.Field {
		if f.Name == name {
			return true
		}
	}
	return false
}

// structOf follows one pointer and interfaces to a struct.
func (e *evaluator) structOf(v *values.Value, what string) (*values.Value, error) {
	for i := 0; i < 3; i++ {
		switch v.Kind {
		case reflect.Struct:
			return v, nil
		case reflect.Interface:
			if v.IsNil() || v.Elem() == nil {
				return nil, fmt.Errorf("%s: %w (nil interface %s)", what, ErrNilDeref, v.TypeName)
			}
			v = e.dynamic(v)
		case reflect.Pointer:
			var err error
			if v, err = e.derefValue(v, what); err != nil {
				return nil, err
			}
		default:
			i = 3
		}
	}
	if v.Kind == reflect.Struct {
		return v, nil
	}
	return nil, fmt.Errorf("%s: %w: %s is not a struct", what, ErrNoField, v.TypeName)
}

// expandStruct loads the fields of a struct the probe left unloaded.
func (e *evaluator) expandStruct(v *values.Value, what string) error {
	if v.Unloaded || int64(len(v.Children)) < v.Len {
		e.l.Expand(e.mem, v, probe)
	}
	if v.Err != nil {
		return fmt.Errorf("%s: %w", what, v.Err)
	}
	return nil
}

// deref evaluates *x.
func (e *evaluator) deref(x operand, what string) (*values.Value, error) {
	if x.v == nil {
		return nil, fmt.Errorf("%s: %w: cannot indirect %s", what, ErrTypeMismatch, operandType(x))
	}
	if x.v.Kind != reflect.Pointer {
		return nil, fmt.Errorf("%s: %w: cannot indirect %s (not a pointer)", what, ErrTypeMismatch, x.v.TypeName)
	}
	return e.derefValue(x.v, what)
}

// derefValue returns what a pointer points to.
func (e *evaluator) derefValue(p *values.Value, what string) (*values.Value, error) {
	if p.Base == 0 {
		return nil, fmt.Errorf("%s: %w", what, ErrNilDeref)
	}
	if len(p.Children) == 0 {
		return nil, fmt.Errorf("%s: %w: pointer %s without a target type", what, ErrUnsupported, p.TypeName)
	}
	t := p.Children[0]
	if !t.Unloaded && t.Err == nil {
		return t, nil
	}
	return e.load(t.Type, p.Base, what)
}

// addressOf evaluates &x for a value in memory.
func (e *evaluator) addressOf(n *ast.UnaryExpr) (operand, error) {
	what := e.text(n)
	x, err := e.eval(n.X)
	if err != nil {
		return operand{}, err
	}
	if x.v == nil || x.v.Addr == 0 || x.v.Type == nil {
		return operand{}, fmt.Errorf("%s: %w: cannot take the address of %s", what, ErrNotAddressable, e.text(n.X))
	}
	v, err := e.fromBytes(ptrTo(x.v.Type), encode(reflect.Pointer, 8, scalar{u: x.v.Addr}), what)
	return typed(v), err
}

// unary evaluates +x, -x, !x, ^x and &x.
func (e *evaluator) unary(n *ast.UnaryExpr) (operand, error) {
	what := e.text(n)
	switch n.Op {
	case token.AND:
		return e.addressOf(n)
	case token.ADD, token.SUB, token.NOT, token.XOR:
	default:
		return operand{}, fmt.Errorf("%s: %w: operator %s", what, ErrUnsupported, n.Op)
	}
	x, err := e.eval(n.X)
	if err != nil {
		return operand{}, err
	}
	if x.v == nil {
		return constUnary(n.Op, x, what)
	}
	v, a := x.v, scalarOf(x.v)
	var r scalar
	ok := true
	switch cl := classOf(v.Kind); {
	case n.Op == token.ADD && (cl == cInt || cl == cUint || cl == cFloat || cl == cComplex):
		return x, nil
	case n.Op == token.SUB && cl == cInt:
		r.i = -a.i
	case n.Op == token.SUB && cl == cUint:
		r.u = -a.u
	case n.Op == token.SUB && cl == cFloat:
		r.f = -a.f
	case n.Op == token.SUB && cl == cComplex:
		r.c = -a.c
	case n.Op == token.XOR && cl == cInt:
		r.i = ^a.i
	case n.Op == token.XOR && cl == cUint:
		r.u = ^a.u
	case n.Op == token.NOT && cl == cBool:
		r.b = !a.b
	default:
		ok = false
	}
	if !ok {
		return operand{}, fmt.Errorf("%s: %w: operator %s not defined on %s", what, ErrTypeMismatch, n.Op, v.TypeName)
	}
	res, err := e.fromBytes(v.Type, encode(v.Kind, v.Size, r), what)
	return typed(res), err
}

// intOperand returns an index or bound: an integer constant or value.
func (e *evaluator) intOperand(x operand, what string) (int64, error) {
	if x.v == nil {
		if x.isNil() || !isNumeric(x.c) {
			return 0, fmt.Errorf("%s: %w: index of type %s", what, ErrTypeMismatch, operandType(x))
		}
		c := constant.ToInt(x.c)
		i, exact := constant.Int64Val(c)
		if c.Kind() != constant.Int || !exact {
			return 0, fmt.Errorf("%s: %w: index %s is not an int", what, ErrTypeMismatch, x.c)
		}
		return i, nil
	}
	switch classOf(x.v.Kind) {
	case cInt:
		return x.v.Int, nil
	case cUint:
		if x.v.Uint > 1<<62 {
			return 0, fmt.Errorf("%s: %w [%d]", what, ErrOutOfRange, x.v.Uint)
		}
		return int64(x.v.Uint), nil
	}
	return 0, fmt.Errorf("%s: %w: index of type %s", what, ErrTypeMismatch, x.v.TypeName)
}

// dynamic returns the dynamic value of a non-nil interface, reading it
// if the load stopped short of it.
func (e *evaluator) dynamic(iface *values.Value) *values.Value {
	d := iface.Elem()
	if d.Unloaded {
		c := *d
		e.l.Expand(e.mem, &c, probe)
		return &c
	}
	return d
}

// chanField reads a field of a channel's runtime.hchan, as Delve allows
// (ch.qcount, ch.dataqsiz, ch.closed); ch.buf is a pointer to the ring
// of elements, typed *[cap]T.
func (e *evaluator) chanField(v *values.Value, name, what string) (*values.Value, error) {
	hchan, elem, ok := v.ChanParts()
	if !ok {
		return nil, fmt.Errorf("%s: %w: runtime layout of %s unknown", what, ErrUnsupported, v.TypeName)
	}
	if v.Base == 0 {
		return nil, fmt.Errorf("%s: %w (nil channel)", what, ErrNilDeref)
	}
	h, err := e.load(hchan, v.Base, what)
	if err != nil {
		return nil, err
	}
	f := h.Field(name)
	if f == nil {
		return nil, fmt.Errorf("%s: %w %s in %s", what, ErrNoField, name, h.TypeName)
	}
	if name != "buf" {
		return loaded(f, what)
	}
	t := ptrTo(arrayOf(elem, max(v.Cap, 0)))
	return e.fromBytes(t, encode(reflect.Pointer, 8, scalar{u: f.Base}), what)
}

// method returns the method value v.name of v's named type (or of the
// type its pointer points to), or nil: Go names the function
// "pkg.(*T).M" or "pkg.T.M".
func (e *evaluator) method(v *values.Value, name string) *values.Value {
	tn := v.TypeName
	if v.Kind == reflect.Pointer {
		tn = strings.TrimPrefix(tn, "*")
	}
	dot := strings.LastIndex(tn, ".")
	if dot <= 0 || strings.ContainsAny(tn, "[]*(){} ") {
		return nil
	}
	pkg, typ := tn[:dot], tn[dot+1:]
	for _, fn := range []string{pkg + ".(*" + typ + ")." + name, pkg + "." + typ + "." + name} {
		if m, err := e.l.Function(fn, true); err == nil {
			return m
		}
	}
	return nil
}

// named is the operand of a name's value: in an address expression a
// function is its entry address, an integer (main.main+0x10).
func (e *evaluator) named(v *values.Value) operand {
	if e.env != nil && v != nil && v.Kind == reflect.Func && v.Addr == 0 {
		return operand{c: constant.MakeUint64(v.Base), ctype: "uintptr"}
	}
	return typed(v)
}
