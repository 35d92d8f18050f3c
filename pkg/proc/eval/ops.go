package eval

import (
	"go/token"
	"math/big"
	"strings"
)

type logicalNode struct {
	and  bool
	x, y node
	text string
}

func (n *logicalNode) eval(s Scope) (Value, error) {
	l, err := n.operand(n.x, s)
	if err != nil || l.Bool() != n.and {
		return l, err // short circuit: false && ..., true || ...
	}
	return n.operand(n.y, s)
}

func (n *logicalNode) operand(x node, s Scope) (Value, error) {
	v, err := x.eval(s)
	if err != nil {
		return v, err
	}
	if v.Kind != Bool {
		op := "||"
		if n.and {
			op = "&&"
		}
		return v, errorf(ErrInvalidOp, n.text, "operator %s not defined on %s", op, v.typeName())
	}
	return v, nil
}

type unaryNode struct {
	op   token.Token
	x    node
	text string
}

func (n *unaryNode) eval(s Scope) (Value, error) {
	v, err := n.x.eval(s)
	if err != nil {
		return v, err
	}
	switch {
	case n.op == token.NOT && v.Kind == Bool:
		v.bits ^= 1
		return v, nil
	case n.op == token.ADD && v.isNumeric():
		return v, nil
	case n.op == token.SUB && v.big != nil:
		return untypedInt(new(big.Int).Neg(v.big)), nil
	case n.op == token.SUB && v.Kind == Float:
		v.f = -v.f
		return v, nil
	case n.op == token.SUB && v.isInteger():
		v.bits = -v.bits
		return v.norm(), nil
	case n.op == token.XOR && v.big != nil:
		return untypedInt(new(big.Int).Not(v.big)), nil
	case n.op == token.XOR && v.isInteger():
		v.bits = ^v.bits
		return v.norm(), nil
	}
	return v, errorf(ErrInvalidOp, n.text, "operator %s not defined on %s", n.op, v.typeName())
}

type binaryNode struct {
	op   token.Token
	x, y node
	text string
}

func (n *binaryNode) eval(s Scope) (Value, error) {
	l, err := n.x.eval(s)
	if err != nil {
		return l, err
	}
	r, err := n.y.eval(s)
	if err != nil {
		return r, err
	}
	if n.op == token.SHL || n.op == token.SHR {
		return n.shift(l, r)
	}
	if l, r, err = n.unify(l, r); err != nil {
		return l, err
	}
	switch n.op {
	case token.EQL, token.NEQ, token.LSS, token.LEQ, token.GTR, token.GEQ:
		return n.compare(l, r)
	}
	return n.arith(l, r)
}

// unify gives both operands one type: an untyped constant converts to the
// other operand's type; two typed operands must have the same type.
func (n *binaryNode) unify(l, r Value) (Value, Value, error) {
	switch {
	case l.Kind == Nil || r.Kind == Nil:
		return n.unifyNil(l, r)
	case !l.Untyped() && !r.Untyped():
		if !sameType(l, r) {
			return l, r, errorf(ErrMismatchedTypes, n.text, "%s and %s", l.Type, r.Type)
		}
		return l, r, nil
	case l.Untyped() && r.Untyped():
		return n.unifyConst(l, r)
	case l.Untyped():
		c, err := convertConst(l, r, n.text)
		return c, r, err
	}
	c, err := convertConst(r, l, n.text)
	return l, c, err
}

func (n *binaryNode) unifyNil(l, r Value) (Value, Value, error) {
	if l.Kind == Nil && r.Kind == Nil {
		return l, r, errorf(ErrInvalidOp, n.text, "operator %s not defined on nil", n.op)
	}
	other := l
	if l.Kind == Nil {
		other = r
	}
	if other.Kind != Pointer {
		return l, r, errorf(ErrMismatchedTypes, n.text, "%s and untyped nil", other.typeName())
	}
	nilPtr := PointerValue(other.Type, 0)
	if l.Kind == Nil {
		return nilPtr, r, nil
	}
	return l, nilPtr, nil
}

// unifyConst handles two untyped constants: int meets float as float.
func (n *binaryNode) unifyConst(l, r Value) (Value, Value, error) {
	switch {
	case l.Kind == r.Kind:
		return l, r, nil
	case l.isNumeric() && r.isNumeric():
		return untypedFloat(floatOf(l)), untypedFloat(floatOf(r)), nil
	}
	return l, r, errorf(ErrMismatchedTypes, n.text, "%s and %s", l.typeName(), r.typeName())
}

func (n *binaryNode) compare(l, r Value) (Value, error) {
	ordered := n.op != token.EQL && n.op != token.NEQ
	var c int
	switch {
	case l.Kind == Bool && !ordered, l.Kind == Pointer && !ordered:
		c = cmpUint(l.bits, r.bits)
	case l.big != nil:
		c = l.big.Cmp(r.big)
	case l.Kind == Int:
		c = cmpInt(l.Int(), r.Int())
	case l.Kind == Uint:
		c = cmpUint(l.bits, r.bits)
	case l.Kind == Float:
		return untypedBool(CompareFloat(n.op, l.f, r.f)), nil
	case l.Kind == String:
		var err error
		if c, err = n.cmpString(l, r, !ordered); err != nil {
			return Value{}, err
		}
	default:
		return Value{}, errorf(ErrInvalidOp, n.text, "operator %s not defined on %s", n.op, l.typeName())
	}
	return untypedBool(cmpResult(n.op, c)), nil
}

// cmpString compares strings; a truncated one decides only when the
// lengths (for equality) or the read prefixes differ.
func (n *binaryNode) cmpString(l, r Value, equality bool) (int, error) {
	if !l.truncated() && !r.truncated() {
		return strings.Compare(l.s, r.s), nil
	}
	if equality && l.stringLen() != r.stringLen() {
		return 1, nil
	}
	k := min(len(l.s), len(r.s))
	if c := strings.Compare(l.s[:k], r.s[:k]); c != 0 {
		return c, nil
	}
	// One string is a prefix of the other: decided if the shorter read is
	// the whole string.
	if (len(l.s) == k && !l.truncated()) || (len(r.s) == k && !r.truncated()) {
		return cmpInt(l.stringLen(), r.stringLen()), nil
	}
	return 0, errorf(ErrTruncatedString, n.text, "only the first %d bytes were read", k)
}

func cmpInt(a, b int64) int {
	switch {
	case a < b:
		return -1
	case a > b:
		return 1
	}
	return 0
}

func cmpUint(a, b uint64) int {
	switch {
	case a < b:
		return -1
	case a > b:
		return 1
	}
	return 0
}

// CompareFloat compares two floats with a comparison operator as Go
// does: NaN is unequal to everything.
func CompareFloat(op token.Token, a, b float64) bool {
	switch op {
	case token.EQL:
		return a == b
	case token.NEQ:
		return a != b
	case token.LSS:
		return a < b
	case token.LEQ:
		return a <= b
	case token.GTR:
		return a > b
	}
	return a >= b
}

func cmpResult(op token.Token, c int) bool {
	switch op {
	case token.EQL:
		return c == 0
	case token.NEQ:
		return c != 0
	case token.LSS:
		return c < 0
	case token.LEQ:
		return c <= 0
	case token.GTR:
		return c > 0
	}
	return c >= 0
}
