package expr

import (
	"debug/dwarf"
	"fmt"
	"go/ast"
	"go/constant"
	"go/token"
	"math"
	"reflect"

	"github.com/godbg/godbg/pkg/proc/values"
)

// maxConstBits bounds untyped integer constants, as the Go compiler does
// (it allows 512 bits; a little more costs nothing).
const maxConstBits = 1024

// materialize turns an operand into a value; an untyped constant gets
// its default type.
func (e *evaluator) materialize(x operand, what string) (*values.Value, error) {
	if x.v != nil {
		return x.v, nil
	}
	t, ok := basicTypes[x.ctype]
	if !ok {
		return nil, fmt.Errorf("%s: %w: use of untyped nil", what, ErrTypeMismatch)
	}
	if x.ctype == "rune" {
		t = typeInt32
	}
	return e.constValue(x, t, what)
}

// stringValue makes a computed string (not in target memory).
func stringValue(t dwarf.Type, s string) *values.Value {
	return &values.Value{Type: t, TypeName: values.TypeName(t), Kind: reflect.String, Size: 16, Str: s, Len: int64(len(s))}
}

// constValue converts an untyped constant to a value of type t, if Go
// would: the constant must be representable in t.
func (e *evaluator) constValue(x operand, t dwarf.Type, what string) (*values.Value, error) {
	k := e.kindOf(t)
	tname := values.TypeName(t)
	c := x.c
	if x.isNil() {
		if !nillable(k) {
			return nil, fmt.Errorf("%s: %w: cannot use nil as %s value", what, ErrTypeMismatch, tname)
		}
		return e.fromBytes(t, make([]byte, size(t)), what)
	}
	mismatch := func() error {
		return fmt.Errorf("%s: %w: cannot use %s (untyped %s constant) as %s value", what, ErrTypeMismatch, c, x.ctype, tname)
	}
	overflow := func() error {
		return fmt.Errorf("%s: %w: %s as %s", what, ErrOverflow, c, tname)
	}
	var s scalar
	n := size(t)
	switch classOf(k) {
	case cInt, cUint, cPointer:
		if !isNumeric(c) {
			return nil, mismatch()
		}
		ic := constant.ToInt(c)
		if ic.Kind() != constant.Int {
			return nil, fmt.Errorf("%s: %w: %s truncated to %s", what, ErrTypeMismatch, c, tname)
		}
		if classOf(k) == cInt {
			i, exact := constant.Int64Val(ic)
			if sh := 64 - 8*uint(n); !exact || n > 8 || i<<sh>>sh != i {
				return nil, overflow()
			}
			s.i = i
			break
		}
		u, exact := constant.Uint64Val(ic)
		if !exact || constant.Sign(ic) < 0 || (n < 8 && u>>(8*uint(n)) != 0) {
			return nil, overflow()
		}
		s.u = u
	case cFloat:
		fc := constant.ToFloat(c)
		if fc.Kind() != constant.Float {
			return nil, mismatch()
		}
		f, _ := constant.Float64Val(fc)
		if math.IsInf(f, 0) || (n == 4 && math.Abs(f) > math.MaxFloat32) {
			return nil, overflow()
		}
		s.f = f
	case cComplex:
		cc := constant.ToComplex(c)
		if cc.Kind() != constant.Complex {
			return nil, mismatch()
		}
		re, _ := constant.Float64Val(constant.Real(cc))
		im, _ := constant.Float64Val(constant.Imag(cc))
		s.c = complex(re, im)
	case cBool:
		if c.Kind() != constant.Bool {
			return nil, mismatch()
		}
		s.b = constant.BoolVal(c)
	case cString:
		if c.Kind() != constant.String {
			return nil, mismatch()
		}
		return stringValue(t, constant.StringVal(c)), nil
	default:
		return nil, mismatch()
	}
	return e.fromBytes(t, encode(k, n, s), what)
}

func isNumeric(c constant.Value) bool {
	switch c.Kind() {
	case constant.Int, constant.Float, constant.Complex:
		return true
	}
	return false
}

// untypedRank orders the default types of numeric constants: an
// operation takes the higher of its operands'.
var untypedRank = map[string]int{"int": 1, "rune": 2, "float64": 3, "complex128": 4}

func isComparison(op token.Token) bool {
	switch op {
	case token.EQL, token.NEQ, token.LSS, token.LEQ, token.GTR, token.GEQ:
		return true
	}
	return false
}

