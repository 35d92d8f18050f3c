package disasm

import (
	"debug/elf"
	"encoding/binary"
	"sort"

	"golang.org/x/arch/x86/x86asm"
)

// Symbol is a named range of code.
type Symbol struct {
	Name       string
	Addr, Size uint64
}

// PLTSymbols names the procedure linkage table stubs of a dynamically
// linked executable ("strcmp@plt"), which have no symbols of their own: each
// stub jumps through a GOT slot, and the slot's relocation names the
// function. Addresses are link-time; the result is sorted by Addr. It
// returns nil for a file without a PLT.
func PLTSymbols(f *elf.File) []Symbol {
	slots := gotSlotNames(f)
	if len(slots) == 0 {
		return nil
	}
	var out []Symbol
	for _, name := range []string{".plt", ".plt.sec", ".plt.got"} {
		s := f.Section(name)
		if s == nil || s.Type == elf.SHT_NOBITS {
			continue
		}
		code, err := s.Data()
		if err != nil {
			continue
		}
		entry := max(s.Entsize, 8)
		for off := 0; off < len(code); {
			inst, err := x86asm.Decode(code[off:], 64)
			if err != nil || inst.Len == 0 {
				off++
				continue
			}
			pc := s.Addr + uint64(off)
			off += inst.Len
			if slot, ok := ripJump(inst, pc); ok && slots[slot] != "" {
				start := s.Addr + (pc-s.Addr)/entry*entry
				out = append(out, Symbol{Name: slots[slot] + "@plt", Addr: start, Size: entry})
			}
		}
	}
	sort.Slice(out, func(i, j int) bool { return out[i].Addr < out[j].Addr })
	return out
}

// ripJump returns the memory slot of "jmp *disp(%rip)".
func ripJump(inst x86asm.Inst, pc uint64) (uint64, bool) {
	if inst.Op != x86asm.JMP {
		return 0, false
	}
	m, ok := inst.Args[0].(x86asm.Mem)
	if !ok || m.Base != x86asm.RIP || m.Index != 0 {
		return 0, false
	}
	return pc + uint64(inst.Len) + uint64(m.Disp), true
}

// gotSlotNames maps GOT slots to the dynamic symbols their JUMP_SLOT or
// GLOB_DAT relocations name.
func gotSlotNames(f *elf.File) map[uint64]string {
	syms, err := f.DynamicSymbols()
	if err != nil {
		return nil
	}
	names := map[uint64]string{}
	for _, s := range f.Sections {
		if s.Type != elf.SHT_RELA {
			continue
		}
		data, err := s.Data()
		if err != nil {
			continue
		}
		for ; len(data) >= 24; data = data[24:] {
			off := binary.LittleEndian.Uint64(data)
			info := binary.LittleEndian.Uint64(data[8:])
			typ, sym := elf.R_X86_64(info&0xffffffff), info>>32
			if (typ == elf.R_X86_64_JMP_SLOT || typ == elf.R_X86_64_GLOB_DAT) && sym >= 1 && sym <= uint64(len(syms)) {
				names[off] = syms[sym-1].Name
			}
		}
	}
	return names
}
