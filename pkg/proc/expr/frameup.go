package expr

import (
	"errors"
	"fmt"
	"go/ast"
	"go/token"
	"strconv"
)

// Delve's runtime.frame(n).x names the variable x of the n-th frame
// outside the scope's own (1: its caller), in print and in conditions
// (TestCondBreakpointWithFrame: `runtime.frame(1).i == 3`).

// FrameUpper is a Scope that can give the scope of an outer frame of the
// same goroutine.
type FrameUpper interface {
	FrameUp(n int) (Scope, error)
}

// IsFrameCall reports whether x calls runtime.frame (whatever its
// argument): print evaluates it itself, it runs no function.
func IsFrameCall(x ast.Expr) bool {
	c, ok := x.(*ast.CallExpr)
	if !ok {
		return false
	}
	f, ok := c.Fun.(*ast.SelectorExpr)
	if !ok || f.Sel.Name != "frame" {
		return false
	}
	id, ok := f.X.(*ast.Ident)
	return ok && id.Name == "runtime"
}

// frameCall reports whether x is runtime.frame(...), and its argument
// when that is a constant N >= 0 (else an error saying so).
func frameCall(x ast.Expr) (int, bool, error) {
	if !IsFrameCall(x) {
		return 0, false, nil
	}
	c := x.(*ast.CallExpr)
	if len(c.Args) == 1 {
		if lit, ok := c.Args[0].(*ast.BasicLit); ok && lit.Kind == token.INT {
			if n, err := strconv.Atoi(lit.Value); err == nil {
				return n, true, nil
			}
		}
	}
	return 0, true, errors.New("runtime.frame takes one constant frame number >= 0, as in runtime.frame(1).x")
}

// frameSelector evaluates runtime.frame(k).name in the k-th outer frame.
func (e *evaluator) frameSelector(k int, n *ast.SelectorExpr) (operand, error) {
	up, ok := e.s.(FrameUpper)
	if !ok {
		return operand{}, fmt.Errorf("%s: %w: no outer frames here", e.text(n), ErrUnsupported)
	}
	s, err := up.FrameUp(k)
	if err != nil {
		return operand{}, fmt.Errorf("%s: %w", e.text(n), err)
	}
	sub := *e
	sub.s, sub.l, sub.mem = s, s.Loader(), s.Memory()
	return sub.eval(n.Sel)
}

// SetFrameUp lets runtime.frame(n) reach outer frames: up returns the
// scope of the n-th frame outside this one.
func (s *FrameScope) SetFrameUp(up func(n int) (Scope, error)) { s.up = up }

// FrameUp returns the scope of the n-th frame outside s (0: s itself).
func (s *FrameScope) FrameUp(n int) (Scope, error) {
	if n == 0 {
		return s, nil
	}
	if s.up == nil {
		return nil, fmt.Errorf("%w: no outer frames here", ErrUnsupported)
	}
	return s.up(n)
}
