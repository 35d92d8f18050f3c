package debugger

import (
	"fmt"

	"github.com/godbg/godbg/pkg/proc"
	"github.com/godbg/godbg/pkg/proc/expr"
	ptarget "github.com/godbg/godbg/pkg/proc/target"
	"github.com/godbg/godbg/pkg/proc/variables"
	"github.com/godbg/godbg/pkg/symbols"
)

// stepb: runtime.frame(n).x (Delve) in print and in breakpoint
// conditions: the scopes of the outer frames of the same goroutine.

// frameVarsOf finds the variables of one unwound frame, reading memory
// with read.
func frameVarsOf(tab *symbols.Table, bias uint64, f *ptarget.Frame, read func(uint64, []byte) (int, error)) (*variables.Frame, error) {
	pc := f.PC
	if f.Kind != ptarget.KindTop && f.Kind != ptarget.KindSignal && !f.Sigtramp && pc > 0 {
		pc-- // a return address: the call's scope
	}
	regs := f.Regs
	return variables.NewFrame(tab, variables.FrameConfig{
		PC: pc, Bias: bias, CFA: f.CFA,
		Regs: func(n int) (uint64, error) { return regs.DWARFRegister(n) },
		Mem: func(addr uint64, buf []byte) error {
			_, err := read(addr, buf)
			return err
		},
	})
}

// outerFrame is frames[n], or an error saying how deep the stack is.
func outerFrame(frames []ptarget.Frame, n int, err error) (*ptarget.Frame, error) {
	if n < len(frames) {
		return &frames[n], nil
	}
	if err == nil {
		err = fmt.Errorf("the stack has %d frames", len(frames))
	}
	return nil, fmt.Errorf("runtime.frame(%d): %w", n, err)
}

// upFromHit gives a condition the outer frames of the hitting thread.
func (c *condAt) upFromHit(r proc.Registers, h proc.Hit) func(int) (expr.Scope, error) {
	return func(n int) (expr.Scope, error) {
		regs, err := ptarget.RegsOf(r)
		if err != nil {
			return nil, err
		}
		frames, err := ptarget.Unwind(c.tab, c.bias, regs, h, n+1)
		f, err := outerFrame(frames, n, err)
		if err != nil {
			return nil, err
		}
		vf, err := frameVarsOf(c.tab, c.bias, f, h.ReadMemory)
		if err != nil {
			vf = nil // package variables only
		}
		return expr.NewFrameScope(c.tab, vf, c.l, hitMemory{h}), nil
	}
}

// upFromSelected gives print the frames outside the selected one.
func (d *Debugger) upFromSelected(sc *expr.FrameScope) {
	sc.SetFrameUp(func(n int) (expr.Scope, error) {
		frames, err := d.unwind(d.frame + n + 2)
		f, err := outerFrame(frames, d.frame+n, err)
		if err != nil {
			return nil, err
		}
		vf, _ := d.varFrame(f)
		return expr.NewFrameScope(d.table(), vf, sc.Loader(), d.proc()), nil
	})
}
