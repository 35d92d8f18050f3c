package eval

import (
	"go/token"
	"math/big"
)

func (n *binaryNode) arith(l, r Value) (Value, error) {
	switch {
	case l.big != nil:
		return n.arithBig(l.big, r.big)
	case l.isInteger():
		return n.arithInt(l, r)
	case l.Kind == Float:
		return n.arithFloat(l, r)
	case l.Kind == String && n.op == token.ADD:
		if l.truncated() || r.truncated() {
			return l, errorf(ErrTruncatedString, n.text, "cannot concatenate a partly read string")
		}
		l.s += r.s
		return l, nil
	}
	return l, n.badOp(l)
}

func (n *binaryNode) badOp(v Value) error {
	return errorf(ErrInvalidOp, n.text, "operator %s not defined on %s", n.op, v.typeName())
}

func (n *binaryNode) arithInt(l, r Value) (Value, error) {
	a, b := l.bits, r.bits
	signed := l.Kind == Int
	switch n.op {
	case token.ADD:
		l.bits = a + b
	case token.SUB:
		l.bits = a - b
	case token.MUL:
		l.bits = a * b
	case token.QUO, token.REM:
		if b == 0 {
			return l, errorf(ErrDivideByZero, n.text, "%s is zero", n.text)
		}
		l.bits = divInt(n.op, a, b, signed)
	case token.AND:
		l.bits = a & b
	case token.OR:
		l.bits = a | b
	case token.XOR:
		l.bits = a ^ b
	case token.AND_NOT:
		l.bits = a &^ b
	default:
		return l, n.badOp(l)
	}
	return l.norm(), nil
}

func divInt(op token.Token, a, b uint64, signed bool) uint64 {
	switch {
	case signed && op == token.QUO:
		return uint64(int64(a) / int64(b))
	case signed:
		return uint64(int64(a) % int64(b))
	case op == token.QUO:
		return a / b
	}
	return a % b
}

func (n *binaryNode) arithFloat(l, r Value) (Value, error) {
	switch n.op {
	case token.ADD:
		l.f += r.f
	case token.SUB:
		l.f -= r.f
	case token.MUL:
		l.f *= r.f
	case token.QUO:
		if l.Untyped() && r.f == 0 {
			return l, errorf(ErrDivideByZero, n.text, "%s is zero", n.text)
		}
		l.f /= r.f
	default:
		return l, n.badOp(l)
	}
	return l.norm(), nil
}

func (n *binaryNode) arithBig(a, b *big.Int) (Value, error) {
	z := new(big.Int)
	switch n.op {
	case token.ADD:
		z.Add(a, b)
	case token.SUB:
		z.Sub(a, b)
	case token.MUL:
		z.Mul(a, b)
	case token.QUO, token.REM:
		if b.Sign() == 0 {
			return Value{}, errorf(ErrDivideByZero, n.text, "%s is zero", n.text)
		}
		if n.op == token.QUO {
			z.Quo(a, b)
		} else {
			z.Rem(a, b)
		}
	case token.AND:
		z.And(a, b)
	case token.OR:
		z.Or(a, b)
	case token.XOR:
		z.Xor(a, b)
	case token.AND_NOT:
		z.AndNot(a, b)
	default:
		return Value{}, n.badOp(untypedInt(a))
	}
	return untypedInt(z), nil
}

// shift computes l << r or l >> r; the result has l's type (an untyped l
// with a variable count becomes int, as in Go).
func (n *binaryNode) shift(l, r Value) (Value, error) {
	var count uint64
	switch {
	case r.big != nil && r.big.Sign() >= 0 && r.big.IsUint64():
		count = r.big.Uint64()
	case r.Untyped() && r.Kind == Float && bigOf(r) != nil && bigOf(r).Sign() >= 0:
		count = bigOf(r).Uint64()
	case r.Kind == Uint, r.Kind == Int && r.Int() >= 0:
		count = r.bits
	default:
		return l, errorf(ErrInvalidOp, n.text, "shift count %s must be a non-negative integer", r)
	}
	if l.Untyped() && l.big == nil {
		if b := bigOf(l); b != nil && l.Kind == Float {
			l = untypedInt(b)
		}
	}
	if l.big != nil {
		if !r.Untyped() {
			var err error
			if l, err = convertConst(l, IntValue("int", 8, 0), n.text); err != nil {
				return l, err
			}
		} else {
			if count > 1<<12 {
				return l, errorf(ErrOverflow, n.text, "shift count %d too large", count)
			}
			if n.op == token.SHL {
				return untypedInt(new(big.Int).Lsh(l.big, uint(count))), nil
			}
			return untypedInt(new(big.Int).Rsh(l.big, uint(count))), nil
		}
	}
	if !l.isInteger() {
		return l, errorf(ErrInvalidOp, n.text, "shifted operand %s must be an integer", l.typeName())
	}
	return shiftInt(n.op, l, count), nil
}

func shiftInt(op token.Token, l Value, count uint64) Value {
	switch {
	case op == token.SHL && count >= 64:
		l.bits = 0
	case op == token.SHL:
		l.bits <<= count
	case l.Kind == Int:
		l.bits = uint64(int64(l.bits) >> min(count, 63))
	case count >= 64:
		l.bits = 0
	default:
		l.bits >>= count
	}
	return l.norm()
}
