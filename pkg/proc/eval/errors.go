package eval

import (
	"errors"
	"fmt"
)

// Sentinel errors: the one set every expression front end wraps (pkg/proc/expr
// re-exports them; print, conditions, set and address expressions report
// through them). The errors returned wrap one of them with the expression
// text.
var (
	// ErrSyntax: text that does not parse as a Go expression.
	ErrSyntax = errors.New("bad expression")
	// ErrUnsupported: valid Go the evaluator does not do.
	ErrUnsupported = errors.New("not supported")
	// ErrMismatchedTypes: operands or conversions whose types do not fit
	// (Go's rules: no implicit conversion between typed values).
	ErrMismatchedTypes = errors.New("mismatched types")
	// ErrInvalidOp: an operator not defined on its operand type.
	ErrInvalidOp = errors.New("invalid operation")
	// ErrOverflow: a constant not representable in the type it meets.
	ErrOverflow = errors.New("constant overflows")
	// ErrDivideByZero: integer division or remainder by zero.
	ErrDivideByZero = errors.New("integer divide by zero")
	// ErrNotBool: a condition whose value is not a bool.
	ErrNotBool = errors.New("condition is not a bool")
	// ErrTruncatedString: a comparison needs more of a string than was read.
	ErrTruncatedString = errors.New("string too long to compare")
	// ErrNotFound: a name that is no variable in scope, no package
	// variable and no predeclared constant.
	ErrNotFound = errors.New("could not find symbol value")
	// ErrOutOfRange: an index or slice bound outside the value.
	ErrOutOfRange = errors.New("index out of range")
	// ErrNilDeref: following a nil pointer (or interface).
	ErrNilDeref = errors.New("nil pointer dereference")
	// ErrNoField: a selector naming no field of the struct.
	ErrNoField = errors.New("no such field")
	// ErrNoKey: a map index with a key the map does not have.
	ErrNoKey = errors.New("key not found")
	// ErrNotAddressable: & of, or assignment to, a value that is not a
	// variable in memory (a computed value, or one held in registers).
	ErrNotAddressable = errors.New("not addressable")
	// ErrNotAssignable: an assignment set cannot do (a new string would
	// need memory allocated in the target).
	ErrNotAssignable = errors.New("cannot assign")
)

// notScalar ends the message of what the scalar fast path does not
// compile; such a condition runs on print's evaluator instead.
const notScalar = "not for the scalar fast path"

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
