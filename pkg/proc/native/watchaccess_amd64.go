package native

import (
	"fmt"

	"golang.org/x/arch/x86/x86asm"
)

// access is one memory access an instruction makes.
type access struct {
	addr  uint64
	size  int
	read  bool
	write bool
}

// regFile gives the value of a 64-bit general-purpose register (x86asm's
// RAX … R15, RIP) and the fs/gs bases.
type regFile interface {
	reg(r x86asm.Reg) uint64
	segBase(r x86asm.Reg) uint64
}

// writeOnly are the operations whose memory destination is only stored.
var writeOnly = map[x86asm.Op]bool{
	x86asm.MOV: true, x86asm.MOVAPS: true, x86asm.MOVAPD: true, x86asm.MOVUPS: true, x86asm.MOVUPD: true,
	x86asm.MOVDQA: true, x86asm.MOVDQU: true, x86asm.MOVQ: true, x86asm.MOVD: true, x86asm.MOVSD_XMM: true,
	x86asm.MOVSS: true, x86asm.MOVNTI: true, x86asm.MOVNTDQ: true, x86asm.MOVNTPS: true, x86asm.MOVLPS: true,
	x86asm.MOVHPS: true, x86asm.MOVLPD: true, x86asm.MOVHPD: true, x86asm.MOVBE: true,
	x86asm.SETA: true, x86asm.SETAE: true, x86asm.SETB: true, x86asm.SETBE: true, x86asm.SETE: true,
	x86asm.SETG: true, x86asm.SETGE: true, x86asm.SETL: true, x86asm.SETLE: true, x86asm.SETNE: true,
	x86asm.SETNO: true, x86asm.SETNP: true, x86asm.SETNS: true, x86asm.SETO: true, x86asm.SETP: true, x86asm.SETS: true,
	x86asm.POP: true, x86asm.FSTP: true, x86asm.FST: true, x86asm.FISTP: true, x86asm.STMXCSR: true,
	x86asm.VMOVDQU: true, x86asm.VMOVDQA: true, x86asm.VMOVUPS: true, x86asm.VMOVAPS: true,
}

// readOnly are the operations that only read a memory first operand.
var readOnly = map[x86asm.Op]bool{
	x86asm.CMP: true, x86asm.TEST: true, x86asm.BT: true, x86asm.UCOMISS: true, x86asm.UCOMISD: true,
	x86asm.COMISS: true, x86asm.COMISD: true, x86asm.PUSH: true, x86asm.CALL: true, x86asm.JMP: true,
	x86asm.PREFETCHT0: true, x86asm.PREFETCHT1: true, x86asm.PREFETCHT2: true, x86asm.PREFETCHNTA: true,
	x86asm.LDMXCSR: true, x86asm.FLD: true, x86asm.FILD: true, x86asm.PTEST: true,
}

// noAccess are the operations with a memory operand they never touch.
var noAccess = map[x86asm.Op]bool{x86asm.LEA: true, x86asm.NOP: true, x86asm.PREFETCHW: true}

// decodeAccesses decodes the instruction in code and returns the memory
// accesses it makes with the registers r (before it runs).
func decodeAccesses(code []byte, r regFile) ([]access, error) {
	inst, err := x86asm.Decode(code, 64)
	if err != nil {
		return nil, fmt.Errorf("decoding the faulting instruction: %w", err)
	}
	var out []access
	if a, ok := implicitAccess(inst, r); ok {
		out = append(out, a...)
		if isString(inst.Op) {
			return out, nil // its Args are the same rdi/rsi operands
		}
	}
	if noAccess[inst.Op] {
		return out, nil
	}
	for i, arg := range inst.Args {
		m, ok := arg.(x86asm.Mem)
		if !ok {
			continue
		}
		a := access{addr: effAddr(m, inst, r), size: inst.MemBytes}
		switch {
		case i > 0 || readOnly[inst.Op]:
			a.read = true
		case writeOnly[inst.Op]:
			a.write = true
		default:
			a.read, a.write = true, true
		}
		if a.size == 0 {
			a.size = 1
		}
		out = append(out, a)
	}
	return out, nil
}

