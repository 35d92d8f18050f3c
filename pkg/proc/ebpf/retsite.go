package ebpf

import (
	"debug/elf"
	"encoding/binary"
	"strings"

	"golang.org/x/arch/x86/x86asm"

	"github.com/godbg/godbg/pkg/symbols"
)

// Return sites. A uprobe on a RET costs an out-of-line single step (the
// kernel emulates only JMP, CALL, Jcc, NOP and PUSH: ≈15 µs of #DB trap
// per return in this VM, against ≈0.4 µs for an emulated instruction).
// So when every call of a Go function is a direct CALL whose return
// address is followed, in straight-line code that touches neither the
// result registers nor RSP nor R14, by an instruction the kernel
// emulates, the return probes go there, in the callers, one per call
// site: the results are still where the RET left them (registers, or
// memory at the callee's CFA, which is the caller's RSP after the RET).
// A function whose address is taken (a func value, a method table, a
// JMP to it) or whose call sites do not qualify keeps its RET probes.

// codeIndex holds the executable's text and what refers to the wanted
// functions' entries.
type codeIndex struct {
	tab   *symbols.Table
	text  []byte
	base  uint64
	calls map[uint64][]uint64 // entry -> addresses of candidate CALL rel32
	taken map[uint64]bool     // entry -> referred to otherwise
	insts map[*symbols.Func][]x86asm.Inst
	pcs   map[*symbols.Func][]uint64
	// resume is runtime.deferreturn's entry: a recovered panic resumes
	// its function at the call of it, as if a call had returned there.
	resume uint64
}

// newCodeIndex scans the text for CALL, JMP, Jcc and LEA referring to
// the entries and the data for 8-byte addresses and 4-byte text offsets
// of them (nil if the executable has no .text).
func newCodeIndex(tab *symbols.Table, entries []uint64) *codeIndex {
	f := tab.ELF()
	text := f.Section(".text")
	if text == nil || text.Type == elf.SHT_NOBITS {
		return nil
	}
	b, err := text.Data()
	if err != nil {
		return nil
	}
	x := &codeIndex{tab: tab, text: b, base: text.Addr, calls: map[uint64][]uint64{}, taken: map[uint64]bool{},
		insts: map[*symbols.Func][]x86asm.Inst{}, pcs: map[*symbols.Func][]uint64{}}
	if fn, err := tab.LookupFunc("runtime.deferreturn"); err == nil {
		x.resume = fn.Entry
	}
	want := map[uint64]bool{}
	for _, e := range entries {
		want[e] = true
	}
	rel := func(i, n int) uint64 { // target of a rel32 ending at i+n
		return uint64(int64(x.base) + int64(i+n) + int64(int32(binary.LittleEndian.Uint32(b[i+n-4:]))))
	}
	for i := 0; i+5 <= len(b); i++ {
		switch {
		case b[i] == 0xe8 && want[rel(i, 5)]:
			x.calls[rel(i, 5)] = append(x.calls[rel(i, 5)], x.base+uint64(i))
		case b[i] == 0xe9 && want[rel(i, 5)]:
			x.taken[rel(i, 5)] = true // a tail call: returns elsewhere
		case i+6 <= len(b) && b[i] == 0x0f && b[i+1]&0xf0 == 0x80 && want[rel(i, 6)]:
			x.taken[rel(i, 6)] = true
		case i+7 <= len(b) && b[i]&0xf0 == 0x40 && b[i+1] == 0x8d && b[i+2]&0xc7 == 0x05 && want[rel(i, 7)]:
			x.taken[rel(i, 7)] = true // LEA of the entry: a func value
		}
	}
	// Text offsets (method tables, whence itabs built at run time) are
	// relative to runtime.text.
	start := x.base
	if syms, err := f.Symbols(); err == nil {
		for _, s := range syms {
			if s.Name == "runtime.text" {
				start = s.Value
				break
			}
		}
	}
	off32 := map[uint32]uint64{}
	lo, hi := ^uint64(0), uint64(0)
	for e := range want {
		off32[uint32(e-start)] = e
		lo, hi = min(lo, e), max(hi, e)
	}
	for _, s := range f.Sections {
		if s.Flags&elf.SHF_ALLOC == 0 || s.Flags&elf.SHF_EXECINSTR != 0 || s.Type == elf.SHT_NOBITS || s.Name == ".gopclntab" {
			continue
		}
		d, err := s.Data()
		if err != nil {
			continue
		}
		for i := 0; i+4 <= len(d); i += 4 {
			if v := uint64(binary.LittleEndian.Uint32(d[i:])); v >= lo-start && v <= hi-start {
				if e, ok := off32[uint32(v)]; ok {
					x.taken[e] = true
				}
			}
			if i+8 > len(d) {
				continue
			}
			if v := binary.LittleEndian.Uint64(d[i:]); v >= lo && v <= hi && want[v] {
				x.taken[v] = true
			}
		}
	}
	return x
}

// code decodes fn (cached): its instructions and their addresses; nil
// if some bytes do not decode.
func (x *codeIndex) code(fn *symbols.Func) ([]x86asm.Inst, []uint64) {
	if in, ok := x.insts[fn]; ok {
		return in, x.pcs[fn]
	}
	var ins []x86asm.Inst
	var pcs []uint64
	if fn.Entry >= x.base && fn.End <= x.base+uint64(len(x.text)) {
		code := x.text[fn.Entry-x.base : fn.End-x.base]
		for off := 0; off < len(code); {
			in, err := x86asm.Decode(code[off:], 64)
			if err != nil || in.Len == 0 {
				if isPadding(code[off:]) {
					break
				}
				ins, pcs = nil, nil
				break
			}
			ins, pcs = append(ins, in), append(pcs, fn.Entry+uint64(off))
			off += in.Len
		}
	}
	x.insts[fn], x.pcs[fn] = ins, pcs
	return ins, pcs
}

// isPadding reports whether the rest of a function is INT3 padding.
func isPadding(b []byte) bool {
	for _, c := range b {
		if c != 0xcc {
			return false
		}
	}
	return true
}

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
// moves and arithmetic, on a write to a kept register, RSP or R14 (the
// goroutine), and on an instruction some branch of the caller reaches
// (then the probe would see paths that are not this return), and it
// fails at the call of runtime.deferreturn, where a recovered panic
// resumes the caller.
func (x *codeIndex) siteAfter(ins []x86asm.Inst, pcs []uint64, k int, keep map[int]bool) (uint64, bool) {
	targets := map[uint64]bool{}
	for i, in := range ins {
		switch {
		case in.Op == x86asm.JMP || isJcc(in.Op):
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
