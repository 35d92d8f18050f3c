package symbols

import (
	"fmt"
	"regexp"
	"sort"
	"strings"
)

// Func is one function of the executable. Entry and End are link-time
// addresses; End is exclusive. File and Line give the declaration when
// known (for Go, the position of the entry pc, which is the func line).
type Func struct {
	Name       string
	Entry, End uint64
	File       string
	Line       int
	C          bool // a C function of a Go program (cgo), named "C.<name>"
}

// setFuncs sorts funcs by entry and builds the name index.
func (t *Table) setFuncs(funcs []*Func) {
	sortFuncs(funcs)
	t.funcs = funcs
	t.byName = make(map[string][]*Func, len(funcs))
	for _, fn := range funcs {
		t.byName[fn.Name] = append(t.byName[fn.Name], fn)
	}
}

func sortFuncs(funcs []*Func) {
	sort.SliceStable(funcs, func(i, j int) bool { return funcs[i].Entry < funcs[j].Entry })
}

// mergeFuncs adds to funcs those of extra whose entry is not already
// known; the others are returned as aliases (another name, same entry).
func mergeFuncs(funcs, extra []*Func) (merged, aliases []*Func) {
	seen := make(map[uint64]bool, len(funcs))
	for _, fn := range funcs {
		seen[fn.Entry] = true
	}
	for _, fn := range extra {
		if !seen[fn.Entry] {
			seen[fn.Entry] = true
			funcs = append(funcs, fn)
		} else {
			aliases = append(aliases, fn)
		}
	}
	return funcs, aliases
}

// Funcs returns all functions sorted by Entry. The slice is shared; do not
// modify it.
func (t *Table) Funcs() []*Func {
	if t.hasC {
		t.cgoDWARF()
	}
	return t.funcs
}

// FuncNames yields the name and entry of every function, by Entry. Unlike
// Funcs it never reads the DWARF of a cgo program's C code, which only
// their File and Line need.
func (t *Table) FuncNames(yield func(name string, entry uint64) bool) {
	for _, fn := range t.funcs {
		if !yield(fn.Name, fn.Entry) {
			return
		}
	}
}

// PCToFunc returns the function containing the link-time address pc, or nil.
func (t *Table) PCToFunc(pc uint64) *Func {
	i := sort.Search(len(t.funcs), func(i int) bool { return t.funcs[i].Entry > pc }) - 1
	if i < 0 {
		return nil
	}
	if fn := t.funcs[i]; pc < fn.End {
		if fn.C {
			t.cgoDWARF()
		}
		return fn
	}
	return nil
}

// FuncsMatching returns the functions whose name matches re, by Entry.
func (t *Table) FuncsMatching(re *regexp.Regexp) []*Func {
	var out []*Func
	for _, fn := range t.funcs {
		if re.MatchString(fn.Name) {
			out = append(out, fn)
			if fn.C {
				t.cgoDWARF()
			}
		}
	}
	return out
}

// LookupFunc finds a function by its exact name or by a unique suffix that
// starts after a '.' or '/': "main.foo", "(*T).M" for "pkg.(*T).M",
// "path.Func" for "github.com/x/path.Func". Type arguments of generic
// functions may be left out ("pkg.Map" finds "pkg.Map[...]"). Errors wrap
// ErrNoFunc (with did-you-mean candidates) or ErrAmbiguousFunc.
func (t *Table) LookupFunc(name string) (*Func, error) {
	fn, err := t.lookupFunc(name)
	if fn != nil && fn.C {
		t.cgoDWARF()
	}
	return fn, err
}

func (t *Table) lookupFunc(name string) (*Func, error) {
	if fns := t.byName[name]; len(fns) == 1 {
		return fns[0], nil
	} else if len(fns) > 1 {
		return nil, &FuncError{Name: name, Candidates: t.describeFuncs(fns), Err: ErrAmbiguousFunc}
	}
	var matches []*Func
	for _, fn := range t.funcs {
		if nameMatches(fn.Name, name) {
			matches = append(matches, fn)
		}
	}
	switch len(matches) {
	case 1:
		return matches[0], nil
	case 0:
		return nil, &FuncError{Name: name, Candidates: t.suggestFuncs(name), Err: ErrNoFunc}
	}
	return nil, &FuncError{Name: name, Candidates: t.describeFuncs(matches), Err: ErrAmbiguousFunc}
}

// nameMatches reports whether q names full: equal, or a suffix of full
// beginning after '.' or '/', ignoring generic type arguments.
func nameMatches(full, q string) bool {
	if suffixAtBoundary(full, q) {
		return true
	}
	if strings.Contains(full, "[") && !strings.Contains(q, "[") {
		return suffixAtBoundary(stripTypeArgs(full), q)
	}
	return false
}

func suffixAtBoundary(full, q string) bool {
	if !strings.HasSuffix(full, q) {
		return false
	}
	i := len(full) - len(q)
	return i == 0 || full[i-1] == '.' || full[i-1] == '/'
}

// stripTypeArgs removes bracketed type arguments: "p.F[...]" → "p.F".
func stripTypeArgs(s string) string {
	var b strings.Builder
	depth := 0
	for _, r := range s {
		switch {
		case r == '[':
			depth++
		case r == ']' && depth > 0:
			depth--
		case depth == 0:
			b.WriteRune(r)
		}
	}
	return b.String()
}

// describeFuncs names functions for an ambiguity message; identical names
// get their declaration position.
func (t *Table) describeFuncs(fns []*Func) []string {
	out := make([]string, 0, len(fns))
	for _, fn := range fns {
		if fn.C {
			t.cgoDWARF()
		}
	}
	for _, fn := range fns {
		s := fn.Name
		if fn.File != "" && len(fns) > 1 && fns[0].Name == fns[1].Name {
			s = fmt.Sprintf("%s (%s:%d)", fn.Name, fn.File, fn.Line)
		}
		out = append(out, s)
	}
	return out
}
