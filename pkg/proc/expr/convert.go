package expr

import (
	"debug/dwarf"
	"errors"
	"fmt"
	"go/ast"
	"go/constant"
	"go/token"
	"go/types"
	"reflect"
	"strconv"

	"github.com/godbg/godbg/pkg/proc/values"
)

// call evaluates len and cap, and conversions T(x); the program's
// functions cannot be called.
func (e *evaluator) call(n *ast.CallExpr) (operand, error) {
	what := e.text(n)
	if id, ok := n.Fun.(*ast.Ident); ok {
		switch id.Name {
		case "len", "cap":
			return e.lenCap(id.Name, n, what)
		case "real", "imag", "complex", "min", "max":
			return e.builtin(id.Name, n, what)
		}
	}
	t, err := e.typeOf(n.Fun)
	if errors.Is(err, errNotType) && isName(n.Fun) {
		return operand{}, fmt.Errorf("%s: %w: %s is no type of the program, and function calls are not supported", what, ErrUnsupported, e.text(n.Fun))
	}
	if err != nil {
		return operand{}, fmt.Errorf("%s: %w", what, err)
	}
	if len(n.Args) != 1 || n.Ellipsis.IsValid() {
		return operand{}, fmt.Errorf("%s: %w: conversion to %s takes one argument", what, ErrTypeMismatch, values.TypeName(t))
	}
	x, err := e.eval(n.Args[0])
	if err != nil {
		return operand{}, err
	}
	v, err := e.convert(t, x, what)
	return typed(v), err
}

var errNotType = errors.New("not a type")

// isName reports whether x is a name or qualified name (in parentheses).
func isName(x ast.Expr) bool {
	switch x := x.(type) {
	case *ast.ParenExpr:
		return isName(x.X)
	case *ast.Ident, *ast.SelectorExpr:
		return true
	}
	return false
}

// typeOf resolves a type expression: a predeclared type, a type of the
// program by name, or a pointer to one.
func (e *evaluator) typeOf(x ast.Expr) (dwarf.Type, error) {
	switch x := x.(type) {
	case *ast.ParenExpr:
		return e.typeOf(x.X)
	case *ast.Ident:
		if t, ok := basicTypes[x.Name]; ok {
			return t, nil
		}
		t, err := e.s.LookupType(x.Name)
		if err != nil {
			return nil, fmt.Errorf("%w: %v", errNotType, err)
		}
		return t, nil
	case *ast.SelectorExpr:
		t, err := e.s.LookupType(types.ExprString(x))
		if err != nil {
			return nil, fmt.Errorf("%w: %v", errNotType, err)
		}
		return t, nil
	case *ast.StarExpr:
		if t, err := e.s.LookupType(types.ExprString(x)); err == nil {
			return t, nil
		}
		elem, err := e.typeOf(x.X)
		if err != nil {
			return nil, err
		}
		return ptrTo(elem), nil
	case *ast.ArrayType, *ast.InterfaceType, *ast.StructType:
		return e.compositeType(x)
	case *ast.MapType, *ast.ChanType, *ast.FuncType, *ast.IndexExpr:
		return e.s.LookupType(delveSpelling(x))
	case *ast.BasicLit: // a type named as Delve does: (*"struct { main.i int }")(addr)
		if name, err := strconv.Unquote(x.Value); err == nil && x.Kind == token.STRING {
			t, err := e.s.LookupType(name)
			if err != nil {
				return nil, fmt.Errorf("%w: %v", errNotType, err)
			}
			return t, nil
		}
	}
	return nil, errNotType
}

