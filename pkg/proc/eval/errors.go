package eval

import (
	"errors"
	"fmt"
)

// Sentinel errors; the errors returned wrap one of them with the
// expression text.
var (
	// ErrSyntax: the condition is not a Go expression.
	ErrSyntax = errors.New("bad expression")
	// ErrUnsupported: a Go construct conditions do not support.
	ErrUnsupported = errors.New("not supported in conditions")
	// ErrMismatchedTypes: operands of different types.
	ErrMismatchedTypes = errors.New("mismatched types")
	// ErrInvalidOp: an operator not defined on its operand type.
	ErrInvalidOp = errors.New("invalid operation")
	// ErrOverflow: a constant not representable in the type it meets.
	ErrOverflow = errors.New("constant not representable")
	// ErrDivideByZero: integer division or remainder by zero.
	ErrDivideByZero = errors.New("division by zero")
	// ErrNotBool: a condition whose value is not a bool.
	ErrNotBool = errors.New("condition is not a bool")
	// ErrTruncatedString: a comparison needs more of a string than was read.
	ErrTruncatedString = errors.New("string too long to compare")
)

// supported lists what conditions may use, for ErrUnsupported messages.
const supported = "conditions support variables, package.variable, basic literals, " +
	"== != < <= > >=, + - * / % & | ^ &^ << >>, && || !, parentheses and numeric conversions like int64(x)"

// Error is an evaluation or compilation error about part of an expression.
type Error struct {
	Expr string // the (sub)expression
	Msg  string // what is wrong
	Err  error  // sentinel
}

func (e *Error) Error() string {
	if e.Err == ErrSyntax {
		return fmt.Sprintf("bad expression %q: %s", e.Expr, e.Msg)
	}
	return fmt.Sprintf("%s in %s: %s", e.Err, e.Expr, e.Msg)
}

func (e *Error) Unwrap() error { return e.Err }

func errorf(sentinel error, expr, format string, args ...any) error {
	return &Error{Expr: expr, Msg: fmt.Sprintf(format, args...), Err: sentinel}
}
