package stack

import (
	"errors"
	"fmt"
)

var (
	// ErrDepth means the stack has more frames than the depth asked for.
	ErrDepth = errors.New("stack is deeper than the frame limit")
	// ErrNoUnwindInfo means no call frame information covers a pc and the
	// frame-pointer chain is not usable there.
	ErrNoUnwindInfo = errors.New("no unwind information and no usable frame pointer")
	// ErrBadStack means the registers computed for a caller make no sense:
	// the stack pointer went down or a frame repeated (a cycle).
	ErrBadStack = errors.New("corrupt stack")
	// ErrMemory means reading the stack (or a signal context) failed.
	ErrMemory = errors.New("cannot read the stack")
	// ErrRule means a call frame rule could not be applied (unknown
	// register, unsupported or failing expression).
	ErrRule = errors.New("cannot apply call frame rule")
)

// Error says where unwinding stopped: the pc and CFA of the last frame
// found, and why no caller could be computed for it.
type Error struct {
	PC, CFA uint64
	Func    string
	Err     error
}

func (e *Error) Error() string {
	fn := e.Func
	if fn == "" {
		fn = "?"
	}
	return fmt.Sprintf("unwinding past %s (pc %#x, cfa %#x): %v", fn, e.PC, e.CFA, e.Err)
}

func (e *Error) Unwrap() error { return e.Err }

// RegisterError reports a register that is not known in a frame.
type RegisterError struct{ Reg int }

func (e *RegisterError) Error() string {
	return fmt.Sprintf("DWARF register %d is not known in this frame", e.Reg)
}

// MemoryError is a failed read of the target's memory.
type MemoryError struct {
	Addr uint64
	Len  int
	Err  error
}

func (e *MemoryError) Error() string {
	return fmt.Sprintf("reading %d bytes at %#x: %v", e.Len, e.Addr, e.Err)
}

func (e *MemoryError) Unwrap() error { return e.Err }

// Is makes errors.Is(err, ErrMemory) hold for every read failure.
func (e *MemoryError) Is(target error) bool { return target == ErrMemory }
