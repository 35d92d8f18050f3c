package symbols

import (
	"fmt"
	"regexp"
	"strings"
)

// MaxTraceFuncs bounds how many functions one trace regexp may select.
const MaxTraceFuncs = 1000

// ProbeSite is where a function tracer probes one function: after the
// stack-growth check (so that a call that grows its stack is seen once),
// at the PUSH RBP of the frame setup of a Go function (whose location
// lists describe the arguments in their registers there) or, without
// one and for C (whose -O0 locations are the stack slots the prologue
// fills), at the end of the prologue; and at every RET instruction.
// Addresses are link-time.
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
		q := strings.Trim(re.String(), "^$")
		near := t.suggestFuncs(q)
		if i := strings.LastIndexAny(q, "./"); len(near) == 0 && i >= 0 && i+1 < len(q) {
			near = t.suggestFuncs(q[i+1:]) // another package's function of that name
		}
		return nil, &FuncError{Name: q, Candidates: near, Err: ErrNoFunc}
	}
	return out, nil
}

func (t *Table) probeSite(fn *Func) ProbeSite {
	first := t.FirstStmtPC(fn)
	s := ProbeSite{Func: fn, Entry: first}
	for _, in := range t.FuncCode(fn) {
		if in.Ret {
			s.Rets = append(s.Rets, in.PC)
		}
		if t.isGo && !fn.C && in.PC < first && in.Len == 1 && t.isPushRBP(in.PC) {
			s.Entry = in.PC
		}
	}
	return s
}

// isPushRBP reports whether the instruction at pc is PUSH RBP: the
// frame setup, after the stack check. A probe there sees the arguments
// still in their registers, and the kernel emulates the instruction
// (no out-of-line single step) and, for a uprobe, knows that the
// caller's return address is at the top of the stack.
func (t *Table) isPushRBP(pc uint64) bool {
	b := t.readCode(pc, 1)
	return len(b) == 1 && b[0] == 0x55
}

func isRuntimeFunc(name string) bool {
	for _, p := range []string{"runtime.", "runtime/", "internal/runtime/", "internal/abi.", "internal/bytealg.", "internal/cpu.", "sync/atomic.", "internal/sync."} {
		if strings.HasPrefix(name, p) {
			return true
		}
	}
	return false
}
