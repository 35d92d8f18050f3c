package expr

import (
	"errors"
	"fmt"
	"go/ast"
	"go/constant"
	"go/token"
	"reflect"
	"regexp"
	"strings"

	"github.com/godbg/godbg/pkg/proc/values"
)

// AddrEnv resolves the names only address expressions have: $registers
// of the current thread and symbols (functions and other ELF symbols).
type AddrEnv struct {
	Register func(name string) (uint64, error) // "rsp" for $rsp
	Symbol   func(name string) (uint64, error) // "main.main"
}

// regRef finds $registers, which are not Go syntax.
var regRef = regexp.MustCompile(`\$[A-Za-z_][A-Za-z0-9_]*`)

// regPrefix is what a $register is renamed to before parsing.
const regPrefix = "__reg_"

// EvalAddress evaluates an address expression, the mode of the language
// that x, disassemble and set *(*T)(addr) use: any expression print
// accepts in s (s may be nil when no frame is selected) plus $registers
// and symbols, which are integer constants. The result is an integer or
// a pointer; constants wrap to 64 bits as addresses do (-8 is
// 0xfffffffffffffff8).
func EvalAddress(s Scope, src string, env AddrEnv) (uint64, error) {
	if strings.TrimSpace(src) == "" {
		return 0, &SyntaxError{Expr: src, Column: 1, Msg: "empty address"}
	}
	e := &evaluator{s: s, src: regRef.ReplaceAllStringFunc(src, func(r string) string { return regPrefix + r[1:] }), noPanic: panicsThrough, env: &env}
	if s != nil {
		e.l, e.mem = s.Loader(), s.Memory()
	}
	var out uint64
	_, err := e.run(func() (_ *values.Value, err error) {
		n, err := parse(e.src)
		if err != nil {
			var se *SyntaxError
			if errors.As(err, &se) {
				se.Expr = src
			}
			return nil, err
		}
		if s == nil {
			if bad := notConstant(n); bad != nil {
				return nil, fmt.Errorf("%s: %w without a frame: only integers, $registers, symbols and arithmetic", e.text(bad), ErrUnsupported)
			}
		}
		x, err := e.eval(n)
		if err != nil {
			return nil, err
		}
		out, err = addressOf(x, src)
		return nil, err
	})
	return out, err
}

// notConstant returns the first node of n that needs a frame to
// evaluate: anything but literals, names and arithmetic.
func notConstant(n ast.Expr) (bad ast.Node) {
	ast.Inspect(n, func(c ast.Node) bool {
		switch c := c.(type) {
		case nil, *ast.BasicLit, *ast.Ident, *ast.ParenExpr, *ast.BinaryExpr:
		case *ast.SelectorExpr:
			return isName(c)
		case *ast.UnaryExpr:
			if c.Op == token.AND || c.Op == token.ARROW {
				bad = c
			}
		default:
			bad = c
		}
		return bad == nil
	})
	return bad
}

// addressOf turns the value of an address expression into an address.
func addressOf(x operand, src string) (uint64, error) {
	if x.v == nil {
		c := constant.ToInt(x.c)
		if x.isNil() || c.Kind() != constant.Int {
			return 0, fmt.Errorf("%s: %w: %s is not an address", clip(src), ErrTypeMismatch, operandType(x))
		}
		if constant.Sign(c) < 0 {
			c = constant.BinaryOp(c, token.ADD, constant.Shift(constant.MakeUint64(1), token.SHL, 64))
		}
		u, exact := constant.Uint64Val(c)
		if !exact {
			return 0, fmt.Errorf("%s: %w: %s does not fit in 64 bits", clip(src), ErrOverflow, x.c)
		}
		return u, nil
	}
	switch v := x.v; {
	case v.Kind == reflect.Pointer, v.Kind == reflect.UnsafePointer:
		return v.Base, nil
	case v.Kind == reflect.Func && v.Addr == 0: // a function named: its entry
		return v.Base, nil
	case classOf(v.Kind) == cUint:
		return v.Uint, nil
	case classOf(v.Kind) == cInt:
		return uint64(v.Int), nil
	}
	return 0, fmt.Errorf("%s: %w: %s is not an address", clip(src), ErrTypeMismatch, x.v.TypeName)
}

// envName resolves a name of an address expression: a $register, or a
// symbol when no variable has the name. ok is false when the name is
// neither (or the expression is not an address expression).
func (e *evaluator) envName(name string) (operand, bool, error) {
	if e.env == nil {
		return operand{}, false, nil
	}
	if reg, isReg := strings.CutPrefix(name, regPrefix); isReg {
		if e.env.Register == nil {
			return operand{}, true, fmt.Errorf("$%s: %w: no registers here", reg, ErrNotFound)
		}
		v, err := e.env.Register(reg)
		return operand{c: constant.MakeUint64(v), ctype: "uintptr"}, true, err
	}
	if e.env.Symbol == nil {
		return operand{}, false, nil
	}
	v, err := e.env.Symbol(name)
	if err != nil {
		return operand{}, false, nil
	}
	return operand{c: constant.MakeUint64(v), ctype: "uintptr"}, true, nil
}

// MemoryTarget parses the left side of a memory assignment,
// *(*T)(ADDR) with T an integer type of 1, 2, 4 or 8 bytes, returning
// the address expression's text and T's size.
func MemoryTarget(lhs string) (addr string, size int, err error) {
	bad := fmt.Errorf("%w %q: write memory as *(*uint64)(0xADDR) with uint8, uint16, uint32 or uint64 (int types too)", ErrSyntax, clip(lhs))
	src := regRef.ReplaceAllStringFunc(lhs, func(r string) string { return regPrefix + r[1:] })
	n, err := parse(src)
	if err != nil {
		return "", 0, bad
	}
	star, ok := n.(*ast.StarExpr)
	if !ok {
		return "", 0, bad
	}
	call, ok := star.X.(*ast.CallExpr)
	if !ok || len(call.Args) != 1 {
		return "", 0, bad
	}
	paren, ok := call.Fun.(*ast.ParenExpr)
	if !ok {
		return "", 0, bad
	}
	pt, ok := paren.X.(*ast.StarExpr)
	if !ok {
		return "", 0, bad
	}
	id, ok := pt.X.(*ast.Ident)
	if !ok || intSizes[id.Name] == 0 {
		return "", 0, bad
	}
	a := src[call.Args[0].Pos()-1 : call.Args[0].End()-1]
	return strings.ReplaceAll(a, regPrefix, "$"), intSizes[id.Name], nil
}

var intSizes = map[string]int{"uint8": 1, "int8": 1, "byte": 1, "uint16": 2, "int16": 2, "uint32": 4, "int32": 4, "rune": 4,
	"uint64": 8, "int64": 8, "uint": 8, "int": 8, "uintptr": 8}
