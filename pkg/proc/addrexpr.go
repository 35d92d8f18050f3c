package proc

import (
	"errors"
	"fmt"
	"go/ast"
	"go/parser"
	"go/token"
	"regexp"
	"strconv"
	"strings"
)

// ErrBadExpr is wrapped by every address-expression error.
var ErrBadExpr = errors.New("bad expression")

// AddrEnv resolves the names an address expression may use.
type AddrEnv struct {
	Register func(name string) (uint64, error) // "rsp" for $rsp
	Symbol   func(name string) (uint64, error) // "main.main"
}

var regRef = regexp.MustCompile(`\$[A-Za-z_][A-Za-z0-9_]*`)

// EvalAddr evaluates an integer expression over numbers (Go syntax: 0x10,
// 0o17, 1_000), $registers, symbols and + - * / % & | ^ << >> and parens.
func EvalAddr(expr string, env AddrEnv) (uint64, error) {
	if strings.TrimSpace(expr) == "" {
		return 0, fmt.Errorf("%w: empty address", ErrBadExpr)
	}
	// $rax is not Go syntax: rename registers to identifiers Go accepts.
	src := regRef.ReplaceAllStringFunc(expr, func(s string) string { return "__reg_" + s[1:] })
	e, err := parser.ParseExpr(src)
	if err != nil {
		return 0, fmt.Errorf("%w %q: %v", ErrBadExpr, expr, err)
	}
	return evalNode(e, env, expr)
}

func evalNode(n ast.Expr, env AddrEnv, orig string) (uint64, error) {
	switch n := n.(type) {
	case *ast.BasicLit:
		if n.Kind != token.INT {
			return 0, fmt.Errorf("%w %q: %s is not an integer", ErrBadExpr, orig, n.Value)
		}
		v, err := strconv.ParseUint(n.Value, 0, 64)
		if err != nil {
			return 0, fmt.Errorf("%w %q: %v", ErrBadExpr, orig, err)
		}
		return v, nil
	case *ast.ParenExpr:
		return evalNode(n.X, env, orig)
	case *ast.UnaryExpr:
		v, err := evalNode(n.X, env, orig)
		if err != nil {
			return 0, err
		}
		switch n.Op {
		case token.SUB:
			return -v, nil
		case token.ADD:
			return v, nil
		case token.XOR:
			return ^v, nil
		}
	case *ast.BinaryExpr:
		return evalBinary(n, env, orig)
	case *ast.Ident, *ast.SelectorExpr:
		return evalName(exprName(n), env, orig)
	}
	return 0, fmt.Errorf("%w %q: only integers, $registers, symbols and arithmetic are allowed here", ErrBadExpr, orig)
}

func evalBinary(n *ast.BinaryExpr, env AddrEnv, orig string) (uint64, error) {
	a, err := evalNode(n.X, env, orig)
	if err != nil {
		return 0, err
	}
	b, err := evalNode(n.Y, env, orig)
	if err != nil {
		return 0, err
	}
	switch n.Op {
	case token.ADD:
		return a + b, nil
	case token.SUB:
		return a - b, nil
	case token.MUL:
		return a * b, nil
	case token.QUO, token.REM:
		if b == 0 {
			return 0, fmt.Errorf("%w %q: division by zero", ErrBadExpr, orig)
		}
		if n.Op == token.QUO {
			return a / b, nil
		}
		return a % b, nil
	case token.AND:
		return a & b, nil
	case token.OR:
		return a | b, nil
	case token.XOR:
		return a ^ b, nil
	case token.SHL:
		return a << b, nil
	case token.SHR:
		return a >> b, nil
	}
	return 0, fmt.Errorf("%w %q: operator %s not allowed", ErrBadExpr, orig, n.Op)
}

func exprName(n ast.Expr) string {
	switch n := n.(type) {
	case *ast.Ident:
		return n.Name
	case *ast.SelectorExpr:
		return exprName(n.X) + "." + n.Sel.Name
	}
	return ""
}

func evalName(name string, env AddrEnv, orig string) (uint64, error) {
	if reg, ok := strings.CutPrefix(name, "__reg_"); ok {
		if env.Register == nil {
			return 0, fmt.Errorf("%w %q: no registers here", ErrBadExpr, orig)
		}
		return env.Register(reg)
	}
	if env.Symbol == nil || name == "" {
		return 0, fmt.Errorf("%w %q: unknown name %s", ErrBadExpr, orig, name)
	}
	return env.Symbol(name)
}

// MemoryLHS parses the left side of a memory assignment,
// "*(*uint32)(ADDR-EXPR)", returning the address expression and the size.
func MemoryLHS(lhs string) (addrExpr string, size int, err error) {
	s := strings.TrimSpace(lhs)
	bad := fmt.Errorf("%w %q: write memory as *(*uint64)(0xADDR) with uint8, uint16, uint32 or uint64 (int types too)", ErrBadExpr, lhs)
	rest, ok := strings.CutPrefix(s, "*(*")
	if !ok {
		return "", 0, bad
	}
	typ, rest, ok := strings.Cut(rest, ")")
	if !ok {
		return "", 0, bad
	}
	size = typeSize(strings.TrimSpace(typ))
	rest = strings.TrimSpace(rest)
	if size == 0 || !strings.HasPrefix(rest, "(") || !strings.HasSuffix(rest, ")") {
		return "", 0, bad
	}
	return rest[1 : len(rest)-1], size, nil
}

func typeSize(t string) int {
	switch t {
	case "uint8", "int8", "byte":
		return 1
	case "uint16", "int16":
		return 2
	case "uint32", "int32", "rune":
		return 4
	case "uint64", "int64", "uint", "int", "uintptr":
		return 8
	}
	return 0
}
