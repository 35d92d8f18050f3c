package target

import "github.com/godbg/godbg/pkg/symbols"

// next and step in C code stop as gdb's do: only at the start of a
// statement (a line-table row marked is_stmt) of another line than the
// one the step started on. Optimised C (gcc -O2) interleaves the rows of
// neighbouring lines and marks most of them not statements; a stop at
// every change of line stopped twice on one line (21, 19, 21 for a step
// from 21) and at lines gdb never shows. A step that reaches another
// range of its own line goes on, as gdb's "stepped into a different range
// of the same line" does.

// isCFunc reports a function whose steps follow gdb's rule: C code (of a
// C program or of a cgo one).
func (s *Stepper) isCFunc(fn *symbols.Func) bool {
	return fn != nil && (fn.C || !s.tab.IsGo())
}

// planCLines plants the statement starts of fn (frame CFA s.cfa) that
// belong to another line than the one at pc (link-time); ok false: the
// line table has no statement rows for fn (then every line start is used).
func (s *Stepper) planCLines(fn *symbols.Func, pc uint64) bool {
	pcs, _, err := s.tab.StmtPCs(fn)
	if err != nil || len(pcs) == 0 {
		return false
	}
	curFile, curLine, _ := s.tab.PCToLine(pc)
	first := s.tab.FirstStmtPC(fn)
	for i, at := range pcs {
		if at < first || i > 0 && pcs[i-1] == at {
			continue
		}
		// Several rows at one address: the line is the table's (the
		// last row's), as gdb reports it.
		if file, line, _ := s.tab.PCToLine(at); line > 0 && (line != curLine || file != curFile) {
			s.set(at+s.bias, stepLine, s.cfa)
		}
	}
	return true
}
