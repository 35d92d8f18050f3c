package symbols

import "golang.org/x/arch/x86/x86asm"

// Inst is one instruction of a function with its source position, as
// stepping needs it.
type Inst struct {
	PC   uint64 // link-time address
	Len  int
	File string
	Line int
	// Call marks a CALL; Ret a RET. Target is a direct call's target
	// (link-time), 0 for an indirect one.
	Call, Ret bool
	Target    uint64
}

// FuncCode decodes fn and gives each instruction its source line.
// Undecodable bytes end the listing. The result is cached (every next and
// step asks again; issue 12) and shared: callers must not modify it. Safe
// for concurrent use.
func (t *Table) FuncCode(fn *Func) []Inst {
	t.codeMu.Lock()
	c, ok := t.code[fn]
	t.codeMu.Unlock()
	if ok {
		return c
	}
	c = t.decodeFunc(fn)
	t.codeMu.Lock()
	if t.code == nil || len(t.code) >= maxCachedCode {
		t.code = map[*Func][]Inst{}
	}
	t.code[fn] = c
	t.codeMu.Unlock()
	return c
}

// maxCachedCode bounds FuncCode's cache (a trace following calls decodes
// many functions once).
const maxCachedCode = 4096

// CodeCached reports whether FuncCode has fn's code at hand.
func (t *Table) CodeCached(fn *Func) bool {
	t.codeMu.Lock()
	defer t.codeMu.Unlock()
	_, ok := t.code[fn]
	return ok
}

func (t *Table) decodeFunc(fn *Func) []Inst {
	var out []Inst
	t.instructions(fn, maxFuncRead, func(pc uint64, inst x86asm.Inst, ok bool) bool {
		if !ok {
			return false
		}
		file, line, _ := t.PCToLine(pc)
		in := Inst{PC: pc, Len: inst.Len, File: file, Line: line}
		switch inst.Op {
		case x86asm.CALL:
			in.Call = true
			if rel, ok := inst.Args[0].(x86asm.Rel); ok {
				in.Target = uint64(int64(pc) + int64(inst.Len) + int64(rel))
			}
		case x86asm.RET:
			in.Ret = true
		}
		out = append(out, in)
		return true
	})
	return out
}

// LineStarts returns the instructions of code (from FuncCode) where a new
// source line begins at or after from: the places a step may stop.
func LineStarts(code []Inst, from uint64) []Inst {
	var out []Inst
	prevFile, prevLine := "", -1
	for _, in := range code {
		if in.Line != prevLine || in.File != prevFile {
			if in.PC >= from && in.Line > 0 {
				out = append(out, in)
			}
			prevFile, prevLine = in.File, in.Line
		}
	}
	return out
}
