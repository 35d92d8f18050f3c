package ebpf

import (
	"strings"

	"golang.org/x/arch/x86/x86asm"

	"github.com/godbg/godbg/pkg/symbols"
)

// Return sites. A uprobe on a RET costs an out-of-line single step (the
// kernel emulates only JMP, CALL, Jcc, NOP and PUSH: ≈15 µs of #DB trap
// per return in this VM, against ≈0.4 µs for an emulated instruction).
// So when every call of a Go function is a direct CALL whose return
// address is followed, in straight-line code that touches neither the
// result registers nor RSP nor R14 and cannot fault, by an instruction
// the kernel emulates, the return probes go there, in the callers, one per call
// site: the results are still where the RET left them (registers, or
// memory at the callee's CFA, which is the caller's RSP after the RET).
// A function whose address is taken (a func value, a method table, a
// JMP to it) or whose call sites do not qualify keeps its RET probes.

// site is a probe in a caller: at PC in Func.
type site struct {
	Func *symbols.Func
	PC   uint64
}

// call is one direct call: instruction k of caller.
type call struct {
	caller *symbols.Func
	ins    []x86asm.Inst
	pcs    []uint64
	k      int
}

// directCalls lists the calls of the function at entry; ok is false if
// it may also be called otherwise (address taken, or a caller that is
// not Go code) or is never called directly.
func (x *codeIndex) directCalls(entry uint64) (out []call, ok bool) {
	if x == nil || x.taken[entry] || len(x.calls[entry]) == 0 {
		return nil, false
	}
	if fn := x.tab.PCToFunc(entry); fn == nil || !isGoSource(fn) || isRuntime(fn) {
		return nil, false
	}
	for _, pc := range x.calls[entry] {
		caller := x.tab.PCToFunc(pc)
		if caller == nil || !isGoSource(caller) || isRuntime(caller) {
			return nil, false // assembly or C: R14 may not be the goroutine
		}
		ins, pcs := x.code(caller)
		k := indexOf(pcs, pc)
		if k < 0 {
			continue // not an instruction: bytes that look like a CALL
		}
		if ins[k].Op != x86asm.CALL || ins[k].Len != 5 {
			return nil, false
		}
		out = append(out, call{caller, ins, pcs, k})
	}
	return out, len(out) > 0
}

// returnSites gives the return probes of the function at entry, whose
// results are in the DWARF registers keep at its RETs; ok is false if
// the function must keep its RET probes.
func (x *codeIndex) returnSites(entry uint64, keep map[int]bool) (out []site, ok bool) {
	calls, ok := x.directCalls(entry)
	if !ok {
		return nil, false
	}
	for _, c := range calls {
		pc, ok := x.siteAfter(c.ins, c.pcs, c.k+1, keep)
		if !ok {
			return nil, false
		}
		out = append(out, site{c.caller, pc})
	}
	return out, true
}

// callSites gives the CALL instructions of every call of the function at
// entry (the kernel emulates CALL): entry probes for a function whose
// own first instructions are single-stepped (a leaf without a frame).
func (x *codeIndex) callSites(entry uint64) (out []site, ok bool) {
	calls, ok := x.directCalls(entry)
	for _, c := range calls {
		out = append(out, site{c.caller, c.pcs[c.k]})
	}
	return out, ok
}

// emulatedAt reports whether the kernel emulates the instruction at pc.
func (x *codeIndex) emulatedAt(pc uint64) bool {
	if x == nil || pc < x.base || pc >= x.base+uint64(len(x.text)) {
		return false
	}
	in, err := x86asm.Decode(x.text[pc-x.base:], 64)
	return err == nil && emulated(in)
}

func isGoSource(fn *symbols.Func) bool { return strings.HasSuffix(fn.File, ".go") }

// isRuntime reports whether fn is the runtime's, whose control flow
// (goroutine switches, resumed contexts) is not plain calls and returns.
func isRuntime(fn *symbols.Func) bool {
	return strings.HasPrefix(fn.Name, "runtime.") || strings.HasPrefix(fn.Name, "runtime/") ||
		strings.HasPrefix(fn.Name, "internal/runtime/")
}

func indexOf(pcs []uint64, pc uint64) int {
	lo, hi := 0, len(pcs)
	for lo < hi {
		m := (lo + hi) / 2
		if pcs[m] < pc {
			lo = m + 1
		} else {
			hi = m
		}
	}
	if lo < len(pcs) && pcs[lo] == pc {
		return lo
	}
	return -1
}

// siteAfter walks from instruction k (the return address) to the first
// instruction the kernel emulates. The walk fails on anything but plain
// moves and arithmetic, on a memory access that may fault (other than
// through RSP, RBP or RIP), on a write to a kept register, RSP or R14 (the
// goroutine), and on an instruction some branch of the caller reaches
// (then the probe would see paths that are not this return), and it
// fails at the call of runtime.deferreturn, where a recovered panic
// resumes the caller.
func (x *codeIndex) siteAfter(ins []x86asm.Inst, pcs []uint64, k int, keep map[int]bool) (uint64, bool) {
	targets := map[uint64]bool{}
	for i, in := range ins {
		switch {
		case in.Op == x86asm.JMP || isJcc(in.Op) || in.Op == x86asm.JRCXZ || in.Op == x86asm.JECXZ ||
			in.Op == x86asm.LOOP || in.Op == x86asm.LOOPE || in.Op == x86asm.LOOPNE:
			r, ok := in.Args[0].(x86asm.Rel)
			if !ok {
				return 0, false // a jump table: any instruction may be a target
			}
			targets[uint64(int64(pcs[i])+int64(in.Len)+int64(r))] = true
		}
	}
	for i := k; i < len(ins); i++ {
		if targets[pcs[i]] {
			return 0, false
		}
		if emulated(ins[i]) {
			if r, ok := ins[i].Args[0].(x86asm.Rel); ok && ins[i].Op == x86asm.CALL &&
				uint64(int64(pcs[i])+int64(ins[i].Len)+int64(r)) == x.resume {
				return 0, false
			}
			return pcs[i], true
		}
		if !plain(ins[i]) || mayFault(ins[i]) {
			return 0, false
		}
		if r, ok := ins[i].Args[0].(x86asm.Reg); ok && ins[i].Op != x86asm.CMP && ins[i].Op != x86asm.TEST && ins[i].Op != x86asm.NOP {
			if d := dwarfReg(r); d == regSP || d == 14 || keep[d] {
				return 0, false
			}
		}
	}
	return 0, false
}
