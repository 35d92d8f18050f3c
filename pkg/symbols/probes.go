package symbols

import (
	"fmt"
	"regexp"
	"strings"
)

// MaxTraceFuncs bounds how many functions one trace regexp may select.
const MaxTraceFuncs = 1000

// ProbeSite is where a function tracer probes one function: after the
// prologue (past the stack-growth check, so that a call that grows its
// stack is seen once) and at every RET instruction. Addresses are
// link-time.
type ProbeSite struct {
	Func  *Func
	Entry uint64
	Rets  []uint64
}

// TraceFuncs returns the probe sites of the functions whose full names
// match re. Functions of the runtime (runtime.*, runtime/*,
// internal/runtime/*, internal/abi.*) are left out unless the expression
// itself names the runtime: a probe in the scheduler or a signal handler
// would trace the tracer's own machinery. No match is a *FuncError
// wrapping ErrNoFunc with close names; too many matches an error asking
// for a narrower expression.
func (t *Table) TraceFuncs(re *regexp.Regexp) ([]ProbeSite, error) {
	runtimeToo := strings.Contains(re.String(), "runtime")
	var out []ProbeSite
	for _, fn := range t.funcs {
		if !re.MatchString(fn.Name) || (!runtimeToo && isRuntimeFunc(fn.Name)) || fn.End <= fn.Entry {
			continue
		}
		if len(out) == MaxTraceFuncs {
			return nil, fmt.Errorf("%q matches more than %d functions; give a narrower regular expression (funcs in a session lists them)", re, MaxTraceFuncs)
		}
		out = append(out, t.probeSite(fn))
	}
	if len(out) == 0 {
		return nil, &FuncError{Name: re.String(), Candidates: t.suggestFuncs(strings.Trim(re.String(), "^$")), Err: ErrNoFunc}
	}
	return out, nil
}

func (t *Table) probeSite(fn *Func) ProbeSite {
	s := ProbeSite{Func: fn, Entry: t.FirstStmtPC(fn)}
	for _, in := range t.FuncCode(fn) {
		if in.Ret {
			s.Rets = append(s.Rets, in.PC)
		}
	}
	return s
}

func isRuntimeFunc(name string) bool {
	for _, p := range []string{"runtime.", "runtime/", "internal/runtime/", "internal/abi.", "internal/bytealg.", "internal/cpu.", "sync/atomic.", "internal/sync."} {
		if strings.HasPrefix(name, p) {
			return true
		}
	}
	return false
}
