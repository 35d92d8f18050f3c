package target

import (
	"fmt"

	"github.com/godbg/godbg/pkg/proc"
	"github.com/godbg/godbg/pkg/proc/expr"
	"github.com/godbg/godbg/pkg/proc/variables"
	"github.com/godbg/godbg/pkg/symbols"
)

// runtime.frame(n).x (Delve) in print and in breakpoint conditions: the
// scopes of the outer frames of the same goroutine.

// FrameVarsOf finds the variables of one unwound frame, at inlined call
// level k (FrameConfig.Inlined; 0: its function's), reading memory with
// read.
func FrameVarsOf(tab *symbols.Table, bias uint64, f *Frame, k int, read func(uint64, []byte) (int, error)) (*variables.Frame, error) {
	pc := f.PC
	if f.Kind != KindTop && f.Kind != KindSignal && !f.Sigtramp && pc > 0 {
		pc-- // a return address: the call's scope
	}
	regs := f.Regs
	return variables.NewFrame(tab, variables.FrameConfig{
		PC: pc, Bias: bias, CFA: f.CFA, Inlined: k,
		Regs: func(n int) (uint64, error) { return regs.DWARFRegister(n) },
		Mem: func(addr uint64, buf []byte) error {
			_, err := read(addr, buf)
			return err
		},
	})
}

// OuterFrame is frames[n], or an error saying how deep the stack is.
func OuterFrame(frames []Frame, n int, err error) (*Frame, error) {
	if n < len(frames) {
		return &frames[n], nil
	}
	if err == nil {
		err = fmt.Errorf("the stack has %d frames", len(frames))
	}
	return nil, fmt.Errorf("runtime.frame(%d): %w", n, err)
}

// upFromHit gives a condition the outer frames of the hitting thread.
func (c *CondAt) upFromHit(r proc.Registers, h proc.Hit) func(int) (expr.Scope, error) {
	return func(n int) (expr.Scope, error) {
		regs, err := RegsOf(r)
		if err != nil {
			return nil, err
		}
		frames, err := Unwind(c.tab, c.bias, regs, h, n+1)
		f, err := OuterFrame(frames, n, err)
		if err != nil {
			return nil, err
		}
		vf, err := FrameVarsOf(c.tab, c.bias, f, 0, h.ReadMemory)
		if err != nil {
			vf = nil // package variables only
		}
		return expr.NewFrameScope(c.tab, vf, c.l, hitMemory{h}), nil
	}
}
