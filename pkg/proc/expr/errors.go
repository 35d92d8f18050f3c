package expr

import (
	"fmt"

	"github.com/godbg/godbg/pkg/proc/eval"
)

// The sentinel errors are pkg/proc/eval's, the one set shared by every
// front end of the language (print, conditions and their scalar fast
// path, set, address expressions).
var (
	ErrNotFound       = eval.ErrNotFound
	ErrSyntax         = eval.ErrSyntax
	ErrUnsupported    = eval.ErrUnsupported
	ErrOutOfRange     = eval.ErrOutOfRange
	ErrNilDeref       = eval.ErrNilDeref
	ErrTypeMismatch   = eval.ErrMismatchedTypes
	ErrInvalidOp      = eval.ErrInvalidOp
	ErrOverflow       = eval.ErrOverflow
	ErrNoField        = eval.ErrNoField
	ErrNoKey          = eval.ErrNoKey
	ErrDivideByZero   = eval.ErrDivideByZero
	ErrNotAddressable = eval.ErrNotAddressable
	ErrNotAssignable  = eval.ErrNotAssignable
	ErrNotBool        = eval.ErrNotBool
)

// NotFoundError is an identifier or qualified name with no value.
type NotFoundError struct {
	Name string
	Err  error // what the lookups reported, may be nil
}

func (e *NotFoundError) Error() string { return "could not find symbol value for " + clip(e.Name) }

func (e *NotFoundError) Unwrap() error { return ErrNotFound }

// SyntaxError is an expression that does not parse.
type SyntaxError struct {
	Expr   string
	Column int // 1-based, in Expr
	Msg    string
}

func (e *SyntaxError) Error() string {
	return fmt.Sprintf("bad expression %q: column %d: %s", clip(e.Expr), e.Column, e.Msg)
}

func (e *SyntaxError) Unwrap() error { return ErrSyntax }
