package variables

import (
	"encoding/binary"
	"fmt"
)

// amd64 DWARF register numbers by name (System V psABI, figure 3.36).
var dwarfRegs = map[string]int{
	"rax": 0, "rdx": 1, "rcx": 2, "rbx": 3, "rsi": 4, "rdi": 5, "rbp": 6, "rsp": 7,
	"r8": 8, "r9": 9, "r10": 10, "r11": 11, "r12": 12, "r13": 13, "r14": 14, "r15": 15,
	"rip":  16,
	"xmm0": 17, "xmm1": 18, "xmm2": 19, "xmm3": 20, "xmm4": 21, "xmm5": 22, "xmm6": 23, "xmm7": 24,
	"xmm8": 25, "xmm9": 26, "xmm10": 27, "xmm11": 28, "xmm12": 29, "xmm13": 30, "xmm14": 31, "xmm15": 32,
}

// NumRegs is the number of DWARF registers a RegisterFile holds.
const NumRegs = 33

// DWARFRegister returns the amd64 DWARF number of a register named as
// proc.Registers.List names it ("rax", "r8", "rip", "xmm0").
func DWARFRegister(name string) (int, bool) {
	n, ok := dwarfRegs[name]
	return n, ok
}

// RegisterFile is a register snapshot indexed by DWARF number. Fill it
// from a stop's registers and pass its Get method as the Regs callback.
type RegisterFile struct {
	v   [NumRegs]uint64
	set [NumRegs]bool
}

// Set stores a register by name; it reports whether the name is known.
func (r *RegisterFile) Set(name string, value uint64) bool {
	n, ok := dwarfRegs[name]
	if ok {
		r.v[n], r.set[n] = value, true
	}
	return ok
}

// SetBytes stores a wide register (xmm) by name from its bytes; the low
// 8 bytes are kept.
func (r *RegisterFile) SetBytes(name string, b []byte) bool {
	if len(b) < 8 {
		return false
	}
	return r.Set(name, binary.LittleEndian.Uint64(b))
}

// Get returns a register by DWARF number.
func (r *RegisterFile) Get(n int) (uint64, error) {
	if n < 0 || n >= NumRegs || !r.set[n] {
		return 0, fmt.Errorf("DWARF register %d not available", n)
	}
	return r.v[n], nil
}
