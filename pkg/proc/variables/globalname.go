package variables

import (
	"fmt"
	"sort"
	"strings"

	"github.com/godbg/godbg/pkg/symbols"
)

// NoPackageVariableError is a name that denotes no package variable, or
// several (Candidates). It wraps ErrNoVariable.
type NoPackageVariableError struct {
	Name, Pkg  string
	Candidates []string
}

func (e *NoPackageVariableError) Error() string {
	switch {
	case len(e.Candidates) > 0:
		return fmt.Sprintf("package variable %s is ambiguous: %s", e.Name, strings.Join(e.Candidates, ", "))
	case e.Pkg != "" && !strings.Contains(e.Name, "."):
		return fmt.Sprintf("no package variable %s in %s", e.Name, e.Pkg)
	}
	return "no package variable " + e.Name
}

func (e *NoPackageVariableError) Unwrap() error { return ErrNoVariable }

// GlobalName returns the DWARF name of the package variable that name
// denotes in an expression evaluated in package pkg: "counter" is
// pkg.counter (or a C global "counter"), "main.counter" is itself, and
// "b.Var" is "github.com/a/b.Var" when exactly one package path ending
// in "/b" has that variable. It returns a *NoPackageVariableError
// (ErrNoVariable) when there is none or several packages match.
func GlobalName(tab *symbols.Table, name, pkg string) (string, error) {
	in, err := load(tab)
	if err != nil {
		return "", err
	}
	candidates := []string{name}
	if pkg != "" && !strings.Contains(name, ".") {
		candidates = []string{pkg + "." + name, name}
	}
	for _, c := range candidates {
		if _, ok := in.globals[c]; ok {
			return c, nil
		}
	}
	if strings.Contains(name, ".") && !strings.HasPrefix(name, "/") {
		var found []string
		for g := range in.globals {
			if strings.HasSuffix(g, "/"+name) {
				found = append(found, g)
			}
		}
		sort.Strings(found)
		switch len(found) {
		case 1:
			return found[0], nil
		case 0:
		default:
			return "", &NoPackageVariableError{Name: name, Pkg: pkg, Candidates: found}
		}
	}
	return "", &NoPackageVariableError{Name: name, Pkg: pkg}
}

// packageOf returns the package path of a Go function name: "main.f",
// "main.(*T).M", "a/b.F[...]" → "main", "main", "a/b". Type arguments
// in brackets may contain slashes and dots of their own.
func packageOf(fn string) string {
	if i := strings.IndexByte(fn, '['); i >= 0 {
		fn = fn[:i]
	}
	slash := strings.LastIndex(fn, "/")
	if i := strings.Index(fn[slash+1:], "."); i >= 0 {
		return fn[:slash+1+i]
	}
	return fn
}

// GlobalNames returns the names of every package variable (C globals and
// file statics too) that has a location, sorted.
func GlobalNames(tab *symbols.Table) ([]string, error) {
	in, err := load(tab)
	if err != nil {
		return nil, err
	}
	out := make([]string, 0, len(in.globals))
	for g := range in.globals {
		out = append(out, g)
	}
	sort.Strings(out)
	return out, nil
}
