package stack

import "fmt"

// amd64 DWARF register numbers (System V psABI, figure 3.36) of the
// registers the unwinder tracks.
const (
	RegRAX = 0
	RegRDX = 1
	RegRCX = 2
	RegRBX = 3
	RegRSI = 4
	RegRDI = 5
	RegRBP = 6
	RegRSP = 7
	RegR8  = 8
	RegR12 = 12
	RegR13 = 13
	RegR14 = 14
	RegR15 = 15
	RegRIP = 16

	// NumRegs is the number of registers a Regs holds: DWARF 0–16.
	NumRegs = 17
)

// calleeSaved is the mask of the registers a System V (C) function must
// preserve: rbx, rbp, r12–r15 (rsp and rip are recovered separately).
const calleeSaved = 1<<RegRBX | 1<<RegRBP | 1<<RegR12 | 1<<RegR13 | 1<<RegR14 | 1<<RegR15

// Regs is a set of general-purpose registers indexed by DWARF number, each
// either known or not. The zero value knows nothing. Frames carry the
// registers recovered for them: in outer frames only the stack pointer,
// the pc and the registers the callees preserve (or saved) are known.
type Regs struct {
	v     [NumRegs]uint64
	known uint32
}

// DWARFRegisters is what RegsFrom reads; pkg/proc's Registers has it.
type DWARFRegisters interface {
	DWARFRegister(n int) (uint64, error)
}

// RegsFrom copies DWARF registers 0–16 of a stopped thread.
func RegsFrom(src DWARFRegisters) (Regs, error) {
	var r Regs
	for n := 0; n < NumRegs; n++ {
		v, err := src.DWARFRegister(n)
		if err != nil {
			return Regs{}, fmt.Errorf("reading DWARF register %d: %w", n, err)
		}
		r.Set(n, v)
	}
	return r, nil
}

// NewRegs returns registers with only pc, sp and bp known, for callers
// (frame-pointer walks, goroutines parked in g.sched) that know no more.
func NewRegs(pc, sp, bp uint64) Regs {
	var r Regs
	r.Set(RegRIP, pc)
	r.Set(RegRSP, sp)
	r.Set(RegRBP, bp)
	return r
}

// Set stores register n; numbers outside 0–16 are ignored.
func (r *Regs) Set(n int, v uint64) {
	if n >= 0 && n < NumRegs {
		r.v[n] = v
		r.known |= 1 << n
	}
}

// Unset marks register n unknown.
func (r *Regs) Unset(n int) {
	if n >= 0 && n < NumRegs {
		r.known &^= 1 << n
	}
}

// Get returns register n and whether it is known.
func (r *Regs) Get(n int) (uint64, bool) {
	if n < 0 || n >= NumRegs || r.known&(1<<n) == 0 {
		return 0, false
	}
	return r.v[n], true
}

// DWARFRegister returns register n or an error if it is not known, so that
// a Regs can stand in for a thread's registers when reading the variables
// of an outer frame.
func (r *Regs) DWARFRegister(n int) (uint64, error) {
	if v, ok := r.Get(n); ok {
		return v, nil
	}
	return 0, &RegisterError{Reg: n}
}

// PC returns the instruction pointer (0 if unknown).
func (r *Regs) PC() uint64 { v, _ := r.Get(RegRIP); return v }

// SP returns the stack pointer (0 if unknown).
func (r *Regs) SP() uint64 { v, _ := r.Get(RegRSP); return v }

// BP returns the frame pointer (0 if unknown).
func (r *Regs) BP() uint64 { v, _ := r.Get(RegRBP); return v }

// keep forgets every register not in mask.
func (r *Regs) keep(mask uint32) { r.known &= mask }
