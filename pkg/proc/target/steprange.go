package target

import (
	"strings"

	"github.com/godbg/godbg/pkg/proc"
	"github.com/godbg/godbg/pkg/symbols"
)

// Range-over-func loops (Go 1.23 iterators) compile the loop body into
// closures (F-range1, F-range1-range2, ...) that the iterator calls. As in
// Delve, next and stepout treat F and its bodies as one frame, F's (the
// anchor): the line starts of F and of every body stop the step when F's
// frame is the one found first on the stack below the hit; stepout leaves
// F.

// maxAnchorDepth bounds the frames searched for the anchor at a hit.
const maxAnchorDepth = 64

// rangeParent strips the body suffixes of a range-over-func closure's name
// ("main.F-range1-range2" → "main.F"); other names are returned as is.
func rangeParent(name string) string {
	for i := strings.Index(name, "-range"); i >= 0; i = strings.Index(name, "-range") {
		j := i + len("-range")
		if j < len(name) && name[j] >= '0' && name[j] <= '9' {
			return name[:i]
		}
		name = name[:i] + "\x00" + name[j:] // not a body suffix: look further
	}
	return strings.ReplaceAll(name, "\x00", "-range")
}

// rangeBodies lists the body closures of the function named parent.
func (s *Stepper) rangeBodies(parent string) []*symbols.Func {
	return rangeIndex(s.tab)[parent]
}

// rangeIndexKey is the symbols.Table key of rangeIndex.
type rangeIndexKey struct{}

// rangeIndex lists the range-over-func body closures of a binary by
// parent. Built once per binary (every name is searched: a first next
// did it before the background step preparation, PrepareStep, took it
// over; issue 12).
func rangeIndex(tab *symbols.Table) map[string][]*symbols.Func {
	return tab.Derived(rangeIndexKey{}, func() any {
		idx := map[string][]*symbols.Func{}
		for _, fn := range tab.Funcs() {
			if p := rangeParent(fn.Name); p != fn.Name {
				idx[p] = append(idx[p], fn)
			}
		}
		return idx
	}).(map[string][]*symbols.Func)
}

// anchorFrames finds, for a step from frames[0], the range-over-func
// parent's frame index (ok false: no range-over-func involved).
func (s *Stepper) anchorFrames(frames []Frame) (string, int, bool) {
	if len(frames) == 0 {
		return "", 0, false
	}
	fn, _, err := s.frameFunc(&frames[0])
	if err != nil {
		return "", 0, false
	}
	parent := rangeParent(fn.Name)
	if parent == fn.Name && len(s.rangeBodies(parent)) == 0 {
		return "", 0, false
	}
	for i := range frames {
		if frames[i].Func == parent && !frames[i].Inlined {
			return parent, i, true
		}
	}
	return "", 0, false
}

// planRange plans next (and step's line starts) for a range-over-func
// parent whose frame is frames[k]: its line starts and its bodies'.
func (s *Stepper) planRange(frames []Frame, k int) {
	pc := frames[k].PC
	if k > 0 {
		pc-- // a return address
	}
	curFile, curLine, _ := s.tab.PCToLine(frames[0].PC - s.bias)
	fns := append([]*symbols.Func{s.tab.PCToFunc(pc - s.bias)}, s.rangeBodies(s.anchor)...)
	for i, fn := range fns {
		if fn == nil {
			continue
		}
		first := s.tab.FirstStmtPC(fn)
		pcs, lines, err := s.tab.StmtPCs(fn)
		if inCur := fn.Entry <= frames[0].PC-s.bias && frames[0].PC-s.bias < fn.End; inCur && err == nil {
			// As Delve: in the current function every statement row
			// after the prologue but those of the current line.
			for j, pc := range pcs {
				if pc >= first && lines[j] != curLine {
					s.set(pc+s.bias, stepBody, s.cfa)
				}
			}
		} else {
			for _, in := range symbols.LineStarts(s.img.Code(s.p, fn), first) {
				s.set(in.PC+s.bias, stepBody, s.cfa)
			}
		}
		// A body's entry (on its for line) stops the step, except when
		// the step starts on that line: then it goes into the body.
		if file, line, _ := s.tab.PCToLine(first); i > 0 && (file != curFile || line != curLine) {
			s.set(first+s.bias, stepBody, s.cfa)
		}
	}
}

// useAnchor makes the anchor's frame (CFA cfa) the stepping frame.
func (s *Stepper) useAnchor(name string, cfa uint64) {
	if s.hiOff >= 0 {
		s.depth = s.depth + s.cfa - cfa
	}
	s.anchor, s.cfa, s.owner = name, cfa, name
}

// rangeAnchor finds the range-over-func parent's frame for a step from
// (*frames)[0], unwinding further when it is not among them.
func (s *Stepper) rangeAnchor(frames *[]Frame) (string, int, bool) {
	name, k, ok := s.anchorFrames(*frames)
	if ok || len(*frames) == 0 {
		return name, k, ok
	}
	fn, _, err := s.frameFunc(&(*frames)[0])
	if err != nil || rangeParent(fn.Name) == fn.Name {
		return "", 0, false
	}
	all, _ := s.host.Unwind(s.frame + maxAnchorDepth)
	if len(all) <= s.frame {
		return "", 0, false
	}
	*frames = all[s.frame:]
	return s.anchorFrames(*frames)
}

// anchorCFA finds the anchor's frame below a hit and returns its CFA.
func (s *Stepper) anchorCFA(h proc.Hit, r proc.Registers) uint64 {
	regs, err := RegsOf(r)
	if err != nil {
		return 0
	}
	frames, _ := UnwindUntil(s.tab, s.bias, regs, h, maxAnchorDepth, func(f *Frame) bool {
		return f.Func == s.anchor && !f.Inlined
	})
	for i := range frames {
		if frames[i].Func == s.anchor && !frames[i].Inlined {
			return frames[i].CFA
		}
	}
	return 0
}
