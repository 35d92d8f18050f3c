package expr

import (
	"debug/dwarf"
	"errors"
	"fmt"
	"go/ast"
	"go/constant"
	"go/parser"
	"go/scanner"
	"go/token"
	"reflect"

	"github.com/godbg/godbg/pkg/proc/values"
)

// probe is how operands are loaded on the way: one level of fields, no
// elements, no pointer targets. The result is loaded again with the
// caller's configuration.
var probe = values.LoadConfig{MaxStringLen: 64, MaxStructFields: -1}

// maxDepth bounds the nesting of an expression.
const maxDepth = 200

// Eval evaluates a Go expression in s and returns its value loaded with
// cfg, named src. Values read from the target keep their address (Addr);
// computed ones have none. A value that cannot be read at all is an
// error; parts that cannot be read carry their error in Value.Err.
func Eval(s Scope, src string, cfg values.LoadConfig) (*values.Value, error) {
	e := newEvaluator(s, src)
	v, err := e.value()
	if err != nil {
		return nil, err
	}
	if v.Kind == reflect.Invalid { // untyped nil
		v.Name = src
		return v, nil
	}
	if e.sliced && cfg.MaxArrayValues >= 0 && v.Len > int64(cfg.MaxArrayValues) {
		cfg.MaxArrayValues = int(min(v.Len, maxSliceLoad)) // a slice expression's range is what was asked for, as Delve
	}
	e.l.Expand(e.mem, v, cfg)
	if v.Err != nil && !(v.Addr != 0 && errors.Is(v.Err, values.ErrCorrupt)) {
		return nil, fmt.Errorf("%s: %w", clip(src), v.Err)
	} // a variable whose contents make no sense prints as (unreadable ...)
	if e.untyped {
		v.TypeName = "" // as Delve: a constant result has no type
	}
	if e.addrOnly && v.Kind == reflect.Pointer {
		v.Children = nil // &x and (*T)(addr) show the address, as Delve's print
	}
	if v.Kind == reflect.String && cfg.MaxStringLen >= 0 && len(v.Str) > cfg.MaxStringLen {
		v.Str = v.Str[:cfg.MaxStringLen] // a computed string, not reloaded
	}
	v.Name = src
	return v, nil
}

// WhatIs returns the type of an expression's value as Go spells it, with
// package paths in full ("*main.T", "map[string]int"); an untyped
// constant has its default type ("int" for 1 << 3).
func WhatIs(s Scope, src string) (string, error) {
	v, err := newEvaluator(s, src).value()
	if err != nil {
		return "", err
	}
	return v.TypeName, nil
}

// value evaluates the expression to a (shallowly loaded) value.
func (e *evaluator) value() (*values.Value, error) {
	return e.run(func() (*values.Value, error) {
		n, err := parse(e.src)
		if err != nil {
			return nil, err
		}
		x, err := e.eval(n)
		if err != nil {
			return nil, err
		}
		e.untyped, e.addrOnly = x.v == nil, isAddressOf(n)
		_, e.sliced = unparen(n).(*ast.SliceExpr)
		if x.isNil() {
			return &values.Value{Kind: reflect.Invalid}, nil
		}
		return e.materialize(x, e.src)
	})
}

// maxSliceLoad bounds the elements of a slice expression print loads.
const maxSliceLoad = 1 << 14

func unparen(n ast.Expr) ast.Expr {
	for {
		p, ok := n.(*ast.ParenExpr)
		if !ok {
			return n
		}
		n = p.X
	}
}

// isAddressOf reports whether n is &x or a conversion to a pointer type,
// whose results print as an address.
func isAddressOf(n ast.Expr) bool {
	for {
		p, ok := n.(*ast.ParenExpr)
		if !ok {
			break
		}
		n = p.X
	}
	switch n := n.(type) {
	case *ast.UnaryExpr:
		return n.Op == token.AND
	case *ast.CallExpr:
		f := n.Fun
		for {
			p, ok := f.(*ast.ParenExpr)
			if !ok {
				break
			}
			f = p.X
		}
		_, ok := f.(*ast.StarExpr)
		return ok
	}
	return false
}

// evaluator is the state of one evaluation.
type evaluator struct {
	s       Scope
	l       *values.Loader
	mem     Memory
	src     string
	depth   int
	noPanic bool     // tests: let panics through so fuzzing finds them
	env     *AddrEnv // address expressions: registers and symbols

	untyped  bool // the result is an untyped constant
	sliced   bool // the expression is a slice expression
	addrOnly bool // the result is &x or a pointer conversion
}

// panicsThrough is set by the tests, so that a panic fails them instead
// of becoming an error.
var panicsThrough = false

func newEvaluator(s Scope, src string) *evaluator {
	return &evaluator{s: s, l: s.Loader(), mem: s.Memory(), src: src, noPanic: panicsThrough}
}

// run calls f, turning a panic (a bug) into an error.
func (e *evaluator) run(f func() (*values.Value, error)) (v *values.Value, err error) {
	if !e.noPanic {
		defer func() {
			if r := recover(); r != nil {
				v, err = nil, fmt.Errorf("internal error evaluating %q: %v", clip(e.src), r)
			}
		}()
	}
	return f()
}

