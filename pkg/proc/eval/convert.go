package eval

import (
	"go/ast"
	"math"
	"math/big"
)

// convertConst converts the untyped constant c to the type of t.
func convertConst(c, t Value, text string) (Value, error) {
	mismatch := func() (Value, error) {
		return c, errorf(ErrMismatchedTypes, text, "%s and %s", t.Type, c.typeName())
	}
	switch t.Kind {
	case Int, Uint:
		if !c.isNumeric() {
			return mismatch()
		}
		b := bigOf(c)
		if b == nil {
			return c, errorf(ErrOverflow, text, "%s truncated to %s", c, t.Type)
		}
		if !fits(b, t.Kind, int(t.Size)) {
			return c, errorf(ErrOverflow, text, "%s overflows %s", c, t.Type)
		}
		v := Value{Kind: t.Kind, Type: t.Type, Size: t.Size, slen: -1}
		if t.Kind == Int {
			v.bits = uint64(b.Int64())
		} else {
			v.bits = b.Uint64()
		}
		return v, nil
	case Float:
		if !c.isNumeric() {
			return mismatch()
		}
		f := floatOf(c)
		if t.Size == 4 && math.Abs(f) > math.MaxFloat32 {
			return c, errorf(ErrOverflow, text, "%s overflows %s", c, t.Type)
		}
		return FloatValue(t.Type, int(t.Size), f), nil
	case String, Bool:
		if c.Kind != t.Kind {
			return mismatch()
		}
		c.Type = t.Type
		return c, nil
	}
	return mismatch()
}

func fits(b *big.Int, k Kind, size int) bool {
	bits := uint(8 * size)
	if k == Uint {
		return b.IsUint64() && (bits == 64 || b.Uint64() < 1<<bits)
	}
	if !b.IsInt64() {
		return false
	}
	v := b.Int64()
	return bits == 64 || (v >= -1<<(bits-1) && v < 1<<(bits-1))
}

// basicTypes are the conversion targets: kind and size.
var basicTypes = map[string]Value{
	"int": {Kind: Int, Size: 8}, "int8": {Kind: Int, Size: 1}, "int16": {Kind: Int, Size: 2},
	"int32": {Kind: Int, Size: 4}, "rune": {Kind: Int, Size: 4}, "int64": {Kind: Int, Size: 8},
	"uint": {Kind: Uint, Size: 8}, "uint8": {Kind: Uint, Size: 1}, "byte": {Kind: Uint, Size: 1},
	"uint16": {Kind: Uint, Size: 2}, "uint32": {Kind: Uint, Size: 4}, "uint64": {Kind: Uint, Size: 8},
	"uintptr": {Kind: Uint, Size: 8}, "float32": {Kind: Float, Size: 4}, "float64": {Kind: Float, Size: 8},
}

func (c *compiler) conversion(x *ast.CallExpr) (node, error) {
	id, ok := x.Fun.(*ast.Ident)
	t, isType := basicTypes[identName(id, ok)]
	if !isType || len(x.Args) != 1 || x.Ellipsis.IsValid() {
		return nil, errorf(ErrUnsupported, c.text(x), "function calls; %s", notScalar)
	}
	sub, err := c.compile(x.Args[0])
	if err != nil {
		return nil, err
	}
	name := id.Name
	switch name {
	case "byte":
		name = "uint8"
	case "rune":
		name = "int32"
	}
	t.Type, t.slen = name, -1
	return fold(&convNode{to: t, x: sub, text: c.text(x)})
}

func identName(id *ast.Ident, ok bool) string {
	if !ok {
		return ""
	}
	return id.Name
}

// convNode is a numeric conversion T(x).
type convNode struct {
	to   Value
	x    node
	text string
}

func (n *convNode) eval(s Scope) (Value, error) {
	v, err := n.x.eval(s)
	if err != nil {
		return v, err
	}
	if v.Untyped() {
		return convertConst(v, n.to, n.text)
	}
	out := n.to
	switch {
	case !v.isNumeric():
		return v, errorf(ErrInvalidOp, n.text, "cannot convert %s to %s", v.typeName(), n.to.Type)
	case out.Kind == Float:
		out.f = floatOf(v)
	case v.Kind == Float:
		out.bits = floatToBits(v.f, out.Kind == Int)
	default:
		out.bits = v.bits
	}
	return out.norm(), nil
}

func floatToBits(f float64, signed bool) uint64 {
	if signed {
		return uint64(int64(f))
	}
	return uint64(f)
}
