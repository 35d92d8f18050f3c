package values

import (
	"errors"
	"fmt"
)

var (
	// ErrCorrupt: a header (length, capacity, map directory, channel
	// ring) that cannot belong to a live value, typically memory that is
	// not initialised yet or was overwritten.
	ErrCorrupt = errors.New("corrupt or uninitialised value")
	// ErrNoType: a type with no DWARF description (an interface's
	// dynamic type, or a name given to LookupType).
	ErrNoType = errors.New("no debug information for type")
	// ErrUnsupported: a DWARF type this package cannot decode (Go maps
	// from before Go 1.24, C unions with no Go meaning, ...).
	ErrUnsupported = errors.New("unsupported type")
	// ErrNoVariable: no package variable has that name.
	ErrNoVariable = errors.New("no such package variable")
	// ErrNotAddressable: SetScalar on a value that does not live in memory
	// (a register piece, or an element of one).
	ErrNotAddressable = errors.New("value is not in memory")
	// ErrNotAssignable: SetScalar of a Go value that does not fit the
	// variable's kind (a string into an int, ...) or of a kind SetScalar
	// cannot write (strings, slices, maps need allocation).
	ErrNotAssignable = errors.New("cannot assign")
	// ErrOptimizedAway: a location with no bytes for (part of) a value,
	// or fewer bytes given to LoadBytes than the type needs.
	ErrOptimizedAway = errors.New("not available (optimized away)")
	// ErrOverflow: SetScalar of a number that does not fit the variable's size.
	ErrOverflow = errors.New("value out of range")
)

// ReadError is a failed read of target memory. Its message is the
// Memory's own (which names the address); Addr and Size are for callers.
type ReadError struct {
	Addr uint64
	Size int
	Err  error // nil for a short read
}

func (e *ReadError) Error() string {
	if e.Err == nil {
		return fmt.Sprintf("short read of %d bytes at %#x", e.Size, e.Addr)
	}
	return e.Err.Error()
}

func (e *ReadError) Unwrap() error { return e.Err }

// corrupt returns an ErrCorrupt with detail.
func corrupt(format string, args ...any) error {
	return fmt.Errorf("%w: %s", ErrCorrupt, fmt.Sprintf(format, args...))
}

// corruptText is an ErrCorrupt that reads as its message alone.
type corruptText string

func (e corruptText) Error() string { return string(e) }
func (e corruptText) Unwrap() error { return ErrCorrupt }