// convert evaluates T(x) for numbers, strings and pointers, and
// (*T)(address), which Go does not allow but a debugger needs.
func (e *evaluator) convert(t dwarf.Type, x operand, what string) (*values.Value, error) {
	k := e.kindOf(t)
	tc, tname := classOf(k), values.TypeName(t)
	if x.v == nil {
		if x.isNil() || !isNumeric(x.c) || (tc != cString && tc != cPointer) {
			return e.constValue(x, t, what)
		}
		c := constant.ToInt(x.c)
		u, exact := constant.Uint64Val(c)
		if c.Kind() != constant.Int || !exact {
			return nil, fmt.Errorf("%s: %w: cannot convert %s to %s", what, ErrTypeMismatch, x.c, tname)
		}
		if tc == cString {
			return stringValue(t, string(rune(min(u, 0x7fffffff)))), nil
		}
		return e.fromBytes(t, encode(k, 8, scalar{u: u}), what)
	}
	v := x.v
	if r, ok, err := e.convertComposite(t, v, what); ok || err != nil {
		return r, err
	}
	vc := classOf(v.Kind)
	a := scalarOf(v)
	var s scalar
	switch {
	case vc == cString && tc == cString:
		r := *v
		r.Type, r.TypeName, r.Addr = t, tname, 0
		return &r, nil
	case (vc == cInt || vc == cUint) && tc == cString:
		r := rune(a.i)
		if vc == cUint {
			r = rune(min(a.u, 0x7fffffff))
		}
		return stringValue(t, string(r)), nil
	case (vc == cInt || vc == cUint || vc == cPointer) && tc == cPointer:
		s.u = a.u
		if vc == cInt {
			s.u = uint64(a.i)
		}
	case vc == cPointer && tc == cUint:
		s.u = a.u
	case isReal(vc) && isReal(tc):
		s = convertNumber(a, vc, tc)
	case vc == cComplex && tc == cComplex:
		s.c = a.c
	case v.TypeName == tname:
		return v, nil
	default:
		return nil, fmt.Errorf("%s: %w: cannot convert %s to %s", what, ErrTypeMismatch, v.TypeName, tname)
	}
	return e.fromBytes(t, encode(k, size(t), s), what)
}

func isReal(c class) bool { return c == cInt || c == cUint || c == cFloat }

// convertNumber converts between integers and floats as Go does.
func convertNumber(a scalar, from, to class) scalar {
	var s scalar
	switch {
	case to == cFloat && from == cInt:
		s.f = float64(a.i)
	case to == cFloat && from == cUint:
		s.f = float64(a.u)
	case to == cFloat:
		s.f = a.f
	case from == cFloat:
		s.i, s.u = int64(a.f), uint64(a.f)
		if a.f < 0 {
			s.u = uint64(int64(a.f))
		}
	case from == cInt:
		s.i, s.u = a.i, uint64(a.i)
	default:
		s.i, s.u = int64(a.u), a.u
	}
	return s
}

// lenCap evaluates len(x) and cap(x).
func (e *evaluator) lenCap(name string, n *ast.CallExpr, what string) (operand, error) {
	if len(n.Args) != 1 || n.Ellipsis.IsValid() {
		return operand{}, fmt.Errorf("%s: %w: %s takes one argument", what, ErrTypeMismatch, name)
	}
	x, err := e.eval(n.Args[0])
	if err != nil {
		return operand{}, err
	}
	if x.v == nil && !x.isNil() && x.c.Kind() == constant.String && name == "len" {
		return operand{c: constant.MakeInt64(int64(len(constant.StringVal(x.c)))), ctype: "int"}, nil
	}
	if x.v == nil {
		return operand{}, fmt.Errorf("%s: %w: invalid argument %s for %s", what, ErrTypeMismatch, operandType(x), name)
	}
	v, err := e.operandValue(x, what)
	if err != nil {
		return operand{}, err
	}
	var r int64
	switch {
	case v.Kind == reflect.Array, name == "len" && (v.Kind == reflect.String || v.Kind == reflect.Map):
		r = v.Len
	case v.Kind == reflect.Slice || v.Kind == reflect.Chan:
		r = v.Len
		if name == "cap" {
			r = v.Cap
		}
	default:
		return operand{}, fmt.Errorf("%s: %w: invalid argument of type %s for %s", what, ErrTypeMismatch, v.TypeName, name)
	}
	// An untyped constant, as Delve has it (Go would say int).
	return operand{c: constant.MakeInt64(r), ctype: "int"}, nil
}
