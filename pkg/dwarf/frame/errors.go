package frame

import (
	"errors"
	"fmt"
)

var (
	// ErrNoFDE means no FDE covers the pc.
	ErrNoFDE = errors.New("no call frame information for pc")
	// ErrTruncated means an entry or instruction runs past its end.
	ErrTruncated = errors.New("truncated call frame information")
	// ErrBadCIE means an FDE points at something that is not a CIE.
	ErrBadCIE = errors.New("FDE does not point at a CIE")
	// ErrUnsupported means an encoding or instruction is not handled.
	ErrUnsupported = errors.New("unsupported call frame information")
	// ErrStateStack means DW_CFA_restore_state without a remembered state.
	ErrStateStack = errors.New("DW_CFA_restore_state with no remembered state")
)

// FormatError locates a parse failure in the section.
type FormatError struct {
	Offset uint64 // section offset of the entry
	Err    error
}

func (e *FormatError) Error() string {
	return fmt.Sprintf("call frame entry at offset %#x: %v", e.Offset, e.Err)
}

func (e *FormatError) Unwrap() error { return e.Err }

// PCError names the pc a lookup or row computation failed for.
type PCError struct {
	PC  uint64
	Err error
}

func (e *PCError) Error() string { return fmt.Sprintf("pc %#x: %v", e.PC, e.Err) }

func (e *PCError) Unwrap() error { return e.Err }
