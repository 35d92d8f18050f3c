package expr

import (
	"fmt"
	"go/ast"
	"go/constant"
	"go/token"
	"reflect"
)

// builtin evaluates real, imag, complex, min and max.
func (e *evaluator) builtin(name string, n *ast.CallExpr, what string) (operand, error) {
	if n.Ellipsis.IsValid() {
		return operand{}, fmt.Errorf("%s: %w: ... with %s", what, ErrTypeMismatch, name)
	}
	args := make([]operand, len(n.Args))
	for i, a := range n.Args {
		x, err := e.eval(a)
		if err != nil {
			return operand{}, err
		}
		args[i] = x
	}
	switch name {
	case "real", "imag":
		if len(args) != 1 {
			return operand{}, fmt.Errorf("%s: %w: %s takes one argument", what, ErrTypeMismatch, name)
		}
		return e.realImag(name == "real", args[0], what)
	case "complex":
		if len(args) != 2 {
			return operand{}, fmt.Errorf("%s: %w: complex takes two arguments", what, ErrTypeMismatch)
		}
		return e.complexOf(n, args[0], args[1], what)
	}
	if len(args) == 0 {
		return operand{}, fmt.Errorf("%s: %w: not enough arguments for %s", what, ErrTypeMismatch, name)
	}
	op := token.LSS
	if name == "max" {
		op = token.GTR
	}
	best := 0
	for i := 1; i < len(args); i++ {
		c, err := e.binaryOp(&ast.BinaryExpr{X: n.Args[i], Op: op, Y: n.Args[best], OpPos: n.Args[i].End()}, args[i], args[best])
		if err != nil {
			return operand{}, err
		}
		if constant.BoolVal(c.c) {
			best = i
		}
	}
	return args[best], nil
}

// realImag evaluates real(x) and imag(x).
func (e *evaluator) realImag(re bool, x operand, what string) (operand, error) {
	if x.v == nil {
		if x.isNil() || !isNumeric(x.c) {
			return operand{}, fmt.Errorf("%s: %w: invalid argument %s", what, ErrTypeMismatch, operandType(x))
		}
		part := constant.Real(x.c)
		if !re {
			part = constant.Imag(x.c)
		}
		return operand{c: part, ctype: "float64"}, nil
	}
	v := x.v
	if classOf(v.Kind) != cComplex {
		return operand{}, fmt.Errorf("%s: %w: invalid argument of type %s (not a complex number)", what, ErrTypeMismatch, v.TypeName)
	}
	part := real(v.Complex)
	if !re {
		part = imag(v.Complex)
	}
	// An untyped constant, as Delve has it (Go would say float64).
	return operand{c: constant.MakeFloat64(part), ctype: "float64"}, nil
}

// complexOf evaluates complex(r, i).
func (e *evaluator) complexOf(n *ast.CallExpr, r, i operand, what string) (operand, error) {
	if r.v == nil && i.v == nil {
		if r.isNil() || i.isNil() || !isNumeric(r.c) || !isNumeric(i.c) {
			return operand{}, fmt.Errorf("%s: %w: complex of %s and %s", what, ErrTypeMismatch, operandType(r), operandType(i))
		}
		c := constant.BinaryOp(constant.ToFloat(r.c), token.ADD, constant.BinaryOp(constant.ToFloat(i.c), token.MUL, constant.MakeImag(constant.MakeInt64(1))))
		return operand{c: c, ctype: "complex128"}, nil
	}
	// Both become the typed operand's float type.
	var err error
	if r.v == nil {
		r.v, err = e.constValue(r, i.v.Type, what)
	} else if i.v == nil {
		i.v, err = e.constValue(i, r.v.Type, what)
	}
	if err != nil {
		return operand{}, err
	}
	if classOf(r.v.Kind) != cFloat || r.v.TypeName != i.v.TypeName {
		return operand{}, fmt.Errorf("%s: %w: complex of %s and %s", what, ErrTypeMismatch, r.v.TypeName, i.v.TypeName)
	}
	t := basicTypes["complex128"]
	if r.v.Kind == reflect.Float32 {
		t = basicTypes["complex64"]
	}
	v, err := e.fromBytes(t, encode(reflect.Complex128, size(t), scalar{c: complex(r.v.Float, i.v.Float)}), what)
	return typed(v), err
}
