package stack

import (
	"bytes"
	"encoding/binary"
)

// The signal frame the Linux kernel pushes on amd64 (struct rt_sigframe,
// arch/x86/include/asm/sigframe.h) is the handler's return address (the
// sa_restorer trampoline), then a struct ucontext, then the siginfo. When
// the handler returns into the trampoline, the stack pointer therefore
// points at the ucontext:
//
//	ucontext: uc_flags 8, uc_link 8, uc_stack (stack_t) 24, uc_mcontext
//
// and uc_mcontext (struct sigcontext, glibc's gregset_t) starts at byte 40
// with r8–r15, rdi, rsi, rbp, rbx, rdx, rax, rcx, rsp, rip, each 8 bytes
// (REG_R8 = 0 … REG_RIP = 16 in <sys/ucontext.h>).
const (
	ucMcontext = 40
	numGregs   = 17
)

// gregDWARF maps gregset_t indexes to DWARF register numbers.
var gregDWARF = [numGregs]int{
	RegR8, RegR8 + 1, RegR8 + 2, RegR8 + 3, RegR12, RegR13, RegR14, RegR15,
	RegRDI, RegRSI, RegRBP, RegRBX, RegRDX, RegRAX, RegRCX, RegRSP, RegRIP,
}

// sigcontext reads the registers a signal interrupted from the ucontext
// at uc (the stack pointer inside the return trampoline).
func (w *walker) sigcontext(uc uint64) (Regs, error) {
	var b [numGregs * 8]byte
	if err := w.mem.read(uc+ucMcontext, b[:]); err != nil {
		return Regs{}, err
	}
	var r Regs
	for i, n := range gregDWARF {
		r.Set(n, binary.LittleEndian.Uint64(b[8*i:]))
	}
	return r, nil
}

// Signal-return trampolines, recognised by their code when their symbol
// is not known (a shared C library without an image): glibc's and musl's
// __restore_rt is "mov $15, %rax; syscall" (rt_sigreturn is system call
// 15 on amd64); some assemblers use the 32-bit move.
var (
	sigreturnCode   = []byte{0x48, 0xc7, 0xc0, 0x0f, 0x00, 0x00, 0x00, 0x0f, 0x05}
	sigreturnCode32 = []byte{0xb8, 0x0f, 0x00, 0x00, 0x00, 0x0f, 0x05}
)

// isSigtramp reports whether the run-time pc is in a signal-return
// trampoline: by name in a known image, by its code otherwise.
func (w *walker) isSigtramp(pc uint64) bool {
	var code [9]byte
	if l := w.find(pc); l != nil {
		class, fn := l.im.classify(pc - l.bias)
		if class == classSigtramp || fn != nil && l.im.isGo {
			return class == classSigtramp
		}
		if !l.im.readCode(pc-l.bias, code[:]) {
			return false
		}
	} else if w.mem.read(pc, code[:]) != nil {
		return false
	}
	return bytes.Equal(code[:], sigreturnCode) || bytes.Equal(code[:7], sigreturnCode32)
}
