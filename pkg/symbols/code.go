package symbols

import (
	"debug/elf"
	"sort"

	"golang.org/x/arch/x86/x86asm"
)

// maxFuncRead bounds how many bytes of one function are read for decoding.
const maxFuncRead = 1 << 20

// readCode returns the bytes of [addr, addr+n) from the executable section
// holding addr, truncated at its end; nil if no section holds addr.
func (t *Table) readCode(addr, n uint64) []byte {
	for _, s := range t.f.Sections {
		if s.Flags&elf.SHF_EXECINSTR == 0 || s.Type == elf.SHT_NOBITS || addr < s.Addr || addr >= s.Addr+s.Size {
			continue
		}
		n = min(n, s.Addr+s.Size-addr, maxFuncRead)
		buf := make([]byte, n)
		if _, err := s.ReadAt(buf, int64(addr-s.Addr)); err != nil {
			return nil
		}
		return buf
	}
	return nil
}

// instructions calls yield with the address and decoded form of each
// instruction of fn until yield returns false. Undecodable bytes are
// skipped one at a time and reported with ok false.
func (t *Table) instructions(fn *Func, limit uint64, yield func(pc uint64, inst x86asm.Inst, ok bool) bool) {
	code := t.readCode(fn.Entry, min(fn.End-fn.Entry, limit))
	for off := 0; off < len(code); {
		inst, err := x86asm.Decode(code[off:], 64)
		if err != nil || inst.Len == 0 {
			if !yield(fn.Entry+uint64(off), inst, false) {
				return
			}
			off++
			continue
		}
		if !yield(fn.Entry+uint64(off), inst, true) {
			return
		}
		off += inst.Len
	}
}

// pclnFileLines builds the line → pcs map of a file from .gopclntab, for
// Go binaries without DWARF: the address of each instruction where the
// position changes to a line of path, in the functions declared in path.
func (t *Table) pclnFileLines(path string) map[int][]stmtRow {
	lines := map[int][]stmtRow{}
	for _, fn := range t.funcs {
		if fn.File != path {
			continue
		}
		prev := -1
		t.instructions(fn, maxFuncRead, func(pc uint64, _ x86asm.Inst, _ bool) bool {
			file, line := t.pclnLine(pc)
			if file == path && line != prev && line > 0 {
				lines[line] = append(lines[line], stmtRow{pc: pc, stmt: true, runStart: true, firstStmt: true})
			}
			if file != path {
				line = -1
			}
			prev = line
			return true
		})
	}
	return lines
}

// FirstStmtPC returns the address where a breakpoint on fn should go, past
// the prologue.
//
// For Go it skips the stack-bound check (CMP against g.stackguard0 at
// 16(R14) and its JBE to morestack, with any LEA/MOV/SUB computing the
// bound) and the frame-pointer setup (PUSH RBP; MOV RBP, RSP). This is the
// pc the Go compiler marks with DW_LNS_set_prologue_end and is an is_stmt
// row on the func line; it needs no DWARF, so it works for stripped
// binaries too. For other programs it is the address of the function's
// next statement row after Entry (gcc -O0 starts the body there; gdb
// skips rows not marked is_stmt), or Entry when there is none (a one-line
// -O2 function: the next row may be its RET). When the rows at Entry already name
// several lines (optimised code, gcc -O2: the body starts at once, the
// line changes without the address moving), there is no prologue and it
// is Entry, as gdb has it: the next row may well be inside a loop, where
// a breakpoint meant for the call would be hit at every iteration.
func (t *Table) FirstStmtPC(fn *Func) uint64 {
	if fn == nil {
		return 0
	}
	t.mu.Lock()
	defer t.mu.Unlock()
	// Every next and step asks for it (issue 12); the Go answer decodes
	// the prologue.
	if pc, ok := t.firstStmt[fn]; ok {
		return pc
	}
	pc := t.firstStmtPCLocked(fn)
	if t.firstStmt == nil {
		t.firstStmt = map[*Func]uint64{}
	}
	t.firstStmt[fn] = pc
	return pc
}

// firstStmtPCLocked is FirstStmtPC with t.mu held (for Go programs).
// A Go function without a prologue (optimised code, no stack check, no
// frame) starts at its first is_stmt row, where its body begins (Delve's
// FirstPCAfterPrologue): the entry's own row may name a later line.
func (t *Table) firstStmtPCLocked(fn *Func) uint64 {
	if t.isGo && !fn.C {
		if pc := t.goPrologueEnd(fn); pc != fn.Entry || !t.hasDWARF || fn.File == "" {
			return pc
		}
		return t.firstStmtRowLocked(fn)
	}
	rows := t.linesFor(fn).rows
	i := sort.Search(len(rows), func(i int) bool { return rows[i].pc > fn.Entry })
	if t.noPrologue(fn, i) {
		return fn.Entry
	}
	for ; i < len(rows) && rows[i].pc < fn.End && rows[i].file != endSeq; i++ {
		if rows[i].stmt {
			return rows[i].pc
		}
	}
	return fn.Entry
}

// noPrologue reports whether the rows at fn.Entry (those before index
// end) name more than one line.
func (t *Table) noPrologue(fn *Func, end int) bool {
	rows := t.linesFor(fn).rows
	var first lineRow
	for j := end - 1; j >= 0 && rows[j].pc == fn.Entry; j-- {
		switch r := rows[j]; {
		case r.file == endSeq:
		case first.line == 0:
			first = r
		case r.line != first.line || r.file != first.file:
			return true
		}
	}
	return false
}

// goPrologueEnd decodes at most the first few instructions of fn.
func (t *Table) goPrologueEnd(fn *Func) uint64 {
	const maxPrologue = 8 // instructions
	end, n, sawCheck := fn.Entry, 0, false
	t.instructions(fn, 64, func(pc uint64, inst x86asm.Inst, ok bool) bool {
		n++
		next := pc + uint64(inst.Len)
		switch {
		case !ok || n > maxPrologue:
			return false
		case isStackGuardCmp(inst):
			sawCheck = true
		case sawCheck && (inst.Op == x86asm.JBE || inst.Op == x86asm.JB):
			end = next // Delve's prologue end: the frame's setup is on the declaration line
			return false
		case inst.Op == x86asm.PUSH && inst.Args[0] == x86asm.RBP:
			end = next
		case inst.Op == x86asm.MOV && inst.Args[0] == x86asm.RBP && inst.Args[1] == x86asm.RSP:
			end = next
			return false
		case !sawCheck && inst.Args[0] == x86asm.R12:
			// LEA/MOV/SUB computing the bound of a large frame.
		default:
			return false
		}
		return true
	})
	return end
}

// isStackGuardCmp matches CMP reg, [R14+16]: a comparison with the
// goroutine's stackguard0 (R14 holds g on amd64).
func isStackGuardCmp(inst x86asm.Inst) bool {
	if inst.Op != x86asm.CMP {
		return false
	}
	for _, a := range inst.Args {
		if m, ok := a.(x86asm.Mem); ok && m.Base == x86asm.R14 && m.Disp == 16 {
			return true
		}
	}
	return false
}
