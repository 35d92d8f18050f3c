package expr

import (
	"fmt"
	"go/ast"
	"go/token"
	"reflect"

	"github.com/godbg/godbg/pkg/proc/values"
)

// Go's equality for structs, arrays and interfaces (== and != only), and
// type assertions x.(T) and Delve's x.(data).

// deepLoad loads what equality reads: every field and element, strings
// whole, pointers not followed (they compare by address).
var deepLoad = values.LoadConfig{MaxArrayValues: 4096, MaxStringLen: 1 << 16, MaxStructFields: -1, MaxVariableRecurse: 16}

// equal compares two values of one comparable type as Go's == does.
func (e *evaluator) equal(x, y *values.Value, what string) (bool, error) {
	a, b := *x, *y
	e.l.Expand(e.mem, &a, deepLoad)
	e.l.Expand(e.mem, &b, deepLoad)
	return e.equalLoaded(&a, &b, what, 0)
}

func (e *evaluator) equalLoaded(x, y *values.Value, what string, depth int) (bool, error) {
	if depth > maxDepth {
		return false, fmt.Errorf("%s: %w: values nested too deep to compare", what, ErrUnsupported)
	}
	for _, v := range []*values.Value{x, y} {
		if v.Err != nil {
			return false, fmt.Errorf("%s: %w", what, v.Err)
		}
	}
	switch x.Kind {
	case reflect.Struct, reflect.Array:
		if len(x.Children) != len(y.Children) || int64(len(x.Children)) != x.Len {
			return false, fmt.Errorf("%s: %w: %s too large to compare", what, ErrUnsupported, x.TypeName)
		}
		for i := range x.Children {
			if eq, err := e.equalLoaded(x.Children[i], y.Children[i], what, depth+1); !eq || err != nil {
				return false, err
			}
		}
		return true, nil
	case reflect.Interface:
		dx, dy := x.Elem(), y.Elem()
		if dx == nil || dy == nil || x.Base == 0 || y.Base == 0 {
			return x.Base == y.Base, nil
		}
		if dx.TypeName != dy.TypeName {
			return false, nil
		}
		if dx.Unloaded || dy.Unloaded {
			return e.equal(e.dynamic(x), e.dynamic(y), what)
		}
		return e.equalLoaded(dx, dy, what, depth+1)
	case reflect.String:
		if x.Len != y.Len {
			return false, nil
		}
		xs, err := e.fullString(x, what)
		if err != nil {
			return false, err
		}
		ys, err := e.fullString(y, what)
		return xs == ys, err
	case reflect.Slice, reflect.Map, reflect.Func:
		return false, fmt.Errorf("%s: %w: %s values are not comparable", what, ErrTypeMismatch, x.TypeName)
	case reflect.Chan:
		return x.Base == y.Base, nil
	}
	if classOf(x.Kind) == cFloat {
		return x.Float == y.Float, nil
	}
	return scalarOf(x) == scalarOf(y), nil
}

// compareDeep is == and != on structs, arrays and interfaces.
func (e *evaluator) compareDeep(op token.Token, x, y *values.Value, what string) (operand, error) {
	if op != token.EQL && op != token.NEQ {
		return operand{}, fmt.Errorf("%s: %w: operator %s not defined on %s", what, ErrTypeMismatch, op, x.TypeName)
	}
	eq, err := e.equal(x, y, what)
	if err != nil {
		return operand{}, err
	}
	return boolConst(eq == (op == token.EQL)), nil
}

// typeAssert evaluates x.(T) on an interface, and x.(data), Delve's
// name for its dynamic value whatever the type.
func (e *evaluator) typeAssert(n *ast.TypeAssertExpr) (operand, error) {
	what := e.text(n)
	if n.Type == nil {
		return operand{}, fmt.Errorf("%s: %w: .(type) outside a type switch", what, ErrUnsupported)
	}
	x, err := e.eval(n.X)
	if err != nil {
		return operand{}, err
	}
	if x.v == nil || x.v.Kind != reflect.Interface {
		return operand{}, fmt.Errorf("%s: %w: %s is not an interface", what, ErrTypeMismatch, operandType(x))
	}
	dyn := x.v.Elem()
	if id, ok := n.Type.(*ast.Ident); ok && id.Name == "data" {
		if dyn == nil || x.v.Base == 0 {
			return operand{}, fmt.Errorf("%s: %w (nil interface %s)", what, ErrNilDeref, x.v.TypeName)
		}
		return typed(e.dynamic(x.v)), nil
	}
	t, err := e.typeOf(n.Type)
	if err != nil {
		return operand{}, fmt.Errorf("%s: %w", what, err)
	}
	want := values.TypeName(t)
	if e.kindOf(t) == reflect.Interface {
		return operand{}, fmt.Errorf("%s: %w: assertion to the interface type %s", what, ErrUnsupported, want)
	}
	got := "nil"
	if dyn != nil && x.v.Base != 0 {
		got = dyn.TypeName
	}
	if got != want {
		return operand{}, fmt.Errorf("%s: %w: interface conversion: %s is %s, not %s", what, ErrTypeMismatch, x.v.TypeName, got, want)
	}
	return typed(e.dynamic(x.v)), nil
}