// constBinary applies op to two untyped constants.
func (e *evaluator) constBinary(n ast.Node, op token.Token, x, y operand) (operand, error) {
	what := e.text(n)
	if x.isNil() || y.isNil() {
		return operand{}, fmt.Errorf("%s: %w: operator %s not defined on nil", what, ErrTypeMismatch, op)
	}
	xn, yn := isNumeric(x.c), isNumeric(y.c)
	bad := fmt.Errorf("%s: %w: untyped %s %s untyped %s", what, ErrTypeMismatch, x.ctype, op, y.ctype)
	if isComparison(op) {
		ordered := op != token.EQL && op != token.NEQ
		switch {
		case xn && yn && !(ordered && (x.c.Kind() == constant.Complex || y.c.Kind() == constant.Complex)):
		case x.c.Kind() == constant.String && y.c.Kind() == constant.String:
		case x.c.Kind() == constant.Bool && y.c.Kind() == constant.Bool && !ordered:
		default:
			return operand{}, bad
		}
		return operand{c: constant.MakeBool(constant.Compare(x.c, op, y.c)), ctype: "bool"}, nil
	}
	if x.c.Kind() == constant.String && y.c.Kind() == constant.String && op == token.ADD {
		if len(constant.StringVal(x.c))+len(constant.StringVal(y.c)) > maxString {
			return operand{}, fmt.Errorf("%s: %w: string longer than %d bytes", what, ErrUnsupported, maxString)
		}
		return operand{c: constant.BinaryOp(x.c, op, y.c), ctype: "string"}, nil
	}
	if !xn || !yn {
		return operand{}, bad
	}
	ctype := x.ctype
	if untypedRank[y.ctype] > untypedRank[ctype] {
		ctype = y.ctype
	}
	integer := untypedRank[ctype] <= untypedRank["rune"]
	xc, yc := x.c, y.c
	switch op {
	case token.ADD, token.SUB, token.MUL:
	case token.QUO, token.REM:
		if constant.Sign(yc) == 0 {
			return operand{}, fmt.Errorf("%s: %w", what, ErrDivideByZero)
		}
		if op == token.REM && !integer {
			return operand{}, fmt.Errorf("%s: %w: operator %% not defined on untyped %s", what, ErrTypeMismatch, ctype)
		}
		if integer {
			xc, yc = constant.ToInt(xc), constant.ToInt(yc)
			if op == token.QUO {
				op = token.QUO_ASSIGN // integer division
			}
		}
	case token.AND, token.OR, token.XOR, token.AND_NOT:
		if !integer {
			return operand{}, fmt.Errorf("%s: %w: operator %s not defined on untyped %s", what, ErrTypeMismatch, op, ctype)
		}
		xc, yc = constant.ToInt(xc), constant.ToInt(yc)
	default:
		return operand{}, fmt.Errorf("%s: %w: operator %s", what, ErrUnsupported, op)
	}
	if integer && (xc.Kind() != constant.Int || yc.Kind() != constant.Int) {
		return operand{}, bad
	}
	r := constant.BinaryOp(xc, op, yc)
	return checkConst(operand{c: r, ctype: ctype}, what)
}

// checkConst rejects integer constants too large to compute with.
func checkConst(x operand, what string) (operand, error) {
	if x.c.Kind() == constant.Int && constant.BitLen(x.c) > maxConstBits {
		return operand{}, fmt.Errorf("%s: %w: more than %d bits", what, ErrOverflow, maxConstBits)
	}
	if x.c.Kind() == constant.Unknown {
		return operand{}, fmt.Errorf("%s: %w: result is not a number", what, ErrOverflow)
	}
	return x, nil
}

// constUnary applies a unary operator to an untyped constant.
func constUnary(op token.Token, x operand, what string) (operand, error) {
	if x.isNil() {
		return operand{}, fmt.Errorf("%s: %w: operator %s not defined on nil", what, ErrTypeMismatch, op)
	}
	ok := false
	switch op {
	case token.ADD, token.SUB:
		ok = isNumeric(x.c)
	case token.NOT:
		ok = x.c.Kind() == constant.Bool
	case token.XOR:
		if untypedRank[x.ctype] > 0 && untypedRank[x.ctype] <= untypedRank["rune"] {
			x.c = constant.ToInt(x.c)
			ok = x.c.Kind() == constant.Int
		}
	}
	if !ok {
		return operand{}, fmt.Errorf("%s: %w: operator %s not defined on untyped %s", what, ErrTypeMismatch, op, x.ctype)
	}
	return checkConst(operand{c: constant.UnaryOp(op, x.c, 0), ctype: x.ctype}, what)
}
