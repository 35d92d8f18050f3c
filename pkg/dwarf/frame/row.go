package frame

import "fmt"

// RuleKind says how to recover a register of the caller.
type RuleKind uint8

const (
	RuleUndefined     RuleKind = iota // not recoverable
	RuleSameValue                     // unchanged
	RuleOffset                        // saved at CFA+Offset
	RuleValOffset                     // the value is CFA+Offset
	RuleRegister                      // in register Reg
	RuleExpression                    // saved at the address Expr computes (CFA pushed first)
	RuleValExpression                 // the value Expr computes (CFA pushed first)
)

// Rule recovers one register.
type Rule struct {
	Kind   RuleKind
	Reg    int
	Offset int64
	Expr   []byte
}

// CFARule computes the CFA: Reg+Offset, or Expr when Expr is non-nil.
type CFARule struct {
	Reg    int
	Offset int64
	Expr   []byte
}

// Row is the unwinding state at one pc. Registers absent from Regs follow
// the ABI default (same value for callee-saved registers).
type Row struct {
	Loc    uint64 // first pc the row applies to
	CFA    CFARule
	Regs   map[int]Rule
	RAReg  int // column of the return address
	Signal bool
}

// ReturnAddress returns the rule for the return address column.
func (r Row) ReturnAddress() Rule { return r.Regs[r.RAReg] }

func (r Row) clone() Row {
	c := r
	c.Regs = make(map[int]Rule, len(r.Regs))
	for k, v := range r.Regs {
		c.Regs[k] = v
	}
	return c
}

// RowAt returns the row in effect at pc, which must lie in [Begin, End).
func (f *FDE) RowAt(pc uint64) (Row, error) {
	if pc < f.Begin || pc >= f.End {
		return Row{}, &PCError{PC: pc, Err: ErrNoFDE}
	}
	c := f.CIE
	m := &machine{cie: c, row: Row{Regs: map[int]Rule{}, RAReg: c.RAReg, Signal: c.SignalFrame}, loc: f.Begin, target: ^uint64(0)}
	if err := m.run(c.Instructions); err != nil {
		return Row{}, &PCError{PC: pc, Err: fmt.Errorf("CIE at %#x: %w", c.Offset, err)}
	}
	m.initial = m.row.clone()
	m.row.Loc = f.Begin
	m.target = pc
	if err := m.run(f.Instructions); err != nil && err != errDone {
		return Row{}, &PCError{PC: pc, Err: fmt.Errorf("FDE at %#x: %w", f.Offset, err)}
	}
	return m.row, nil
}
