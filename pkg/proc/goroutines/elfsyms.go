package goroutines

import "debug/elf"

// elfSymbols reads .symtab once, on the first lookup, keeping only the
// runtime symbols this package may need.
type elfSymbols struct {
	f      *elf.File
	loaded bool
	byName map[string]elf.Symbol
}

var wantSyms = map[string]bool{
	"runtime.allgs": true, "runtime.allglen": true, "runtime.allgptr": true, "runtime.allm": true,
	"runtime.waitReasonStrings": true, "runtime.tlsg": true,
}

func newSymbols(f *elf.File) *elfSymbols { return &elfSymbols{f: f} }

func (s *elfSymbols) lookup(name string) (elf.Symbol, bool) {
	if !s.loaded {
		s.loaded = true
		s.byName = map[string]elf.Symbol{}
		syms, _ := s.f.Symbols() // none (stripped) is not an error here
		for _, sym := range syms {
			if wantSyms[sym.Name] {
				s.byName[sym.Name] = sym
			}
		}
	}
	sym, ok := s.byName[name]
	return sym, ok
}

// tlsOffset returns where, relative to fs_base, Go code finds its g. A
// Go-linked executable has no TLS segment and uses -8(FS). An externally
// linked one (cgo) has the linker place the TLS symbol runtime.tlsg in
// the executable's TLS block; on amd64 (TLS variant II) that block ends
// at the thread pointer, its start aligned like the segment's address.
func tlsOffset(f *elf.File, syms *elfSymbols) int64 {
	var tls *elf.Prog
	for _, p := range f.Progs {
		if p.Type == elf.PT_TLS {
			tls = p
			break
		}
	}
	if tls == nil {
		return -8
	}
	sym, ok := syms.lookup("runtime.tlsg")
	if !ok || elf.ST_TYPE(sym.Info) != elf.STT_TLS {
		return -8
	}
	align := tls.Align
	if align == 0 || align&(align-1) != 0 {
		align = 1
	}
	block := tls.Memsz + (-(tls.Vaddr + tls.Memsz) & (align - 1))
	return int64(sym.Value) - int64(block)
}
