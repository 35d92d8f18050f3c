package expr

import (
	"debug/dwarf"
	"fmt"
	"go/ast"
	"reflect"

	"github.com/godbg/godbg/pkg/proc/values"
)

// compositeLit evaluates a struct or array literal of the program's
// types, T{1, 2} or T{A: 1}, whose elements are constants or values of
// the field types (map keys such as m[main.T{1, 1}] need them). The
// value is computed: it has no address.
func (e *evaluator) compositeLit(n *ast.CompositeLit) (operand, error) {
	what := e.text(n)
	if n.Type == nil {
		return operand{}, fmt.Errorf("%s: %w: a literal without its type", what, ErrUnsupported)
	}
	t, err := e.typeOf(n.Type)
	if err != nil {
		return operand{}, fmt.Errorf("%s: %w", what, err)
	}
	buf := make([]byte, size(t))
	if int64(len(buf)) > maxConvert {
		return operand{}, fmt.Errorf("%s: %w: %s is too large for a literal", what, ErrUnsupported, e.text(n.Type))
	}
	st, isStruct := strip(t).(*dwarf.StructType)
	at, isArray := strip(t).(*dwarf.ArrayType)
	switch k := e.kindOf(t); {
	case k == reflect.Struct && isStruct:
		err = e.structLit(n, st, buf, what)
	case k == reflect.Array && isArray:
		err = e.arrayLit(n, at, buf, what)
	default:
		err = fmt.Errorf("%s: %w: literals of type %s (only structs and arrays)", what, ErrUnsupported, e.text(n.Type))
	}
	if err != nil {
		return operand{}, err
	}
	v, err := e.fromBytes(t, buf, what)
	return typed(v), err
}

func (e *evaluator) structLit(n *ast.CompositeLit, st *dwarf.StructType, buf []byte, what string) error {
	for i, el := range n.Elts {
		var f *dwarf.StructField
		x := el
		if kv, ok := el.(*ast.KeyValueExpr); ok {
			id, ok := kv.Key.(*ast.Ident)
			if !ok {
				return fmt.Errorf("%s: %w: field name %s", what, ErrTypeMismatch, e.text(kv.Key))
			}
			for _, g := range st.Field {
				if g.Name == id.Name {
					f = g
				}
			}
			if f == nil {
				return fmt.Errorf("%s: %w %s in %s", what, ErrNoField, id.Name, st.StructName)
			}
			x = kv.Value
		} else {
			if len(n.Elts) != len(st.Field) {
				return fmt.Errorf("%s: %w: %d values for %d fields", what, ErrTypeMismatch, len(n.Elts), len(st.Field))
			}
			f = st.Field[i]
		}
		if err := e.place(x, f.Type, buf[f.ByteOffset:], what); err != nil {
			return err
		}
	}
	return nil
}

func (e *evaluator) arrayLit(n *ast.CompositeLit, at *dwarf.ArrayType, buf []byte, what string) error {
	if int64(len(n.Elts)) > at.Count {
		return fmt.Errorf("%s: %w: %d values for [%d]", what, ErrOutOfRange, len(n.Elts), at.Count)
	}
	w := size(at.Type)
	for i, el := range n.Elts {
		if _, ok := el.(*ast.KeyValueExpr); ok {
			return fmt.Errorf("%s: %w: indexed array literals", what, ErrUnsupported)
		}
		if err := e.place(el, at.Type, buf[int64(i)*w:], what); err != nil {
			return err
		}
	}
	return nil
}

// place evaluates x as a value of type t into buf.
func (e *evaluator) place(x ast.Expr, t dwarf.Type, buf []byte, what string) error {
	o, err := e.eval(x)
	if err != nil {
		return err
	}
	var v = o.v
	if v == nil {
		if v, err = e.constValue(o, t, what); err != nil {
			return err
		}
	}
	k := e.kindOf(t)
	if classOf(k) != cOther && k != reflect.String {
		if !sameBasic(v.TypeName, values.TypeName(t)) {
			return fmt.Errorf("%s: %w: cannot use %s (type %s) as %s value", what, ErrTypeMismatch, e.text(x), v.TypeName, values.TypeName(t))
		}
		copy(buf, encode(k, size(t), scalarOf(v))[:size(t)])
		return nil
	}
	raw, err := e.rawOf(operand{v: v}, &values.Value{Kind: k, Size: size(t), TypeName: values.TypeName(t)}, e.text(x))
	if err != nil {
		return fmt.Errorf("%s: %w", what, err)
	}
	copy(buf, raw)
	return nil
}
