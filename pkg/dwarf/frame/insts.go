package frame

import (
	"errors"
	"fmt"
)

// DW_CFA_* opcodes (DWARF 5 §6.4.2, and GNU extensions).
const (
	cfaAdvanceLoc        = 0x40 // high 2 bits
	cfaOffset            = 0x80
	cfaRestore           = 0xc0
	cfaNop               = 0x00
	cfaSetLoc            = 0x01
	cfaAdvanceLoc1       = 0x02
	cfaAdvanceLoc2       = 0x03
	cfaAdvanceLoc4       = 0x04
	cfaOffsetExtended    = 0x05
	cfaRestoreExtended   = 0x06
	cfaUndefined         = 0x07
	cfaSameValue         = 0x08
	cfaRegister          = 0x09
	cfaRememberState     = 0x0a
	cfaRestoreState      = 0x0b
	cfaDefCFA            = 0x0c
	cfaDefCFARegister    = 0x0d
	cfaDefCFAOffset      = 0x0e
	cfaDefCFAExpression  = 0x0f
	cfaExpression        = 0x10
	cfaOffsetExtendedSF  = 0x11
	cfaDefCFASF          = 0x12
	cfaDefCFAOffsetSF    = 0x13
	cfaValOffset         = 0x14
	cfaValOffsetSF       = 0x15
	cfaValExpression     = 0x16
	cfaGNUWindowSave     = 0x2d
	cfaGNUArgsSize       = 0x2e
	cfaGNUNegOffsetExtSF = 0x2f
)

// errDone stops the interpreter once the row for the target pc is complete.
var errDone = errors.New("done")

// machine runs CFA instructions.
type machine struct {
	cie     *CIE
	row     Row
	initial Row
	saved   []Row
	loc     uint64
	target  uint64
}

func (m *machine) run(code []byte) error {
	b := &buf{data: code, order: m.cie.order}
	for b.pos < len(code) {
		if err := m.step(b); err != nil {
			return err
		}
		if b.err != nil {
			return b.err
		}
	}
	return nil
}

// advance moves to loc; past the target the current row is final.
func (m *machine) advance(loc uint64) error {
	if loc > m.target {
		return errDone
	}
	m.loc = loc
	m.row.Loc = loc
	return nil
}

func (m *machine) step(b *buf) error {
	c := m.cie
	code := b.u8()
	switch code & 0xc0 {
	case cfaAdvanceLoc:
		return m.advance(m.loc + uint64(code&0x3f)*c.CodeAlign)
	case cfaOffset:
		m.row.Regs[int(code&0x3f)] = Rule{Kind: RuleOffset, Offset: int64(b.uleb()) * c.DataAlign}
		return nil
	case cfaRestore:
		m.restore(int(code & 0x3f))
		return nil
	}
	switch code {
	case cfaNop, cfaGNUWindowSave:
	case cfaSetLoc:
		return m.advance(b.uint(c.AddrSize))
	case cfaAdvanceLoc1:
		return m.advance(m.loc + uint64(b.u8())*c.CodeAlign)
	case cfaAdvanceLoc2:
		return m.advance(m.loc + uint64(b.u16())*c.CodeAlign)
	case cfaAdvanceLoc4:
		return m.advance(m.loc + uint64(b.u32())*c.CodeAlign)
	case cfaRememberState:
		m.saved = append(m.saved, m.row.clone())
	case cfaRestoreState:
		if len(m.saved) == 0 {
			return ErrStateStack
		}
		loc := m.row.Loc
		m.row = m.saved[len(m.saved)-1]
		m.row.Loc = loc
		m.saved = m.saved[:len(m.saved)-1]
	case cfaGNUArgsSize:
		b.uleb()
	default:
		return m.cfaStep(code, b)
	}
	return nil
}

// cfaStep handles the CFA and register rule instructions.
func (m *machine) cfaStep(code byte, b *buf) error {
	c := m.cie
	switch code {
	case cfaDefCFA:
		m.row.CFA = CFARule{Reg: int(b.uleb()), Offset: int64(b.uleb())}
	case cfaDefCFASF:
		m.row.CFA = CFARule{Reg: int(b.uleb()), Offset: b.sleb() * c.DataAlign}
	case cfaDefCFARegister:
		m.row.CFA.Reg, m.row.CFA.Expr = int(b.uleb()), nil
	case cfaDefCFAOffset:
		m.row.CFA.Offset, m.row.CFA.Expr = int64(b.uleb()), nil
	case cfaDefCFAOffsetSF:
		m.row.CFA.Offset, m.row.CFA.Expr = b.sleb()*c.DataAlign, nil
	case cfaDefCFAExpression:
		m.row.CFA = CFARule{Expr: b.bytes(b.uleb())}
	default:
		return m.regStep(code, b)
	}
	return nil
}

func (m *machine) regStep(code byte, b *buf) error {
	c := m.cie
	reg := int(b.uleb())
	var r Rule
	switch code {
	case cfaOffsetExtended:
		r = Rule{Kind: RuleOffset, Offset: int64(b.uleb()) * c.DataAlign}
	case cfaOffsetExtendedSF:
		r = Rule{Kind: RuleOffset, Offset: b.sleb() * c.DataAlign}
	case cfaGNUNegOffsetExtSF:
		r = Rule{Kind: RuleOffset, Offset: -int64(b.uleb()) * c.DataAlign}
	case cfaValOffset:
		r = Rule{Kind: RuleValOffset, Offset: int64(b.uleb()) * c.DataAlign}
	case cfaValOffsetSF:
		r = Rule{Kind: RuleValOffset, Offset: b.sleb() * c.DataAlign}
	case cfaRestoreExtended:
		m.restore(reg)
		return nil
	case cfaUndefined:
		r = Rule{Kind: RuleUndefined}
	case cfaSameValue:
		r = Rule{Kind: RuleSameValue}
	case cfaRegister:
		r = Rule{Kind: RuleRegister, Reg: int(b.uleb())}
	case cfaExpression:
		r = Rule{Kind: RuleExpression, Expr: b.bytes(b.uleb())}
	case cfaValExpression:
		r = Rule{Kind: RuleValExpression, Expr: b.bytes(b.uleb())}
	default:
		return fmt.Errorf("DW_CFA opcode %#x: %w", code, ErrUnsupported)
	}
	m.row.Regs[reg] = r
	return nil
}

func (m *machine) restore(reg int) {
	if r, ok := m.initial.Regs[reg]; ok {
		m.row.Regs[reg] = r
	} else {
		delete(m.row.Regs, reg)
	}
}
