package expr

import (
	"cmp"
	"fmt"
	"go/ast"
	"go/constant"
	"go/token"
	"reflect"

	"github.com/godbg/godbg/pkg/proc/eval"
	"github.com/godbg/godbg/pkg/proc/values"
)

func (e *evaluator) binary(n *ast.BinaryExpr) (operand, error) {
	if n.Op == token.LAND || n.Op == token.LOR {
		return e.logical(n)
	}
	x, err := e.eval(n.X)
	if err != nil {
		return operand{}, err
	}
	y, err := e.eval(n.Y)
	if err != nil {
		return operand{}, err
	}
	return e.binaryOp(n, x, y)
}

// binaryOp applies n.Op to operands already evaluated.
func (e *evaluator) binaryOp(n *ast.BinaryExpr, x, y operand) (operand, error) {
	var err error
	what := e.text(n)
	switch {
	case n.Op == token.SHL || n.Op == token.SHR:
		return e.shift(n, x, y)
	case x.v == nil && y.v == nil:
		return e.constBinary(n, n.Op, x, y)
	case isComparison(n.Op) && (x.isNil() || y.isNil()):
		return e.compareNil(n, x, y)
	case x.v == nil:
		if x.v, err = e.constValue(x, y.v.Type, what); err != nil {
			return operand{}, err
		}
	case y.v == nil:
		if y.v, err = e.constValue(y, x.v.Type, what); err != nil {
			return operand{}, err
		}
	}
	if !sameBasic(x.v.TypeName, y.v.TypeName) {
		return operand{}, fmt.Errorf("%s: %w %s and %s", what, ErrTypeMismatch, x.v.TypeName, y.v.TypeName)
	}
	if isComparison(n.Op) {
		return e.compare(n.Op, x.v, y.v, what)
	}
	return e.arith(n, x.v, y.v)
}

// compareNil compares a value with nil.
func (e *evaluator) compareNil(n *ast.BinaryExpr, x, y operand) (operand, error) {
	v := x.v
	if x.isNil() {
		v = y.v
	}
	if v == nil || !nillable(v.Kind) || (n.Op != token.EQL && n.Op != token.NEQ) {
		return operand{}, fmt.Errorf("%s: %w: operator %s not defined between nil and %s", e.text(n), ErrTypeMismatch, n.Op, typeNameOf(v))
	}
	return boolConst(v.IsNil() == (n.Op == token.EQL)), nil
}

func typeNameOf(v *values.Value) string {
	if v == nil {
		return "nil"
	}
	return v.TypeName
}

func boolConst(b bool) operand { return operand{c: constant.MakeBool(b), ctype: "bool"} }

// compare compares two values of the same type; the result is an
// untyped boolean, as in Go.
func (e *evaluator) compare(op token.Token, x, y *values.Value, what string) (operand, error) {
	ordered := op != token.EQL && op != token.NEQ
	a, b := scalarOf(x), scalarOf(y)
	var c int
	switch classOf(x.Kind) {
	case cInt:
		c = cmp.Compare(a.i, b.i)
	case cUint:
		c = cmp.Compare(a.u, b.u)
	case cFloat:
		return boolConst(eval.CompareFloat(op, a.f, b.f)), nil
	case cString:
		xs, err := e.fullString(x, what)
		if err != nil {
			return operand{}, err
		}
		ys, err := e.fullString(y, what)
		if err != nil {
			return operand{}, err
		}
		c = cmp.Compare(xs, ys)
	case cBool, cComplex, cPointer:
		if ordered {
			return operand{}, fmt.Errorf("%s: %w: operator %s not defined on %s", what, ErrTypeMismatch, op, x.TypeName)
		}
		eq := a == b
		return boolConst(eq == (op == token.EQL)), nil
	case cOther:
		if k := x.Kind; k == reflect.Struct || k == reflect.Array || k == reflect.Interface || k == reflect.Chan {
			return e.compareDeep(op, x, y, what)
		}
		return operand{}, fmt.Errorf("%s: %w: cannot compare %s values (only with nil)", what, ErrTypeMismatch, x.TypeName)
	}
	switch op {
	case token.EQL:
		return boolConst(c == 0), nil
	case token.NEQ:
		return boolConst(c != 0), nil
	case token.LSS:
		return boolConst(c < 0), nil
	case token.LEQ:
		return boolConst(c <= 0), nil
	case token.GTR:
		return boolConst(c > 0), nil
	}
	return boolConst(c >= 0), nil
}

