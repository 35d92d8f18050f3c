package ebpf

import (
	"debug/elf"
	"encoding/binary"

	"golang.org/x/arch/x86/x86asm"

	"github.com/godbg/godbg/pkg/symbols"
)

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
	start, found := uint64(0), false
	if syms, err := f.Symbols(); err == nil {
		for _, s := range syms {
			if s.Name == "runtime.text" {
				start, found = s.Value, true
				break
			}
		}
	}
	if !found {
		return nil // text offsets unknown: no function is known to be called only directly
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