// effAddr computes a memory operand's address.
func effAddr(m x86asm.Mem, inst x86asm.Inst, r regFile) uint64 {
	var a uint64
	if m.Base == x86asm.RIP {
		a = r.reg(x86asm.RIP) + uint64(inst.Len)
	} else if m.Base != 0 {
		a = regValue64(m.Base, r)
	}
	if m.Index != 0 {
		a += regValue64(m.Index, r) * uint64(m.Scale)
	}
	a += uint64(m.Disp)
	if m.Segment == x86asm.FS || m.Segment == x86asm.GS {
		a += r.segBase(m.Segment)
	}
	if inst.AddrSize == 32 {
		a &= 0xffffffff
	}
	return a
}

// regValue64 reads the 64-bit register holding a (possibly narrower)
// address register.
func regValue64(reg x86asm.Reg, r regFile) uint64 {
	switch {
	case reg >= x86asm.EAX && reg <= x86asm.R15L:
		return r.reg(reg-x86asm.EAX+x86asm.RAX) & 0xffffffff
	case reg >= x86asm.RAX && reg <= x86asm.R15:
		return r.reg(reg)
	}
	return 0
}

// implicitAccess covers the stack and string instructions, whose memory
// operands are not (all) in Args.
func implicitAccess(inst x86asm.Inst, r regFile) ([]access, bool) {
	sp := r.reg(x86asm.RSP)
	switch inst.Op {
	case x86asm.PUSH, x86asm.CALL, x86asm.PUSHF, x86asm.PUSHFQ:
		return []access{{addr: sp - 8, size: 8, write: true}}, true
	case x86asm.POP, x86asm.RET, x86asm.POPF, x86asm.POPFQ:
		return []access{{addr: sp, size: 8, read: true}}, true
	}
	elem := stringElem[inst.Op]
	if elem == 0 {
		return nil, false
	}
	n := uint64(1)
	for _, p := range inst.Prefix {
		if p&^x86asm.PrefixImplicit == x86asm.PrefixREP || p&^x86asm.PrefixImplicit == x86asm.PrefixREPN {
			n = r.reg(x86asm.RCX)
		}
	}
	size := int(min(n*uint64(elem), 1<<30))
	if size == 0 {
		return []access{}, true
	}
	// The direction flag is clear (Go and the C ABI keep it so): the
	// string goes up from rdi/rsi.
	di := access{addr: r.reg(x86asm.RDI), size: size}
	si := access{addr: r.reg(x86asm.RSI), size: size, read: true}
	switch inst.Op {
	case x86asm.STOSB, x86asm.STOSW, x86asm.STOSD, x86asm.STOSQ:
		di.write = true
		return []access{di}, true
	case x86asm.MOVSB, x86asm.MOVSW, x86asm.MOVSD, x86asm.MOVSQ:
		di.write = true
		return []access{si, di}, true
	case x86asm.LODSB, x86asm.LODSW, x86asm.LODSD, x86asm.LODSQ:
		return []access{si}, true
	case x86asm.CMPSB, x86asm.CMPSW, x86asm.CMPSD, x86asm.CMPSQ:
		di.read = true
		return []access{si, di}, true
	}
	di.read = true // SCAS
	return []access{di}, true
}

// stringElem is the element size of each string instruction.
var stringElem = map[x86asm.Op]int{
	x86asm.STOSB: 1, x86asm.STOSW: 2, x86asm.STOSD: 4, x86asm.STOSQ: 8,
	x86asm.MOVSB: 1, x86asm.MOVSW: 2, x86asm.MOVSD: 4, x86asm.MOVSQ: 8,
	x86asm.LODSB: 1, x86asm.LODSW: 2, x86asm.LODSD: 4, x86asm.LODSQ: 8,
	x86asm.CMPSB: 1, x86asm.CMPSW: 2, x86asm.CMPSD: 4, x86asm.CMPSQ: 8,
	x86asm.SCASB: 1, x86asm.SCASW: 2, x86asm.SCASD: 4, x86asm.SCASQ: 8,
}

func isString(op x86asm.Op) bool { return stringElem[op] != 0 }