// arith applies an arithmetic operator to two values of the same type.
func (e *evaluator) arith(n *ast.BinaryExpr, x, y *values.Value) (operand, error) {
	what := e.text(n)
	a, b := scalarOf(x), scalarOf(y)
	var r scalar
	err := errNoOp
	switch classOf(x.Kind) {
	case cInt:
		r.i, err = intOp(n.Op, a.i, b.i)
	case cUint:
		r.u, err = uintOp(n.Op, a.u, b.u)
	case cFloat:
		r.f, err = floatOp(n.Op, a.f, b.f)
	case cComplex:
		r.c, err = complexOp(n.Op, a.c, b.c)
	case cString:
		if n.Op == token.ADD {
			return e.concat(x, y, what)
		}
	}
	switch {
	case err == errNoOp:
		return operand{}, fmt.Errorf("%s: %w: operator %s not defined on %s", what, ErrTypeMismatch, n.Op, x.TypeName)
	case err != nil:
		return operand{}, fmt.Errorf("%s: %w", what, err)
	}
	v, err := e.fromBytes(x.Type, encode(x.Kind, x.Size, r), what)
	return typed(v), err
}

var errNoOp = fmt.Errorf("operator not defined")

func intOp(op token.Token, a, b int64) (int64, error) { return integerOp(op, a, b) }

func uintOp(op token.Token, a, b uint64) (uint64, error) { return integerOp(op, a, b) }

// integerOp is a binary operator other than a shift or comparison on
// 64-bit integers of either signedness.
func integerOp[T int64 | uint64](op token.Token, a, b T) (T, error) {
	switch op {
	case token.ADD:
		return a + b, nil
	case token.SUB:
		return a - b, nil
	case token.MUL:
		return a * b, nil
	case token.QUO, token.REM:
		if b == 0 {
			return 0, ErrDivideByZero
		}
		if op == token.QUO {
			return a / b, nil
		}
		return a % b, nil
	case token.AND:
		return a & b, nil
	case token.OR:
		return a | b, nil
	case token.XOR:
		return a ^ b, nil
	case token.AND_NOT:
		return a &^ b, nil
	}
	return 0, errNoOp
}

func floatOp(op token.Token, a, b float64) (float64, error) {
	switch op {
	case token.ADD:
		return a + b, nil
	case token.SUB:
		return a - b, nil
	case token.MUL:
		return a * b, nil
	case token.QUO:
		return a / b, nil
	}
	return 0, errNoOp
}

func complexOp(op token.Token, a, b complex128) (complex128, error) {
	switch op {
	case token.ADD:
		return a + b, nil
	case token.SUB:
		return a - b, nil
	case token.MUL:
		return a * b, nil
	case token.QUO:
		return a / b, nil
	}
	return 0, errNoOp
}

// maxString bounds the strings the evaluator builds or reads whole.
const maxString = 1 << 20

func (e *evaluator) concat(x, y *values.Value, what string) (operand, error) {
	if x.Len+y.Len > maxString || x.Len < 0 || y.Len < 0 {
		return operand{}, fmt.Errorf("%s: %w: string longer than %d bytes", what, ErrUnsupported, maxString)
	}
	xs, err := e.fullString(x, what)
	if err != nil {
		return operand{}, err
	}
	ys, err := e.fullString(y, what)
	if err != nil {
		return operand{}, err
	}
	return typed(stringValue(x.Type, xs+ys)), nil
}

// fullString returns all of a string value, reading what the load cut.
func (e *evaluator) fullString(v *values.Value, what string) (string, error) {
	if v.Truncated() <= 0 {
		return v.Str, nil
	}
	if v.Len > maxString {
		return "", fmt.Errorf("%s: %w: string of %d bytes (at most %d)", what, ErrUnsupported, v.Len, maxString)
	}
	buf := make([]byte, v.Len)
	n, err := e.mem.ReadMemory(v.Base, buf)
	if err == nil && n < len(buf) {
		err = fmt.Errorf("short read of %d bytes at %#x", len(buf), v.Base)
	}
	if err != nil {
		return "", fmt.Errorf("%s: %w", what, err)
	}
	return string(buf), nil
}

