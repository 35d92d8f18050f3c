package core

import (
	"errors"
	"fmt"

	"github.com/godbg/godbg/pkg/proc"
)

var (
	// ErrNotCore is matched (errors.Is) by every *FormatError: the file is
	// not a core file this package can read.
	ErrNotCore = errors.New("not a usable core file")
	// ErrMismatch is matched by every *MismatchError: the core file was
	// not dumped from the given executable.
	ErrMismatch = errors.New("core file does not belong to the executable")
)

// FormatError says what is wrong with a core file (or with the
// executable given with it).
type FormatError struct {
	Path string // the file
	Msg  string // what is wrong, lower case
	Err  error  // the underlying cause, if any
}

func (e *FormatError) Error() string {
	if e.Err != nil {
		return fmt.Sprintf("core file %s: %s: %v", e.Path, e.Msg, e.Err)
	}
	return fmt.Sprintf("core file %s: %s", e.Path, e.Msg)
}

func (e *FormatError) Is(target error) bool { return target == ErrNotCore }
func (e *FormatError) Unwrap() error        { return e.Err }

// MismatchError says why a core file was refused for an executable.
type MismatchError struct {
	Core, Exe string
	Reason    string
}

func (e *MismatchError) Error() string {
	return fmt.Sprintf("core file %s was not dumped by executable %s: %s; give the executable the core came from",
		e.Core, e.Exe, e.Reason)
}

func (e *MismatchError) Is(target error) bool { return target == ErrMismatch }

// formatErr builds a *FormatError with a formatted message.
func formatErr(path, format string, args ...any) *FormatError {
	return &FormatError{Path: path, Msg: fmt.Sprintf(format, args...)}
}

// CannotRun is the error of every operation that needs a running process
// (op names it: "continue", "stepping", ...).
func CannotRun(op string) error {
	return fmt.Errorf("a core file cannot run; %s needs a live process: %w", op, proc.ErrNotSupported)
}

// ReadOnly is the error of every operation that would change the process.
func ReadOnly(op string) error {
	return fmt.Errorf("a core file is read-only; %s needs a live process: %w", op, proc.ErrNotSupported)
}
