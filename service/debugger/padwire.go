package debugger

import (
	"fmt"

	"github.com/godbg/godbg/pkg/proc"
)

// Wiring of jump pads (issue 17) into the breakpoint multiplexer: a user
// breakpoint alone at an address, whose condition has a pad form
// (padcond.go), is armed with proc.PadArmer.ArmPad instead of
// SetBreakpoint when the backend agrees. Its breaklet then runs only for
// the hits the pad finds true, so TotalHits and hit conditions behave as
// on the trap path; the pad's own counter gives every pass.

// armPad tries to arm b at addr of p as a pad; false: use setBP.
func (d *Debugger) armPad(p proc.Process, addr uint64, b *breakpoint, s *site) bool {
	pa, ok := p.(proc.PadArmer)
	if !ok || d.mux[p][addr] != nil {
		return false
	}
	c, ok := padCondAt(b, s, addr)
	if !ok {
		return false
	}
	fresh := newSlot(b.ID, d.hitFunc(b, s, addr))
	fresh.padded, fresh.padAt = true, padWhere(b.cond.Names()[0], c)
	if ok, err := pa.ArmPad(addr, c, fresh.eval); err != nil || !ok {
		return false
	}
	fresh.repad = func() bool {
		// Back to a pad once b's breaklet is alone at addr again (after
		// a step's temporary breakpoint there is gone).
		if !fresh.Only(b.ID) || p.ClearBreakpoint(addr) != nil { // model: Breaklets moved to pkg/proc/target
			return false
		}
		if ok, err := pa.ArmPad(addr, c, fresh.eval); err == nil && ok {
			fresh.padded = true
			return true
		}
		if err := p.SetBreakpoint(addr, fresh.eval); err != nil {
			delete(d.mux[p], addr)
		}
		return false
	}
	if d.mux == nil {
		d.mux = bpMux{}
	}
	if d.mux[p] == nil {
		d.mux[p] = map[uint64]*bpSlot{}
	}
	d.mux[p][addr] = fresh
	return true
}

// unpad turns the padded slot s at addr back into a trap breakpoint.
func (d *Debugger) unpad(p proc.Process, addr uint64, s *bpSlot) error {
	if err := p.ClearBreakpoint(addr); err != nil {
		return err
	}
	s.padded = false
	if err := p.SetBreakpoint(addr, s.eval); err != nil {
		delete(d.mux[p], addr)
		return fmt.Errorf("cannot set a breakpoint at %#x in process %d: %w", addr, p.Pid(), err)
	}
	return nil
}

// repad re-arms b after its condition changed: a pad compiled the old one.
func (d *Debugger) repad(b *breakpoint) error {
	if b.Disabled || b.catch != nil || b.watch != nil || !d.padded(b) {
		return nil
	}
	d.disarm(b)
	return d.arm(b)
}

// padPath says how b runs in the current target: "pad" when every
// address is padded, "trap" otherwise, "" when no live process runs it;
// passes is the sum of the pads' counters (every evaluation of the
// condition, true or not).
func (d *Debugger) padPath(b *breakpoint) (path, where string, passes uint64) {
	p := d.proc()
	addrs := d.addrs(b)
	if len(addrs) == 0 || p == nil || p.Exited() || b.Disabled {
		return "", "", 0
	}
	pa, ok := p.(proc.PadArmer)
	if !ok {
		return "trap", "", 0
	}
	for _, a := range addrs {
		s := d.mux[p][a]
		if s == nil || !s.padded {
			return "trap", "", 0
		}
		n, _, ok := pa.PadCounts(a)
		if !ok {
			return "trap", "", 0
		}
		passes += n
		if where == "" {
			where = s.padAt
		}
	}
	return "pad", where, passes
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

// padded reports whether any address of b is armed as a pad.
func (d *Debugger) padded(b *breakpoint) bool {
	for img := range d.images() {
		s := img.sites[b.ID]
		if s == nil {
			continue
		}
		for _, t := range d.liveTargets(img) {
			for _, a := range s.addrs {
				if sl := d.mux[t.Proc][a]; sl != nil && sl.padded {
					return true
				}
			}
		}
	}
	return false
}
