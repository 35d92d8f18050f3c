package locspec

import (
	"errors"
	"fmt"

	"github.com/godbg/godbg/pkg/symbols"
)

// Location is one resolved address with its source position.
type Location struct {
	PC   uint64 // link-time address
	File string
	Line int
	Func *symbols.Func // nil if no function contains PC
}

var (
	// ErrNoCurrentFile means a line or offset spec was used with no
	// current position.
	ErrNoCurrentFile = errors.New("no current file; give file:line")
	// ErrNoMatch means a regexp spec matched no function.
	ErrNoMatch = errors.New("no function matches")
)

// Resolve turns spec into addresses in t. curFile and curLine give the
// current position for LineSpec and OffsetSpec. Functions resolve to the
// address after their prologue (symbols.Table.FirstStmtPC). Errors from
// t (symbols.ErrNoFunc, ErrAmbiguousFunc, ErrNoFile, ErrAmbiguousFile,
// ErrNoCode) are returned as they are; they list candidates.
func Resolve(spec Spec, t *symbols.Table, curFile string, curLine int) ([]Location, error) {
	switch spec.Kind {
	case AddrSpec:
		return []Location{locationAt(t, spec.Addr)}, nil
	case FuncSpec:
		fn, err := t.LookupFunc(spec.Func)
		if err != nil {
			return nil, err
		}
		return []Location{locationAt(t, t.FirstStmtPC(fn))}, nil
	case FuncLineSpec:
		return resolveFuncLine(spec, t)
	case FileLineSpec:
		return resolveLine(t, spec.File, spec.Line)
	case LineSpec, OffsetSpec:
		if curFile == "" {
			return nil, fmt.Errorf("location %q: %w", spec.Raw, ErrNoCurrentFile)
		}
		line := spec.Line
		if spec.Kind == OffsetSpec {
			line = curLine + spec.Offset
		}
		return resolveLine(t, curFile, line)
	case RegexSpec:
		var locs []Location
		for _, fn := range t.FuncsMatching(spec.Regex) {
			locs = append(locs, locationAt(t, t.FirstStmtPC(fn)))
		}
		if len(locs) == 0 {
			return nil, fmt.Errorf("%w /%s/", ErrNoMatch, spec.Regex)
		}
		return locs, nil
	}
	return nil, &SpecError{Raw: spec.Raw, Reason: "unknown kind " + spec.Kind.String()}
}

func resolveLine(t *symbols.Table, file string, line int) ([]Location, error) {
	pcs, err := t.LineToPCs(file, line)
	if err != nil {
		return nil, err
	}
	locs := make([]Location, 0, len(pcs))
	for _, pc := range pcs {
		locs = append(locs, locationAt(t, pc))
	}
	return locs, nil
}

// resolveFuncLine resolves "Func:NN": line NN of the function's file,
// keeping only addresses inside the function.
func resolveFuncLine(spec Spec, t *symbols.Table) ([]Location, error) {
	fn, err := t.LookupFunc(spec.Func)
	if err != nil {
		return nil, err
	}
	if fn.File == "" {
		return nil, fmt.Errorf("location %q: function %s has no line information", spec.Raw, fn.Name)
	}
	all, err := resolveLine(t, fn.File, spec.Line)
	if err != nil {
		return nil, err
	}
	var locs []Location
	for _, l := range all {
		if l.Func == fn {
			locs = append(locs, l)
		}
	}
	if len(locs) == 0 {
		return nil, fmt.Errorf("location %q: line %d is not in function %s (%s:%d)", spec.Raw, spec.Line, fn.Name, fn.File, fn.Line)
	}
	return locs, nil
}

func locationAt(t *symbols.Table, pc uint64) Location {
	file, line, fn := t.PCToLine(pc)
	return Location{PC: pc, File: file, Line: line, Func: fn}
}
