package symbols

import (
	"errors"
	"fmt"
	"strings"
)

// Sentinel errors. The typed errors below wrap them, so callers test with
// errors.Is and use errors.As only when they need the candidates.
var (
	// ErrNotExecutable means the file is not a usable ELF executable.
	ErrNotExecutable = errors.New("not a usable ELF executable")
	// ErrNoFunc means no function matches a name.
	ErrNoFunc = errors.New("no such function")
	// ErrAmbiguousFunc means a name matches more than one function.
	ErrAmbiguousFunc = errors.New("ambiguous function name")
	// ErrNoFile means no source file matches a name.
	ErrNoFile = errors.New("no such source file")
	// ErrAmbiguousFile means a file name matches more than one source file.
	ErrAmbiguousFile = errors.New("ambiguous source file name")
	// ErrNoCode means a source line has no code.
	ErrNoCode = errors.New("line has no code")
)

// FormatError reports why a file cannot be loaded.
type FormatError struct {
	Path   string // file that was opened
	Reason string // what is wrong, e.g. "not amd64 (machine EM_AARCH64)"
	Err    error  // underlying error, if any
}

func (e *FormatError) Error() string {
	msg := e.Path + ": " + e.Reason
	if e.Err != nil {
		msg += ": " + e.Err.Error()
	}
	return msg
}

// Is reports ErrNotExecutable as the sentinel for every FormatError.
func (e *FormatError) Is(target error) bool { return target == ErrNotExecutable }

func (e *FormatError) Unwrap() error { return e.Err }

// FuncError reports a failed function lookup (ErrNoFunc or ErrAmbiguousFunc).
type FuncError struct {
	Name       string   // name the user asked for
	Candidates []string // did-you-mean suggestions or the ambiguous matches
	Err        error    // ErrNoFunc or ErrAmbiguousFunc
}

func (e *FuncError) Error() string {
	if e.Err == ErrAmbiguousFunc {
		return fmt.Sprintf("function name %s is ambiguous; it matches %s", e.Name, listNames(e.Candidates))
	}
	msg := "no function matches " + e.Name
	if len(e.Candidates) > 0 {
		msg += "; did you mean " + listNames(e.Candidates) + "?"
	}
	return msg
}

func (e *FuncError) Unwrap() error { return e.Err }

// FileError reports a failed source-file lookup (ErrNoFile or ErrAmbiguousFile).
type FileError struct {
	Name       string
	Candidates []string
	Err        error
}

func (e *FileError) Error() string {
	if e.Err == ErrAmbiguousFile {
		return fmt.Sprintf("file name %s is ambiguous; it matches %s", e.Name, listNames(e.Candidates))
	}
	msg := "no source file matches " + e.Name
	if len(e.Candidates) > 0 {
		msg += "; did you mean " + listNames(e.Candidates) + "?"
	}
	return msg
}

func (e *FileError) Unwrap() error { return e.Err }

// LineError reports a source line without code (ErrNoCode).
type LineError struct {
	File    string // resolved source file
	Line    int    // requested line
	Nearest int    // nearest line with code, 0 if none
}

func (e *LineError) Error() string {
	msg := fmt.Sprintf("%s:%d has no code", e.File, e.Line)
	if e.Nearest > 0 {
		msg += fmt.Sprintf("; nearest line with code is %d", e.Nearest)
	}
	return msg
}

func (e *LineError) Unwrap() error { return ErrNoCode }

// listNames formats at most maxListed names as "a, b or c".
func listNames(names []string) string {
	const maxListed = 8
	extra := 0
	if len(names) > maxListed {
		extra = len(names) - maxListed
		names = names[:maxListed]
	}
	s := strings.Join(names, ", ")
	if i := strings.LastIndex(s, ", "); i >= 0 && extra == 0 {
		s = s[:i] + " or " + s[i+2:]
	}
	if extra > 0 {
		s += fmt.Sprintf(" and %d more", extra)
	}
	return s
}
