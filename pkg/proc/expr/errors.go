package expr

import (
	"errors"
	"fmt"
)

var (
	// ErrNotFound: a name that is no variable in scope, no package
	// variable and no predeclared constant.
	ErrNotFound = errors.New("could not find symbol value")
	// ErrSyntax: text that does not parse as a Go expression.
	ErrSyntax = errors.New("bad expression")
	// ErrUnsupported: valid Go the evaluator does not do (function
	// calls, composite literals, type assertions, channel receives).
	ErrUnsupported = errors.New("not supported")
	// ErrOutOfRange: an index or slice bound outside the value.
	ErrOutOfRange = errors.New("index out of range")
	// ErrNilDeref: following a nil pointer (or interface).
	ErrNilDeref = errors.New("nil pointer dereference")
	// ErrTypeMismatch: operands or conversions whose types do not fit
	// (Go's rules: no implicit conversion between typed values).
	ErrTypeMismatch = errors.New("mismatched types")
	// ErrOverflow: a constant that does not fit the type it is used as.
	ErrOverflow = errors.New("constant overflows")
	// ErrNoField: a selector naming no field of the struct.
	ErrNoField = errors.New("no such field")
	// ErrNoKey: a map index with a key the map does not have.
	ErrNoKey = errors.New("key not found")
	// ErrDivideByZero: integer division or remainder by zero.
	ErrDivideByZero = errors.New("integer divide by zero")
	// ErrNotAddressable: & of, or assignment to, a value that is not a
	// variable in memory (a computed value, or one held in registers).
	ErrNotAddressable = errors.New("not addressable")
	// ErrNotAssignable: assignment to a value set cannot write (strings,
	// slices, maps, structs need memory allocated in the target).
	ErrNotAssignable = errors.New("cannot assign")
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
