package target

import (
	"slices"

	"github.com/godbg/godbg/pkg/symbols"
)

// next and stepout know inlined calls (Delve's TestInline*): next stays at
// the inlining level it starts at, so an inlined body is stepped over, and
// leaving an inlined body (next at its end, stepout) stops at the first
// instruction after it, in the function it was inlined into.

// inlineChain lists the inlined calls (indexes into calls) covering a
// link-time pc, outermost first.
func inlineChain(calls []InlinedCall, pc uint64) []int {
	var ch []int
	for i := range calls {
		if calls[i].Covers(pc) {
			ch = append(ch, i)
		}
	}
	slices.SortFunc(ch, func(a, b int) int { return calls[a].Depth - calls[b].Depth })
	return ch
}

// returnIndex is the index of the frame the physical function of
// frames[0] returns to (inlined frames share their physical frame's pc).
func returnIndex(frames []Frame) int {
	i := 0
	for i < len(frames) && frames[i].Inlined {
		i++
	}
	return i + 1
}

// planInlined plans next in a function with inlined calls: the line starts
// at the current inlining level and, inside an inlined body, the ends of
// that body. It reports false when fn has nothing inlined.
func (s *Stepper) planInlined(fn *symbols.Func, code []symbols.Inst, pc uint64) bool {
	calls := InlinedCalls(s.tab, fn)
	if len(calls) == 0 {
		return false
	}
	cur := inlineChain(calls, pc)
	first := s.tab.FirstStmtPC(fn)
	prevFile, prevLine := "", -1
	for _, in := range code {
		if in.PC < first || !slices.Equal(inlineChain(calls, in.PC), cur) {
			continue
		}
		if in.Line != prevLine || in.File != prevFile {
			if in.Line > 0 {
				s.set(in.PC+s.bias, stepLine, s.cfa)
			}
			prevFile, prevLine = in.File, in.Line
		}
	}
	if len(cur) > 0 {
		s.planInlineExit(fn, &calls[cur[len(cur)-1]])
	}
	return true
}

// planInlineExit plants the first instructions after an inlined body.
func (s *Stepper) planInlineExit(fn *symbols.Func, c *InlinedCall) {
	for _, r := range c.Ranges {
		if r[1] >= fn.Entry && r[1] < fn.End && !c.Covers(r[1]) {
			s.set(r[1]+s.bias, stepLine, s.cfa)
		}
	}
}

// stepOutInlined plans stepout from an inlined frame: to the end of its
// body. It reports false when frame 0 is not inlined.
func (s *Stepper) stepOutInlined(frames []Frame) bool {
	if len(frames) == 0 || !frames[0].Inlined {
		return false
	}
	fn, _, err := s.frameFunc(&frames[0])
	if err != nil {
		return false
	}
	calls := InlinedCalls(s.tab, fn)
	cur := inlineChain(calls, frames[0].PC-s.bias)
	if len(cur) == 0 {
		return false
	}
	s.planInlineExit(fn, &calls[cur[len(cur)-1]])
	return true
}
