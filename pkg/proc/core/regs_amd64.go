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
	out = append(out, proc.Register{Name: "eflags", Value: r.gp[rEflags], Text: flagsText(r.gp[rEflags])})
	for _, i := range segOrder {
		out = append(out, proc.Register{Name: userRegNames[i], Value: r.gp[i]})
	}
	if r.fpValid {
		out = append(out, fpList(&r.fp)...)
	}
	return out
}

var (
	stNames  = [8]string{"st0", "st1", "st2", "st3", "st4", "st5", "st6", "st7"}
	xmmNames = [16]string{"xmm0", "xmm1", "xmm2", "xmm3", "xmm4", "xmm5", "xmm6", "xmm7",
		"xmm8", "xmm9", "xmm10", "xmm11", "xmm12", "xmm13", "xmm14", "xmm15"}
)

// fpList decodes an FXSAVE area: control words, st0-st7, mxcsr, xmm0-xmm15.
func fpList(fp *[fxsaveSize]byte) []proc.Register {
	out := []proc.Register{
		{Name: "fcw", Value: uint64(le.Uint16(fp[0:]))},
		{Name: "fsw", Value: uint64(le.Uint16(fp[2:]))},
		{Name: "ftw", Value: uint64(fp[4])},
		{Name: "fop", Value: uint64(le.Uint16(fp[6:]))},
		{Name: "fip", Value: le.Uint64(fp[8:])},
		{Name: "fdp", Value: le.Uint64(fp[16:])},
		{Name: "mxcsr", Value: uint64(le.Uint32(fp[24:]))},
	}
	for i := range stNames {
		out = append(out, proc.Register{Name: stNames[i], Bytes: append([]byte(nil), fp[32+16*i:32+16*i+10]...)})
	}
	for i := range xmmNames {
		out = append(out, proc.Register{Name: xmmNames[i], Bytes: append([]byte(nil), fp[160+16*i:160+16*i+16]...)})
	}
	return out
}

var flagBits = []struct {
	bit  uint
	name string
}{{0, "CF"}, {2, "PF"}, {4, "AF"}, {6, "ZF"}, {7, "SF"}, {8, "TF"}, {9, "IF"}, {10, "DF"}, {11, "OF"}}

func flagsText(f uint64) string {
	var set []string
	for _, b := range flagBits {
		if f&(1<<b.bit) != 0 {
			set = append(set, b.name)
		}
	}
	return "[" + strings.Join(set, " ") + "]"
}
