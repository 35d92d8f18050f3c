package debugger

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

// condAt is a breakpoint condition ready at one address. Conditions are
// print's language: when every name is a scalar variable the condition
// runs on the precompiled fast path (fast, a variables.Binding read on the
// tracer thread without allocating); otherwise, and whenever the fast
// path reports an error, print's evaluator (pkg/proc/expr) runs it over
// the hit's frame, so the result and the error text are print's.
type condAt struct {
	fast *variables.Binding // nil: always print's evaluator
	tab  *symbols.Table
	bias uint64
	l    *values.Loader
	pc   uint64 // run-time address
}

// bindCond prepares b's condition at the run-time address addr. A plain
// name that is no variable visible there is an error now, as for print.
func bindCond(b *breakpoint, t *symbols.Table, bias uint64, l *values.Loader, addr uint64) (*condAt, error) {
	c := &condAt{tab: t, bias: bias, l: l, pc: addr}
	pc := addr - bias
	if b.cond != nil && !selectsField(t, pc, b.cond.Names()) {
		if bd, err := variables.Bind(t, pc, b.cond.Names()); err == nil {
			bd.SetLoadBias(bias)
			c.fast = bd
			return c, nil
		}
	}
	n, err := expr.Check(b.Cond)
	if err != nil {
		return nil, err
	}
	names, _ := expr.Roots(n)
	for _, name := range names {
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

// eval decides the condition at one hit.
func (c *condAt) eval(fast *eval.Expr, src string, h proc.Hit) (bool, error) {
	r, err := h.Registers()
	if err != nil {
		return false, err
	}
	regs := func(n int) (uint64, error) { return r.DWARFRegister(n) }
	mem := func(a uint64, buf []byte) error { _, err := h.ReadMemory(a, buf); return err }
	if c.fast != nil && fast != nil {
		if ok, err := c.fast.EvalBool(fast, regs, mem); err == nil {
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
	sc.SetFrameUp(c.upFromHit(r, h)) // stepb: runtime.frame(n)
	return expr.EvalBool(sc, src)
}

// hitMemory is the memory of a thread stopped at a breakpoint hit, read
// only: a condition never writes.
type hitMemory struct{ h proc.Hit }

func (m hitMemory) ReadMemory(addr uint64, buf []byte) (int, error) { return m.h.ReadMemory(addr, buf) }

func (m hitMemory) WriteMemory(addr uint64, data []byte) (int, error) {
	return 0, fmt.Errorf("a condition cannot write memory at %#x", addr)
}

// condLoader returns the value loader of img as p runs it.
func (d *Debugger) condLoader(img *image, p proc.Process) (*values.Loader, error) {
	if img == d.tgt.img {
		return d.loader()
	}
	if img.loader == nil {
		l, err := values.NewLoader(img.table(p), img.bias(p))
		if err != nil {
			return nil, err
		}
		img.loader = l
	}
	return img.loader, nil
}
