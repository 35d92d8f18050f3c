package core

import (
	"fmt"
	"strings"

	"github.com/godbg/godbg/pkg/proc"
)

// Indexes into user_regs_struct (the register block of NT_PRSTATUS), in
// the kernel's order.
const (
	rR15 = iota
	rR14
	rR13
	rR12
	rRbp
	rRbx
	rR11
	rR10
	rR9
	rR8
	rRax
	rRcx
	rRdx
	rRsi
	rRdi
	rOrigRax
	rRip
	rCs
	rEflags
	rRsp
	rSs
	rFsBase
	rGsBase
	rDs
	rEs
	rFs
	rGs
)

// userRegNames names each slot of user_regs_struct as the native
// backend's Registers.List does.
var userRegNames = [numUserRegs]string{
	"r15", "r14", "r13", "r12", "rbp", "rbx", "r11", "r10", "r9", "r8",
	"rax", "rcx", "rdx", "rsi", "rdi", "orig_rax", "rip", "cs", "eflags", "rsp",
	"ss", "fs_base", "gs_base", "ds", "es", "fs", "gs",
}

// gpOrder is the display order of the general registers (as native).
var gpOrder = []int{
	rRip, rRsp, rRax, rRbx, rRcx, rRdx, rRdi, rRsi, rRbp,
	rR8, rR9, rR10, rR11, rR12, rR13, rR14, rR15, rOrigRax, rFsBase, rGsBase,
}

var segOrder = []int{rCs, rSs, rDs, rEs, rFs, rGs}

// dwarfOrder maps DWARF register numbers 0-16 to user_regs_struct slots.
var dwarfOrder = [17]int{rRax, rRdx, rRcx, rRbx, rRsi, rRdi, rRbp, rRsp,
	rR8, rR9, rR10, rR11, rR12, rR13, rR14, rR15, rRip}

// userRegIndex returns the slot of a register name (aliases included), or -1.
func userRegIndex(name string) int {
	switch n := strings.ToLower(strings.TrimPrefix(name, "$")); n {
	case "pc":
		return rRip
	case "sp":
		return rRsp
	case "bp":
		return rRbp
	case "rflags", "flags":
		return rEflags
	default:
		for i, s := range userRegNames {
			if s == n {
				return i
			}
		}
	}
	return -1
}

// regs is one thread's register snapshot from the core file.
type regs struct {
	gp      [numUserRegs]uint64
	fp      [fxsaveSize]byte
	fpValid bool
}

func (r *regs) PC() uint64 { return r.gp[rRip] }
func (r *regs) SP() uint64 { return r.gp[rRsp] }
func (r *regs) BP() uint64 { return r.gp[rRbp] }

func (r *regs) DWARFRegister(n int) (uint64, error) {
	switch {
	case n >= 0 && n <= 16:
		return r.gp[dwarfOrder[n]], nil
	case n >= 17 && n <= 32:
		if !r.fpValid {
			return 0, fmt.Errorf("xmm%d: the core file has no floating-point registers for this thread", n-17)
		}
		return le.Uint64(r.fp[160+16*(n-17):]), nil
	}
	return 0, fmt.Errorf("no DWARF register %d on amd64", n)
}

func (r *regs) List(all bool) []proc.Register {
	out := make([]proc.Register, 0, 64)
	for _, i := range gpOrder {
		out = append(out, proc.Register{Name: userRegNames[i], Value: r.gp[i]})
	}
	if !all {
		return out
	}
	out = append(out, proc.Register{Name: "eflags", Value: r.gp[rEflags], Text: proc.FlagsText(r.gp[rEflags])})
	for _, i := range segOrder {
		out = append(out, proc.Register{Name: userRegNames[i], Value: r.gp[i]})
	}
	if r.fpValid {
		out = append(out, fpList(&r.fp)...)
	}
	return out
}

// fpList decodes an FXSAVE area.
func fpList(fp *[fxsaveSize]byte) []proc.Register { return proc.FXSaveRegisters(fp[:]) }
