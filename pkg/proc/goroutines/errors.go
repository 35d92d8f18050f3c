package goroutines

import (
	"errors"
	"fmt"
)

var (
	// ErrNotGo is returned for an executable without runtime.allgs.
	ErrNotGo = errors.New("not a Go program: no runtime.allgs")
	// ErrNoDWARF is returned for a Go executable built or stripped
	// without DWARF, which the runtime's data layout comes from.
	ErrNoDWARF = errors.New("no DWARF debug information")
	// ErrLayout is returned when the runtime's types lack a field this
	// package needs or describe it in an unexpected way.
	ErrLayout = errors.New("runtime data layout not understood")
	// ErrNoG is returned by CurrentG for a thread that runs no Go code
	// (neither its TLS slot nor r14 holds a g).
	ErrNoG = errors.New("thread is not running Go code")
	// ErrNoGoroutine is returned by Find for an id no goroutine has.
	ErrNoGoroutine = errors.New("no such goroutine")
)

// LoadError says why the goroutine layout of an executable could not be
// loaded. It wraps ErrNotGo, ErrNoDWARF, ErrLayout or a DWARF error.
type LoadError struct {
	Path   string // executable
	Detail string // what is missing, e.g. "runtime.g has no field goid"
	Hint   string // what to do, may be empty
	Err    error
}

func (e *LoadError) Error() string {
	s := e.Path + ": " + e.Err.Error()
	if e.Detail != "" {
		s += ": " + e.Detail
	}
	if e.Hint != "" {
		s += "; " + e.Hint
	}
	return s
}

func (e *LoadError) Unwrap() error { return e.Err }

// ReadError is a failed read of the target's memory.
type ReadError struct {
	What string // e.g. "runtime.allgs", "g 0xc000007340"
	Addr uint64
	Err  error
}

func (e *ReadError) Error() string {
	return fmt.Sprintf("reading %s at %#x: %v", e.What, e.Addr, e.Err)
}

func (e *ReadError) Unwrap() error { return e.Err }

// PartialError is returned, next to the goroutines that could be read,
// when some entries of runtime.allgs pointed at unreadable memory.
type PartialError struct {
	Skipped int   // goroutines left out
	Err     error // the first failure
}

func (e *PartialError) Error() string {
	return fmt.Sprintf("%d goroutines could not be read (first: %v)", e.Skipped, e.Err)
}

func (e *PartialError) Unwrap() error { return e.Err }
