package target

import (
	"regexp"
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

// rangeBodies lists the body closures of the function named parent, and
// the functions that hold its bodies inlined (with inlining, an iterator
// closure instantiated in a body, "main.F.F.Iter[...].func1.F-range1.
// Iter[...].func2", holds the inner loop's body).
func (s *Stepper) rangeBodies(parent string) []*symbols.Func {
	return rangeIndex(s.tab).bodies[parent]
}

// rangeIndexKey is the symbols.Table key of rangeIndex.
type rangeIndexKey struct{}

// rangeIdx is a binary's range-over-func body closures by parent, and
// the parent of each body closure or of an iterator closure holding
// inlined bodies.
type rangeIdx struct {
	bodies map[string][]*symbols.Func
	parent map[*symbols.Func]string
}

// rangeIndex is built once per binary (every name is searched); the
// background step preparation, PrepareStep, builds it before the first
// next needs it (issue 12).
func rangeIndex(tab *symbols.Table) *rangeIdx {
	return tab.Derived(rangeIndexKey{}, func() any {
		idx := &rangeIdx{bodies: map[string][]*symbols.Func{}, parent: map[*symbols.Func]string{}}
		add := func(p string, fn *symbols.Func) {
			if _, ok := idx.parent[fn]; !ok {
				idx.bodies[p] = append(idx.bodies[p], fn)
				idx.parent[fn] = p
			}
		}
		for _, fn := range tab.Funcs() {
			if p := rangeParent(fn.Name); p == fn.Name {
				continue
			}
			if q := RangeParent(tab, fn.Name); q != "" {
				add(q, fn)
				continue
			}
			for _, c := range InlinedCalls(tab, fn) {
				if q := RangeParent(tab, c.Name); q != "" {
					add(q, fn)
				}
			}
		}
		return idx
	}).(*rangeIdx)
}

// bodySuffix matches a body's name: its parent's and -rangeN suffixes.
var bodySuffix = regexp.MustCompile(`[^.]-range[0-9]+$`)

// RangeParent is the range-over-func parent (a function of tab) of the
// loop body named name, or "" when name is not a body's.
func RangeParent(tab *symbols.Table, name string) string {
	pkgEnd := strings.LastIndex(name, "/") + 1
	if i := strings.Index(name[pkgEnd:], "."); i >= 0 {
		pkgEnd += i
	} else {
		return ""
	}
	for i := pkgEnd; i >= 0 && i < len(name); {
		cand := name[:pkgEnd] + name[i:]
		if !bodySuffix.MatchString(cand) {
			return ""
		}
		if p := rangeParent(cand); p != cand {
			if _, err := tab.LookupFunc(p); err == nil {
				return p
			}
		} else {
			return ""
		}
		j := strings.Index(name[i+1:], ".")
		if j < 0 {
			break
		}
		i += 1 + j
	}
	return ""
}

// anchorFrames finds, for a step from frames[0], the range-over-func
// parent's frame index (ok false: no range-over-func involved).
func (s *Stepper) anchorFrames(frames []Frame) (string, int, bool) {
	if len(frames) == 0 {
		return "", 0, false
	}
	parent := s.anchorName(frames)
	if parent == "" {
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
	lo, hi := s.anchorSpan(fns[0])
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
				if pc >= first && lines[j] != curLine && lines[j] >= lo && lines[j] <= hi {
					s.set(pc+s.bias, stepBody, s.cfa)
				}
			}
		} else {
			for _, in := range symbols.LineStarts(s.code(fn), first) {
				if in.Line >= lo && in.Line <= hi {
					s.set(in.PC+s.bias, stepBody, s.cfa)
				}
			}
		}
		// A body's entry (on its for line) stops the step, except when
		// the step starts on that line: then it goes into the body.
		if file, line, _ := s.tab.PCToLine(first); i > 0 && (file != curFile || line != curLine) && line >= lo && line <= hi {
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
	if s.anchorName(*frames) == "" {
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

// anchorSpan is the range of source lines of the anchor's own code (rows
// outside every inlined call). With inlining, the iterator and the loop
// bodies are inlined into the anchor: the bodies' lines lie inside the
// anchor's source, the iterator's outside it, and next must not stop in
// the iterator (Delve's TestRangeOverFuncNextInlined).
func (s *Stepper) anchorSpan(fn *symbols.Func) (int, int) {
	if fn == nil {
		return 0, int(^uint(0) >> 1)
	}
	calls := InlinedCalls(s.tab, fn)
	lo, hi := int(^uint(0)>>1), 0
	for _, in := range s.code(fn) {
		if in.Line <= 0 || in.File != fn.File || len(inlineChain(calls, in.PC)) > 0 {
			continue
		}
		lo, hi = min(lo, in.Line), max(hi, in.Line)
	}
	if hi == 0 {
		return 0, int(^uint(0) >> 1)
	}
	return lo, hi
}

// anchorName is the range-over-func parent a step from frames[0] is in
// ("": none).
func (s *Stepper) anchorName(frames []Frame) string {
	fn, _, err := s.frameFunc(&frames[0])
	if err != nil {
		return ""
	}
	for i := 0; i < len(frames) && frames[i].Inlined; i++ {
		if p := rangeParent(frames[i].Func); p != frames[i].Func {
			return p // an inlined body
		}
	}
	if p, ok := rangeIndex(s.tab).parent[fn]; ok {
		return p
	}
	if len(s.rangeBodies(fn.Name)) > 0 {
		return fn.Name
	}
	return s.inlinedAnchor(fn)
}

// inlinedAnchor reports fn's name when fn holds range-over-func bodies
// inlined (built with inlining, the iterator and its loop bodies can all
// be inlined into the parent, leaving no body closure; "": it does not).
func (s *Stepper) inlinedAnchor(fn *symbols.Func) string {
	for _, c := range InlinedCalls(s.tab, fn) {
		if rangeParent(c.Name) == fn.Name {
			return fn.Name
		}
	}
	return ""
}
