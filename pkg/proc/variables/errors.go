package variables

import (
	"errors"
	"fmt"
	"strings"
)

var (
	// ErrNoVariable: a name that is neither in scope at the pc nor a
	// package variable.
	ErrNoVariable = errors.New("no such variable")
	// ErrOptimizedAway: the variable exists but has no location at the pc.
	ErrOptimizedAway = errors.New("not available at this pc (optimized away)")
	// ErrUnsupportedType: a variable whose type conditions cannot use.
	ErrUnsupportedType = errors.New("unsupported type")
	// ErrNoFunction: no DWARF function contains the pc.
	ErrNoFunction = errors.New("no function with debug information at pc")
)

// NoVariableError lists what the function has.
type NoVariableError struct {
	Name string
	Func string
	Have []string
}

func (e *NoVariableError) Error() string {
	if len(e.Have) == 0 {
		return fmt.Sprintf("no variable %s in %s; it has no parameters or locals in scope here", e.Name, e.Func)
	}
	return fmt.Sprintf("no variable %s in %s; it has: %s", e.Name, e.Func, strings.Join(e.Have, ", "))
}

func (e *NoVariableError) Unwrap() error { return ErrNoVariable }

// VarError is a problem with one variable.
type VarError struct {
	Name string
	PC   uint64
	Msg  string // extra detail, may be empty
	Err  error
}

func (e *VarError) Error() string {
	switch {
	case e.Err == ErrOptimizedAway:
		return fmt.Sprintf("%s is not available at this pc (optimized away)", e.Name)
	case e.Msg != "":
		return fmt.Sprintf("%s: %v: %s", e.Name, e.Err, e.Msg)
	}
	return fmt.Sprintf("%s: %v", e.Name, e.Err)
}

func (e *VarError) Unwrap() error { return e.Err }
