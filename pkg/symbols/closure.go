package symbols

import "golang.org/x/arch/x86/x86asm"

// ClosureLoads returns the offsets, ascending and without repeats, at
// which fn reads its closure context (RDX on amd64) before its first call:
// the captured variables of a closure such as the deferwrap the compiler
// makes for `defer f(x+1)` (its captured slots hold the evaluated
// arguments; constant arguments are not captured).
func (t *Table) ClosureLoads(fn *Func) []int64 {
	seen := map[int64]bool{}
	var out []int64
	t.instructions(fn, maxFuncRead, func(_ uint64, inst x86asm.Inst, ok bool) bool {
		if !ok || inst.Op == x86asm.CALL || inst.Op == x86asm.RET {
			return false
		}
		for _, a := range inst.Args {
			if m, isMem := a.(x86asm.Mem); isMem && m.Base == x86asm.RDX && m.Index == 0 && inst.Op != x86asm.LEA {
				if !seen[m.Disp] && m.Disp > 0 {
					seen[m.Disp] = true
					out = append(out, m.Disp)
				}
			}
		}
		return true
	})
	for i := 1; i < len(out); i++ { // insertion sort: a handful of slots
		for j := i; j > 0 && out[j] < out[j-1]; j-- {
			out[j], out[j-1] = out[j-1], out[j]
		}
	}
	return out
}
