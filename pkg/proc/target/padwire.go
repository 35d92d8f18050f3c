package target

import (
	"fmt"

	"github.com/godbg/godbg/pkg/proc"
)

// Wiring of jump pads (issue 17) into the breaklets: a user breakpoint
// alone at an address, whose condition has a pad form (padcond.go), is
// armed with proc.PadArmer.ArmPad instead of SetBreakpoint when the
// backend agrees. Its breaklet then runs only for the hits the pad finds
// true, so TotalHits and hit conditions behave as on the trap path; the
// pad's own counter gives every pass.

// ArmPad tries to arm owner's breaklet at addr as a pad evaluating c
// (the pad form of cond's condition); false: use SetBreaklet.
func (t *Target) ArmPad(addr uint64, owner int, c *CondAt, cond proc.BreakCond) bool {
	p := t.Proc
	pa, ok := p.(proc.PadArmer)
	if !ok || t.bls[addr] != nil {
		return false
	}
	pc, where, ok := c.Pad()
	if !ok {
		return false
	}
	fresh := newSlot(owner, cond)
	fresh.padded, fresh.padAt = true, where
	if ok, err := pa.ArmPad(addr, pc, fresh.Eval); err != nil || !ok {
		return false
	}
	fresh.repad = func() bool {
		// Back to a pad once owner's breaklet is alone at addr again
		// (after a step's temporary breakpoint there is gone).
		if !fresh.Only(owner) || p.ClearBreakpoint(addr) != nil {
			return false
		}
		if ok, err := pa.ArmPad(addr, pc, fresh.Eval); err == nil && ok {
			fresh.padded = true
			return true
		}
		if err := p.SetBreakpoint(addr, fresh.Eval); err != nil {
			delete(t.bls, addr)
		}
		return false
	}
	t.bls[addr] = fresh
	return true
}

// unpad turns the padded slot s at addr back into a trap breakpoint.
func (t *Target) unpad(addr uint64, s *slot) error {
	p := t.Proc
	if err := p.ClearBreakpoint(addr); err != nil {
		return err
	}
	s.padded = false
	if err := p.SetBreakpoint(addr, s.Eval); err != nil {
		delete(t.bls, addr)
		return fmt.Errorf("cannot set a breakpoint at %#x in process %d: %w", addr, p.Pid(), err)
	}
	return nil
}

// Padded reports whether addr is armed as a pad.
func (t *Target) Padded(addr uint64) bool {
	s := t.bls[addr]
	return s != nil && s.padded
}

// PadAt reports how the pad at addr runs: where it reads its operand and
// how many times it evaluated the condition (true or not); ok false: addr
// is no pad.
func (t *Target) PadAt(addr uint64) (where string, passes uint64, ok bool) {
	s := t.bls[addr]
	if s == nil || !s.padded {
		return "", 0, false
	}
	pa, isPad := t.Proc.(proc.PadArmer)
	if !isPad {
		return "", 0, false
	}
	n, _, ok := pa.PadCounts(addr)
	return s.padAt, n, ok
}

var dwarfRegNames = [...]string{"rax", "rdx", "rcx", "rbx", "rsi", "rdi", "rbp", "rsp",
	"r8", "r9", "r10", "r11", "r12", "r13", "r14", "r15"}

// padWhere describes where a pad reads name: "i in rax", "i at rsp+24",
// "main.limit at 0x5a1230".
func padWhere(name string, c proc.PadCond) string {
	switch {
	case c.Loc == proc.PadReg && c.Reg >= 0 && c.Reg < len(dwarfRegNames):
		return fmt.Sprintf("%s in %s", name, dwarfRegNames[c.Reg])
	case c.Loc == proc.PadStack:
		return fmt.Sprintf("%s at rsp%+d", name, c.Off)
	case c.Loc == proc.PadAbs:
		return fmt.Sprintf("%s at %#x", name, uint64(c.Off))
	}
	return name
}