// shift evaluates x << y and x >> y.
func (e *evaluator) shift(n *ast.BinaryExpr, x, y operand) (operand, error) {
	what := e.text(n)
	count, err := e.shiftCount(y, what)
	if err != nil {
		return operand{}, err
	}
	if x.v == nil && y.v == nil { // constant shift
		if x.isNil() || !isNumeric(x.c) || constant.ToInt(x.c).Kind() != constant.Int {
			return operand{}, fmt.Errorf("%s: %w: shift of untyped %s", what, ErrTypeMismatch, x.ctype)
		}
		if count > maxConstBits {
			return operand{}, fmt.Errorf("%s: %w: shift count %d", what, ErrOverflow, count)
		}
		ctype := x.ctype
		if ctype != "rune" {
			ctype = "int"
		}
		return checkConst(operand{c: constant.Shift(constant.ToInt(x.c), n.Op, uint(count)), ctype: ctype}, what)
	}
	if x.v == nil { // a non-constant shift types its constant operand as int
		if x.v, err = e.constValue(x, typeInt, what); err != nil {
			return operand{}, err
		}
	}
	v := x.v
	var r scalar
	switch classOf(v.Kind) {
	case cInt:
		switch {
		case n.Op == token.SHL && count >= 64:
		case n.Op == token.SHL:
			r.i = v.Int << count
		case count >= 64 && v.Int < 0:
			r.i = -1
		case count < 64:
			r.i = v.Int >> count
		}
	case cUint:
		if count < 64 {
			r.u = v.Uint << count
			if n.Op == token.SHR {
				r.u = v.Uint >> count
			}
		}
	default:
		return operand{}, fmt.Errorf("%s: %w: shift of %s", what, ErrTypeMismatch, v.TypeName)
	}
	res, err := e.fromBytes(v.Type, encode(v.Kind, v.Size, r), what)
	return typed(res), err
}

func (e *evaluator) shiftCount(y operand, what string) (uint64, error) {
	if y.v == nil {
		if y.isNil() || !isNumeric(y.c) {
			return 0, fmt.Errorf("%s: %w: shift count of type untyped %s", what, ErrTypeMismatch, y.ctype)
		}
		c := constant.ToInt(y.c)
		u, exact := constant.Uint64Val(c)
		if c.Kind() != constant.Int || constant.Sign(c) < 0 || !exact {
			return 0, fmt.Errorf("%s: %w: invalid shift count %s", what, ErrOutOfRange, y.c)
		}
		return u, nil
	}
	switch classOf(y.v.Kind) {
	case cInt:
		if y.v.Int < 0 {
			return 0, fmt.Errorf("%s: %w: negative shift count %d", what, ErrOutOfRange, y.v.Int)
		}
		return uint64(y.v.Int), nil
	case cUint:
		return y.v.Uint, nil
	}
	return 0, fmt.Errorf("%s: %w: shift count of type %s", what, ErrTypeMismatch, y.v.TypeName)
}

// logical evaluates && and ||, not evaluating the right operand when
// the left decides.
func (e *evaluator) logical(n *ast.BinaryExpr) (operand, error) {
	what := e.text(n)
	x, err := e.eval(n.X)
	if err != nil {
		return operand{}, err
	}
	bx, err := boolOf(x, what)
	if err != nil {
		return operand{}, err
	}
	if bx == (n.Op == token.LOR) {
		return x, nil
	}
	y, err := e.eval(n.Y)
	if err != nil {
		return operand{}, err
	}
	by, err := boolOf(y, what)
	if err != nil {
		return operand{}, err
	}
	t := x.v
	switch {
	case x.v == nil && y.v == nil:
		return boolConst(by), nil
	case x.v == nil:
		t = y.v
	case y.v != nil && x.v.TypeName != y.v.TypeName:
		return operand{}, fmt.Errorf("%s: %w %s and %s", what, ErrTypeMismatch, x.v.TypeName, y.v.TypeName)
	}
	v, err := e.fromBytes(t.Type, encode(t.Kind, t.Size, scalar{b: by}), what)
	return typed(v), err
}

func boolOf(x operand, what string) (bool, error) {
	if x.v == nil && !x.isNil() && x.c.Kind() == constant.Bool {
		return constant.BoolVal(x.c), nil
	}
	if x.v != nil && classOf(x.v.Kind) == cBool {
		return x.v.Bool, nil
	}
	return false, fmt.Errorf("%s: %w: operand of type %s is not a bool", what, ErrTypeMismatch, operandType(x))
}

func operandType(x operand) string {
	if x.v != nil {
		return x.v.TypeName
	}
	if x.isNil() {
		return "nil"
	}
	return "untyped " + x.ctype
}
