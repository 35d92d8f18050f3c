package target

import (
	"errors"
	"fmt"
	"strings"

	"github.com/godbg/godbg/pkg/proc"
	"github.com/godbg/godbg/pkg/proc/eval"
	"github.com/godbg/godbg/pkg/proc/expr"
	"github.com/godbg/godbg/pkg/proc/values"
	"github.com/godbg/godbg/pkg/proc/variables"
	"github.com/godbg/godbg/pkg/symbols"
)

// Cond is a breakpoint condition in print's language, compiled once.
type Cond struct {
	src  string
	fast *eval.Expr // nil: not all scalar, print's evaluator runs it at each hit
}

// CompileCond checks src and compiles it for the fast path when every
// name in it is a scalar variable.
func CompileCond(src string) (*Cond, error) {
	if _, err := expr.Check(src); err != nil {
		return nil, err
	}
	e, _ := expr.CompileScalar(src)
	return &Cond{src: src, fast: e}, nil
}

// names are the variables of the fast path (nil: none).
func (c *Cond) names() []string {
	if c == nil || c.fast == nil {
		return nil
	}
	return c.fast.Names()
}

// CondAt is a breakpoint condition ready at one address. When every name
// is a scalar variable the condition runs on the precompiled fast path
// (fast, a variables.Binding read on the tracer thread without
// allocating); otherwise, and whenever the fast path reports an error,
// print's evaluator (pkg/proc/expr) runs it over the hit's frame, so the
// result and the error text are print's.
type CondAt struct {
	cond *Cond
	fast *variables.Binding // nil: always print's evaluator
	tab  *symbols.Table
	bias uint64
	l    *values.Loader
	pc   uint64 // run-time address
}

// Bind prepares the condition at the run-time address addr of an image
// (table t loaded at bias, values read by l). A plain name that is no
// variable visible there is an error now, as for print.
func (cond *Cond) Bind(t *symbols.Table, bias uint64, l *values.Loader, addr uint64) (*CondAt, error) {
	c := &CondAt{cond: cond, tab: t, bias: bias, l: l, pc: addr}
	pc := addr - bias
	if names := cond.names(); cond.fast != nil && !selectsField(t, pc, names) {
		if bd, err := variables.Bind(t, pc, names); err == nil {
			bd.SetLoadBias(bias)
			c.fast = bd
			return c, nil
		}
	}
	n, err := expr.Check(cond.src)
	if err != nil {
		return nil, err
	}
	roots, _ := expr.Roots(n)
	for _, name := range roots {
		if _, err := variables.Bind(t, pc, []string{name}); errors.Is(err, variables.ErrNoVariable) {
			return nil, err
		}
	}
	return c, nil
}

// selectsField reports whether a dotted name of the fast path ("p.X")
// starts with a variable visible at pc: then, as in print, it is a field
// of that variable, not the package variable X of a package p.
func selectsField(t *symbols.Table, pc uint64, names []string) bool {
	for _, n := range names {
		if head, _, ok := strings.Cut(n, "."); ok {
			if _, err := variables.Bind(t, pc, []string{head}); err == nil || !errors.Is(err, variables.ErrNoVariable) {
				return true
			}
		}
	}
	return false
}

// Eval decides the condition at one hit (on the tracer thread).
func (c *CondAt) Eval(h proc.Hit) (bool, error) {
	r, err := h.Registers()
	if err != nil {
		return false, err
	}
	regs := func(n int) (uint64, error) { return r.DWARFRegister(n) }
	mem := func(a uint64, buf []byte) error { _, err := h.ReadMemory(a, buf); return err }
	if c.fast != nil && c.cond.fast != nil {
		if ok, err := c.fast.EvalBool(c.cond.fast, regs, mem); err == nil {
			return ok, nil
		}
		// print's evaluator words the error (or decides what the fast
		// path could not, such as strings longer than it reads).
	}
	f, err := variables.NewFrame(c.tab, variables.FrameConfig{PC: c.pc, Bias: c.bias, Regs: regs, Mem: mem})
	if err != nil {
		f = nil // package variables only
	}
	sc := expr.NewFrameScope(c.tab, f, c.l, hitMemory{h})
	sc.SetFrameUp(c.upFromHit(r, h)) // runtime.frame(n)
	return expr.EvalBool(sc, c.cond.src)
}

// hitMemory is the memory of a thread stopped at a breakpoint hit, read
// only: a condition never writes.
type hitMemory struct{ h proc.Hit }

func (m hitMemory) ReadMemory(addr uint64, buf []byte) (int, error) { return m.h.ReadMemory(addr, buf) }

func (m hitMemory) WriteMemory(addr uint64, data []byte) (int, error) {
	return 0, fmt.Errorf("a condition cannot write memory at %#x", addr)
}