func (e *evaluator) parseEval() (operand, error) {
	n, err := parse(e.src)
	if err != nil {
		return operand{}, err
	}
	return e.eval(n)
}

// parse parses src as a Go expression; a failure is a *SyntaxError.
func parse(src string) (ast.Expr, error) {
	n, err := parser.ParseExpr(src)
	if err != nil {
		var list scanner.ErrorList
		if errors.As(err, &list) && len(list) > 0 {
			return nil, &SyntaxError{Expr: src, Column: list[0].Pos.Column, Msg: list[0].Msg}
		}
		return nil, &SyntaxError{Expr: src, Column: 1, Msg: err.Error()}
	}
	return n, nil
}

// text returns the source of a node, for error messages: clipped to
// maxText bytes.
func (e *evaluator) text(n ast.Node) string {
	lo, hi := int(n.Pos())-1, int(n.End())-1
	if lo < 0 || hi > len(e.src) || lo > hi {
		return clip(e.src)
	}
	return clip(e.src[lo:hi])
}

// maxText bounds how much of an expression an error message quotes.
const maxText = 120

func clip(s string) string {
	if len(s) <= maxText {
		return s
	}
	return s[:maxText] + "…"
}

// operand is an intermediate result: a typed value, or an untyped
// constant (v nil) with the name of its default type, or nil.
type operand struct {
	v     *values.Value
	c     constant.Value
	ctype string // "int", "rune", "float64", "complex128", "string", "bool"; "nil"
}

func typed(v *values.Value) operand { return operand{v: v} }

func (o operand) isNil() bool { return o.v == nil && o.ctype == "nil" }

func (e *evaluator) eval(n ast.Expr) (operand, error) {
	if e.depth++; e.depth > maxDepth {
		return operand{}, fmt.Errorf("%w: expression nested more than %d deep", ErrUnsupported, maxDepth)
	}
	defer func() { e.depth-- }()
	switch n := n.(type) {
	case *ast.BasicLit:
		return e.literal(n)
	case *ast.Ident:
		return e.ident(n)
	case *ast.ParenExpr:
		return e.eval(n.X)
	case *ast.SelectorExpr:
		return e.selector(n)
	case *ast.IndexExpr:
		return e.index(n)
	case *ast.SliceExpr:
		return e.slice(n)
	case *ast.StarExpr:
		x, err := e.eval(n.X)
		if err != nil {
			return operand{}, err
		}
		v, err := e.deref(x, e.text(n))
		return typed(v), err
	case *ast.UnaryExpr:
		return e.unary(n)
	case *ast.BinaryExpr:
		return e.binary(n)
	case *ast.CallExpr:
		return e.call(n)
	case *ast.TypeAssertExpr:
		return e.typeAssert(n)
	case *ast.CompositeLit:
		return e.compositeLit(n)
	}
	return operand{}, fmt.Errorf("%s: %w: %s", e.text(n), ErrUnsupported, describeNode(n))
}

func describeNode(n ast.Expr) string {
	switch n.(type) {
	case *ast.CompositeLit:
		return "composite literals"
	case *ast.FuncLit:
		return "function literals"
	case *ast.TypeAssertExpr:
		return "type assertions"
	case *ast.IndexListExpr:
		return "generic instantiation"
	case *ast.KeyValueExpr:
		return "key: value outside a literal"
	}
	return fmt.Sprintf("%T is not a value", n)
}

func (e *evaluator) literal(n *ast.BasicLit) (operand, error) {
	c := constant.MakeFromLiteral(n.Value, n.Kind, 0)
	if c.Kind() == constant.Unknown {
		return operand{}, &SyntaxError{Expr: e.src, Column: int(n.Pos()), Msg: "malformed literal " + n.Value}
	}
	ctype := map[token.Token]string{token.INT: "int", token.FLOAT: "float64", token.IMAG: "complex128", token.CHAR: "rune", token.STRING: "string"}[n.Kind]
	return operand{c: c, ctype: ctype}, nil
}

// loaded checks a value just read.
func loaded(v *values.Value, what string) (*values.Value, error) {
	if v.Err != nil {
		return nil, fmt.Errorf("%s: %w", what, v.Err)
	}
	return v, nil
}

// load reads a value of type t at addr.
func (e *evaluator) load(t dwarf.Type, addr uint64, what string) (*values.Value, error) {
	return loaded(e.l.Load(e.mem, "", t, addr, probe), what)
}

// fromBytes makes a value of type t from its bytes.
func (e *evaluator) fromBytes(t dwarf.Type, b []byte, what string) (*values.Value, error) {
	return loaded(e.l.LoadBytes(e.mem, "", t, b, probe), what)
}

// kindOf classifies a type the way the values package does.
func (e *evaluator) kindOf(t dwarf.Type) reflect.Kind {
	n := size(t)
	if n > 1<<16 {
		return reflect.Invalid // no scalar; not worth decoding
	}
	return e.l.LoadBytes(e.mem, "", t, make([]byte, n), values.LoadConfig{}).Kind
}
