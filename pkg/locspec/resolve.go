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

// resolveFuncLine resolves "Func:N" as Delve does: N lines after the line
// of the function's entry (Func:0 is the function itself).
func resolveFuncLine(spec Spec, t *symbols.Table) ([]Location, error) {
	fn, err := t.LookupFunc(spec.Func)
	if err != nil {
		return nil, err
	}
	if spec.Line == 0 {
		return []Location{locationAt(t, t.FirstStmtPC(fn))}, nil
	}
	file, line, _ := t.PCToLine(fn.Entry)
	if file == "" || line == 0 {
		return nil, fmt.Errorf("location %q: function %s has no line information", spec.Raw, fn.Name)
	}
	locs, err := resolveLine(t, file, line+spec.Line)
	if err != nil {
		return nil, fmt.Errorf("location %q (line %d of %s, %d after %s's first): %w", spec.Raw, line+spec.Line, file, spec.Line, fn.Name, err)
	}
	return locs, nil
}

func locationAt(t *symbols.Table, pc uint64) Location {
	file, line, fn := t.PCToLine(pc)
	return Location{PC: pc, File: file, Line: line, Func: fn}
}
