package stack

import (
	"errors"
	"fmt"

	"github.com/godbg/godbg/pkg/dwarf/frame"
	"github.com/godbg/godbg/pkg/dwarf/op"
)

// applyRow computes the caller's registers from f's registers with the
// row's rules; more is false when the return address is undefined (the
// ABI's mark of an outermost frame).
func (w *walker) applyRow(r *row, f *Frame) (Regs, bool, error) {
	cfa, err := w.cfa(r, &f.Regs)
	if err != nil {
		return Regs{}, false, err
	}
	f.CFA = cfa
	if r.ra.kind == frame.RuleUndefined {
		return Regs{}, false, nil
	}
	ra, ok, err := w.recover(r.ra, cfa, &f.Regs)
	if err != nil {
		return Regs{}, false, fmt.Errorf("return address: %w", err)
	}
	if !ok {
		return Regs{}, false, fmt.Errorf("%w: return address register not known", ErrRule)
	}
	c := f.Regs
	c.keep(r.keep)
	for n := 0; n < NumRegs; n++ {
		if r.hasRule&(1<<n) == 0 {
			continue
		}
		if r.regs[n].kind == frame.RuleSameValue {
			if v, ok := f.Regs.Get(n); ok {
				c.Set(n, v)
			}
			continue
		}
		// A register that cannot be recovered is only unknown in the caller.
		if v, ok, err := w.recover(r.regs[n], cfa, &f.Regs); ok && err == nil {
			c.Set(n, v)
		} else {
			c.Unset(n)
		}
	}
	c.Set(RegRSP, cfa)
	c.Set(RegRIP, ra)
	return c, true, nil
}

// cfa evaluates the row's CFA rule.
func (w *walker) cfa(r *row, regs *Regs) (uint64, error) {
	if r.cfaProg != nil {
		v, err := w.eval(r.cfaProg, regs, 0)
		if err != nil {
			return 0, fmt.Errorf("CFA expression: %w", err)
		}
		return v, nil
	}
	v, ok := regs.Get(r.cfaReg)
	if !ok {
		return 0, fmt.Errorf("%w: CFA register %d not known", ErrRule, r.cfaReg)
	}
	return v + uint64(r.cfaOff), nil
}

// recover applies one register rule; ok is false for an undefined value.
func (w *walker) recover(rl rule, cfa uint64, regs *Regs) (v uint64, ok bool, err error) {
	switch rl.kind {
	case frame.RuleUndefined:
		return 0, false, nil
	case frame.RuleOffset:
		v, err = w.mem.word(cfa + uint64(rl.off))
	case frame.RuleValOffset:
		v = cfa + uint64(rl.off)
	case frame.RuleRegister:
		if v, ok = regs.Get(rl.reg); !ok {
			return 0, false, nil
		}
	case frame.RuleExpression:
		var addr uint64
		if addr, err = w.eval(rl.prog, regs, cfa); err == nil {
			v, err = w.mem.word(addr)
		}
	case frame.RuleValExpression:
		v, err = w.eval(rl.prog, regs, cfa)
	default:
		return 0, false, fmt.Errorf("%w: rule kind %d", ErrRule, rl.kind)
	}
	return v, err == nil, err
}

// eval runs a CFA or register rule expression and returns its value.
func (w *walker) eval(p *op.Program, regs *Regs, cfa uint64) (uint64, error) {
	res, err := p.Eval(&exprContext{w: w, regs: regs, cfa: cfa})
	if err != nil {
		if errors.Is(err, ErrMemory) {
			return 0, err
		}
		return 0, fmt.Errorf("%w: %v", ErrRule, err)
	}
	switch res.Kind {
	case op.Address:
		return res.Addr, nil
	case op.Value:
		return res.Value, nil
	}
	return 0, fmt.Errorf("%w: expression yields a %v location", ErrRule, res.Kind)
}

// exprContext lets DW_OP programs read a frame's registers and memory.
type exprContext struct {
	w    *walker
	regs *Regs
	cfa  uint64
}

func (c *exprContext) Reg(n int) (uint64, error) { return c.regs.DWARFRegister(n) }

func (c *exprContext) FrameBase() (uint64, error) {
	return 0, fmt.Errorf("%w: DW_OP_fbreg in call frame information", ErrRule)
}

func (c *exprContext) CFA() (uint64, error) { return c.cfa, nil }

func (c *exprContext) ReadMemory(addr uint64, buf []byte) error { return c.w.mem.read(addr, buf) }

func (c *exprContext) LoadBias() uint64 { return 0 }
