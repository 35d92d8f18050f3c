package ebpf

import "golang.org/x/arch/x86/x86asm"

// emulated reports whether the kernel's x86 uprobes run the instruction
// without a single step (branch_setup_xol_ops, push_setup_xol_ops):
// direct JMP, CALL and Jcc, NOP, PUSH of a register; no prefixes.
func emulated(in x86asm.Inst) bool {
	if in.Prefix[0] != 0 && !(in.Op == x86asm.PUSH && in.Len == 2) {
		return false
	}
	switch in.Op {
	case x86asm.JMP, x86asm.CALL:
		_, ok := in.Args[0].(x86asm.Rel)
		return ok
	case x86asm.NOP:
		return in.Len == 1
	case x86asm.PUSH:
		_, ok := in.Args[0].(x86asm.Reg)
		return ok && in.Len <= 2
	}
	if isJcc(in.Op) {
		_, ok := in.Args[0].(x86asm.Rel)
		return ok
	}
	return false
}

func isJcc(op x86asm.Op) bool {
	switch op {
	case x86asm.JA, x86asm.JAE, x86asm.JB, x86asm.JBE, x86asm.JE, x86asm.JG, x86asm.JGE, x86asm.JL, x86asm.JLE,
		x86asm.JNE, x86asm.JNO, x86asm.JNP, x86asm.JNS, x86asm.JO, x86asm.JP, x86asm.JS:
		return true
	}
	return false
}

// plain reports whether the instruction only writes its first operand
// (and the flags): moves, loads and arithmetic.
func plain(in x86asm.Inst) bool {
	switch in.Op {
	case x86asm.MOV, x86asm.MOVZX, x86asm.MOVSX, x86asm.MOVSXD, x86asm.LEA, x86asm.ADD, x86asm.SUB,
		x86asm.AND, x86asm.OR, x86asm.XOR, x86asm.INC, x86asm.DEC, x86asm.NEG, x86asm.NOT,
		x86asm.SHL, x86asm.SHR, x86asm.SAR, x86asm.CMP, x86asm.TEST,
		x86asm.MOVUPS, x86asm.MOVAPS, x86asm.MOVSD_XMM, x86asm.MOVSS, x86asm.XORPS, x86asm.MOVQ:
		return true
	case x86asm.NOP:
		return true // a long NOP (0F 1F), which the kernel single-steps
	case x86asm.IMUL:
		return in.Args[1] != nil // not the RDX:RAX form
	}
	return false
}

// mayFault reports whether the instruction reads or writes memory
// elsewhere than the frame or static data (a nil pointer there panics
// after the call returned: the return would not be reported).
func mayFault(in x86asm.Inst) bool {
	if in.Op == x86asm.LEA || in.Op == x86asm.NOP {
		return false // address arithmetic only
	}
	for _, a := range in.Args {
		if m, ok := a.(x86asm.Mem); ok && (m.Segment != 0 || (m.Base != x86asm.RSP && m.Base != x86asm.RBP && m.Base != x86asm.RIP)) {
			return true
		}
	}
	return false
}

// dwarfReg is the DWARF number of a general register of any width, -1
// for others.
func dwarfReg(r x86asm.Reg) int {
	enc := -1
	switch {
	case r >= x86asm.RAX && r <= x86asm.R15:
		enc = int(r - x86asm.RAX)
	case r >= x86asm.EAX && r <= x86asm.R15L:
		enc = int(r - x86asm.EAX)
	case r >= x86asm.AX && r <= x86asm.R15W:
		enc = int(r - x86asm.AX)
	case r >= x86asm.AL && r <= x86asm.BL:
		enc = int(r - x86asm.AL)
	case r >= x86asm.AH && r <= x86asm.BH:
		enc = int(r - x86asm.AH)
	case r >= x86asm.SPB && r <= x86asm.DIB:
		enc = 4 + int(r-x86asm.SPB)
	case r >= x86asm.R8B && r <= x86asm.R15B:
		enc = 8 + int(r-x86asm.R8B)
	}
	if enc < 0 {
		return -1
	}
	return [...]int{0, 2, 1, 3, 7, 6, 4, 5, 8, 9, 10, 11, 12, 13, 14, 15}[enc]
}
