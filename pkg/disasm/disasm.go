package disasm

import (
	"fmt"
	"strings"

	"golang.org/x/arch/x86/x86asm"
)

// Syntax selects an assembler dialect.
type Syntax int

const (
	GoSyntax    Syntax = iota // Plan 9, as go tool objdump prints
	GNUSyntax                 // AT&T, as objdump and gdb print
	IntelSyntax               // Intel, as objdump -M intel prints
)

var syntaxNames = [...]string{"go", "gnu", "intel"}

func (s Syntax) String() string {
	if s >= 0 && int(s) < len(syntaxNames) {
		return syntaxNames[s]
	}
	return fmt.Sprintf("Syntax(%d)", int(s))
}

// ParseSyntax maps "go", "gnu" (or "att") and "intel" to a Syntax.
func ParseSyntax(name string) (Syntax, error) {
	switch strings.ToLower(name) {
	case "go", "plan9":
		return GoSyntax, nil
	case "gnu", "att":
		return GNUSyntax, nil
	case "intel":
		return IntelSyntax, nil
	}
	return 0, fmt.Errorf("unknown syntax %q; use go, gnu or intel", name)
}

// SymLookup names the symbol holding addr and returns its start address;
// "" when no symbol holds it. It has the shape of x86asm.SymLookup.
type SymLookup func(addr uint64) (name string, base uint64)

// Inst is one decoded instruction, or one byte that does not decode.
type Inst struct {
	Addr  uint64
	Bytes []byte // shares the code slice given to Decode
	Text  string // "?" for bytes that do not decode
	Valid bool   // false: Bytes is one undecodable byte
	// Target is the destination of a relative call or jump, 0 if none.
	Target uint64
}

// Decode decodes code, which starts at addr, into instructions. Bytes that
// do not decode become one-byte instructions with Valid false and Text
// "?", so decoding always reaches the end of code. A relative target
// that is not the start of a symbol is shown as "0xADDR <sym+0xOFF>".
// lookup may be nil.
func Decode(code []byte, addr uint64, syntax Syntax, lookup SymLookup) []Inst {
	if lookup == nil {
		lookup = func(uint64) (string, uint64) { return "", 0 }
	}
	var out []Inst
	for off := 0; off < len(code); {
		pc := addr + uint64(off)
		inst, err := x86asm.Decode(code[off:], 64)
		if err != nil || inst.Len == 0 || inst.Op == 0 { // Op 0: truncated
			out = append(out, Inst{Addr: pc, Bytes: code[off : off+1], Text: "?"})
			off++
			continue
		}
		out = append(out, format(inst, pc, code[off:off+inst.Len], syntax, lookup))
		off += inst.Len
	}
	return out
}

func format(inst x86asm.Inst, pc uint64, b []byte, syntax Syntax, lookup SymLookup) Inst {
	sym := x86asm.SymLookup(lookup)
	var text string
	switch syntax {
	case GNUSyntax:
		text = x86asm.GNUSyntax(inst, pc, sym)
	case IntelSyntax:
		text = x86asm.IntelSyntax(inst, pc, sym)
	default:
		text = x86asm.GoSyntax(inst, pc, sym)
	}
	out := Inst{Addr: pc, Bytes: b, Text: text, Valid: true}
	for _, a := range inst.Args {
		rel, ok := a.(x86asm.Rel)
		if !ok {
			continue
		}
		out.Target = pc + uint64(inst.Len) + uint64(int64(rel))
		if name, base := lookup(out.Target); name != "" && base != out.Target && base < out.Target {
			out.Text += fmt.Sprintf(" <%s+%#x>", name, out.Target-base)
		}
		break
	}
	return out
}
