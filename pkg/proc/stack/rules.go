package stack

import (
	"bytes"
	"fmt"
	"sync"

	"github.com/godbg/godbg/pkg/dwarf/frame"
	"github.com/godbg/godbg/pkg/dwarf/op"
)

// rule recovers one register of the caller (a compiled frame.Rule).
type rule struct {
	kind frame.RuleKind
	reg  int
	off  int64
	prog *op.Program
}

// row is the compiled unwinding rule of one pc: how to compute the CFA,
// the return address and the registers the callee saved. Rows are cached
// per pc, so a deep recursion computes each distinct row once.
type row struct {
	cfaReg  int
	cfaOff  int64
	cfaProg *op.Program
	ra      rule
	regs    [NumRegs]rule
	hasRule uint32 // registers with an explicit rule
	keep    uint32 // registers without a rule that survive the call
	err     error  // the row could not be computed or compiled
}

// maxRows bounds a rowCache; when full it starts over.
const maxRows = 1 << 16

type rowCache struct {
	mu   sync.RWMutex
	rows map[uint64]*row // link-time lookup pc → row; nil: no FDE
}

func (c *rowCache) init() { c.rows = make(map[uint64]*row) }

// rowAt returns the row for the link-time pc, nil if no FDE covers it.
func (im *image) rowAt(pc uint64) *row {
	im.rows.mu.RLock()
	r, ok := im.rows.rows[pc]
	im.rows.mu.RUnlock()
	if ok {
		return r
	}
	r = im.computeRow(pc)
	im.rows.mu.Lock()
	if len(im.rows.rows) >= maxRows {
		im.rows.rows = make(map[uint64]*row)
	}
	im.rows.rows[pc] = r
	im.rows.mu.Unlock()
	return r
}

func (im *image) computeRow(pc uint64) *row {
	fde, tab := im.fde(pc)
	if fde == nil {
		return nil
	}
	fr, err := fde.RowAt(pc)
	if err != nil {
		return &row{err: err}
	}
	r := &row{cfaReg: fr.CFA.Reg, cfaOff: fr.CFA.Offset, keep: calleeSaved}
	if fr.CFA.Expr != nil {
		if r.cfaProg, err = op.Compile(fr.CFA.Expr); err != nil {
			return &row{err: fmt.Errorf("CFA expression: %w", err)}
		}
	}
	if r.ra, err = compileRule(fr.ReturnAddress()); err != nil {
		return &row{err: fmt.Errorf("return address rule: %w", err)}
	}
	for n, rl := range fr.Regs {
		if n < 0 || n >= NumRegs || n == RegRIP {
			continue
		}
		if r.regs[n], err = compileRule(rl); err != nil {
			continue // that register is simply not recovered
		}
		r.hasRule |= 1 << n
	}
	if tab == im.goCFI && im.tab.PCToFunc(pc) != nil {
		im.goRow(r, fde, pc)
	}
	return r
}

// opCallFrameCFA is DW_OP_call_frame_cfa: register rule expressions start
// with the CFA on the stack, which op.Program does not do by itself.
const opCallFrameCFA = 0x9c

func compileRule(fr frame.Rule) (rule, error) {
	r := rule{kind: fr.Kind, reg: fr.Reg, off: fr.Offset}
	if fr.Kind == frame.RuleExpression || fr.Kind == frame.RuleValExpression {
		p, err := op.Compile(append([]byte{opCallFrameCFA}, fr.Expr...))
		if err != nil {
			return rule{}, err
		}
		r.prog = p
	}
	return r, nil
}

// goPrologue is PUSHQ BP; MOVQ SP, BP: how a Go function with a frame
// saves its caller's frame pointer.
var goPrologue = []byte{0x55, 0x48, 0x89, 0xe5}

// goRow completes a row of the Go linker's .debug_frame, which describes
// only the CFA and the return address. Go functions preserve no register
// but the frame pointer (and R14, the g register, which a call does not
// change); the frame pointer is at CFA-16 once the prologue has pushed it
// and until the epilogue pops it, which is exactly while the CFA is 16 or
// more above the stack pointer in a function that has that prologue.
func (im *image) goRow(r *row, fde *frame.FDE, pc uint64) {
	r.keep = 1<<RegRBP | 1<<RegR14
	if r.hasRule&(1<<RegRBP) != 0 || r.cfaProg != nil || r.cfaReg != RegRSP || r.cfaOff < 16 {
		return
	}
	push, ok := im.goPush(fde)
	if !ok || pc < push {
		return
	}
	r.regs[RegRBP] = rule{kind: frame.RuleOffset, off: -16}
	r.hasRule |= 1 << RegRBP
}

// goPush returns the link-time pc just after a Go function's PUSHQ BP:
// the prologue's first four bytes found near the entry, confirmed by the
// CFA growing from 8 to 16 across the push.
func (im *image) goPush(fde *frame.FDE) (uint64, bool) {
	var code [48]byte
	n := min(uint64(len(code)), fde.End-fde.Begin)
	if !im.readCode(fde.Begin, code[:n]) {
		return 0, false
	}
	i := bytes.Index(code[:n], goPrologue)
	if i < 0 {
		return 0, false
	}
	at := fde.Begin + uint64(i)
	before, err1 := fde.RowAt(at)
	after, err2 := fde.RowAt(at + 1)
	if err1 != nil || err2 != nil || before.CFA.Offset != 8 || after.CFA.Offset != 16 ||
		before.CFA.Reg != RegRSP || after.CFA.Reg != RegRSP {
		return 0, false
	}
	return at + 1, true
}
