package symbols

import (
	"cmp"
	"debug/dwarf"
	"errors"
	"io"
	"regexp"
	"slices"
	"sort"
	"strings"
)

// Sources returns the sorted source file paths that have code.
func (t *Table) Sources() []string {
	t.mu.Lock()
	defer t.mu.Unlock()
	return t.sourcesLocked()
}

func (t *Table) sourcesLocked() []string {
	if t.sources != nil {
		return t.sources
	}
	var src []string
	if t.pcln != nil {
		for name := range t.pcln.Files {
			if !strings.HasPrefix(name, "<") {
				src = append(src, name)
			}
		}
		src = append(src, t.cgoSourcesLocked()...)
	} else {
		src = t.lines.usedFiles()
	}
	sort.Strings(src)
	t.sources = append(make([]string, 0, len(src)), src...)
	return t.sources
}

// cgoSourcesLocked lists the files the DWARF of a Go program names that
// .gopclntab does not: the C files (and headers) of a cgo program.
func (t *Table) cgoSourcesLocked() []string {
	if !t.hasDWARF {
		return nil
	}
	d, err := t.dwarf()
	if err != nil || t.indexUnits(d) != nil {
		return nil
	}
	var out []string
	for name := range t.cuFiles {
		if _, ok := t.pcln.Files[name]; !ok && !strings.HasSuffix(name, ".go") && strings.HasPrefix(name, "/") {
			out = append(out, name)
		}
	}
	return out
}

// ResolveFile maps a file name to one source path: an exact path or a
// unique suffix starting after '/' ("main.go", "pkg/foo/bar.go"). Errors
// wrap ErrNoFile or ErrAmbiguousFile.
func (t *Table) ResolveFile(name string) (string, error) {
	t.mu.Lock()
	defer t.mu.Unlock()
	return t.resolveFileLocked(name)
}

func (t *Table) resolveFileLocked(name string) (string, error) {
	sources := t.sourcesLocked()
	q := strings.TrimPrefix(name, "./")
	if i, ok := slices.BinarySearch(sources, q); ok {
		return sources[i], nil
	}
	var matches []string
	for _, s := range sources {
		if strings.HasSuffix(s, "/"+q) {
			matches = append(matches, s)
		}
	}
	switch len(matches) {
	case 1:
		return matches[0], nil
	case 0:
		return "", &FileError{Name: name, Candidates: suggestFiles(sources, q), Err: ErrNoFile}
	}
	return "", &FileError{Name: name, Candidates: matches, Err: ErrAmbiguousFile}
}

// LineToPCs returns the addresses (link-time) where a breakpoint on a
// source line goes, ascending, as Delve picks them: the line's rows are
// grouped by the function holding them, and each function gets one
// address, its lowest is_stmt row for the line (its lowest row if none is
// a statement). A loop line reached from the loop head and the back edge
// thus stops once per iteration, and every instantiation of a generic
// function (each a function of its own) gets its address. A row that is
// the function's entry moves past the prologue (FirstStmtPC). Rows outside
// any function (no symbols) are all kept. Compiler-made wrappers
// ("·dwrap·") are left out. With no DWARF (stripped Go) .gopclntab rows,
// which carry no statement marks, stand in. Errors wrap ErrNoFile,
// ErrAmbiguousFile or ErrNoCode (naming the nearest line with code).
//
// Functions inlined more than once into the same function are not told
// apart (the line table does not say which instance a row belongs to): for
// a line of another file than the function's own, the first statement row
// of each run counts instead, so every inlined instance is covered.
func (t *Table) LineToPCs(file string, line int) ([]uint64, error) {
	t.mu.Lock()
	defer t.mu.Unlock()
	path, err := t.resolveFileLocked(file)
	if err != nil {
		return nil, err
	}
	lines, err := t.fileLinesLocked(path)
	if err != nil {
		return nil, err
	}
	if rows := lines[line]; len(rows) > 0 {
		if pcs := t.breakpointPCs(path, line, rows); len(pcs) > 0 {
			return pcs, nil
		}
	}
	return nil, &LineError{File: path, Line: line, Nearest: nearestLine(lines, line)}
}

// stmtRow is one line-table row of a line: its address, whether it is a
// statement, and whether it starts a run of rows for the line.
type stmtRow struct {
	pc        uint64
	stmt      bool
	runStart  bool
	firstStmt bool // the first statement row of its run
}

// breakpointPCs picks one address per function among rows (sorted by pc).
func (t *Table) breakpointPCs(path string, line int, rows []stmtRow) []uint64 {
	var out []uint64
	type pick struct {
		pc   uint64
		stmt bool
	}
	picks := map[*Func]pick{}
	var order []*Func
	for _, r := range rows {
		fn := t.PCToFunc(r.pc)
		switch {
		case fn == nil:
			if r.firstStmt || (r.runStart && !t.hasDWARF) {
				out = append(out, r.pc)
			}
			continue
		case isWrapperName(fn.Name):
			continue
		case fn.File != "" && (fn.File != path || !t.ownLineLocked(fn, path, line)):
			// An inlined body (of another file, or of another function of
			// this one): every instance, as Delve (TestInlinedStacktraceAndVariables).
			if r.firstStmt {
				out = append(out, t.pastEntry(fn, r.pc))
			}
			continue
		}
		p, seen := picks[fn]
		if !seen {
			order = append(order, fn)
		}
		if !seen || (r.stmt && !p.stmt) {
			picks[fn] = pick{pc: r.pc, stmt: r.stmt}
		}
	}
	for _, fn := range order {
		out = append(out, t.pastEntry(fn, picks[fn].pc))
	}
	slices.Sort(out)
	return slices.Compact(out)
}

// pastEntry moves a function's entry past its prologue.
func (t *Table) pastEntry(fn *Func, pc uint64) uint64 {
	if pc == fn.Entry {
		return t.firstStmtPCLocked(fn)
	}
	return pc
}

// firstStmtRowLocked is the lowest is_stmt row of fn in its own file
// (fn.Entry if it has none).
func (t *Table) firstStmtRowLocked(fn *Func) uint64 {
	lines, err := t.fileLinesLocked(fn.File)
	if err != nil {
		return fn.Entry
	}
	best := fn.End
	for _, rs := range lines {
		for _, r := range rs {
			if r.stmt && r.pc >= fn.Entry && r.pc < best {
				best = r.pc
			}
		}
	}
	if best == fn.End {
		return fn.Entry
	}
	return best
}

// isWrapperName reports compiler-made wrappers a line breakpoint skips.
func isWrapperName(name string) bool {
	return strings.Contains(name, "·dwrap·") || strings.Contains(name, ".dwrap.")
}

// fileLinesLocked returns (and caches) the line → rows map of a file.
func (t *Table) fileLinesLocked(path string) (map[int][]stmtRow, error) {
	if m, ok := t.fileLine[path]; ok {
		return m, nil
	}
	var m map[int][]stmtRow
	if t.hasDWARF {
		d, err := t.dwarf()
		if err != nil {
			return nil, err
		}
		if m, err = t.dwarfFileLines(d, path); err != nil {
			return nil, err
		}
	} else if t.pcln != nil {
		m = t.pclnFileLines(path)
	}
	for _, rows := range m {
		slices.SortFunc(rows, func(a, b stmtRow) int { return cmp.Compare(a.pc, b.pc) })
	}
	if t.fileLine == nil {
		t.fileLine = map[string]map[int][]stmtRow{}
	}
	t.fileLine[path] = m
	return m, nil
}

// dwarfFileLines scans the line programs of the compile units that list path.
func (t *Table) dwarfFileLines(d *dwarf.Data, path string) (map[int][]stmtRow, error) {
	if err := t.indexUnits(d); err != nil {
		return nil, err
	}
	lines := map[int][]stmtRow{}
	for _, i := range t.cuFiles[path] {
		lr, err := lineReader(d, t.cus[i])
		if err != nil {
			return nil, err
		}
		if err := scanLines(lr, path, lines); err != nil {
			return nil, err
		}
	}
	return lines, nil
}

// indexUnits records which compile units mention which files.
func (t *Table) indexUnits(d *dwarf.Data) error {
	if t.cuFiles != nil {
		return nil
	}
	t.cuFiles = map[string][]int{}
	r := d.Reader()
	w := &walker{r: r}
	for {
		cu, err := w.next()
		if err != nil || cu == nil {
			return err
		}
		r.SkipChildren()
		if cu.Tag != dwarf.TagCompileUnit {
			continue
		}
		t.cus = append(t.cus, cu)
		for _, f := range cuFiles(d, cu) {
			if f != nil && !slices.Contains(t.cuFiles[f.Name], len(t.cus)-1) {
				t.cuFiles[f.Name] = append(t.cuFiles[f.Name], len(t.cus)-1)
			}
		}
	}
}

// scanLines adds to lines every row for path, marking the rows that
// start a run of rows for one line and the first statement row of each
// run (which need not be the run's first row).
func scanLines(lr *dwarf.LineReader, path string, lines map[int][]stmtRow) error {
	var e dwarf.LineEntry
	var prevFile *dwarf.LineFile
	prevLine := -1
	stmtSeen := false
	for {
		if err := lr.Next(&e); err != nil {
			if errors.Is(err, io.EOF) {
				return nil
			}
			return err
		}
		if e.EndSequence || e.File == nil {
			prevFile, prevLine = nil, -1
			continue
		}
		start := prevFile != e.File || prevLine != e.Line
		if start {
			stmtSeen = false
		}
		if e.File.Name == path {
			r := stmtRow{pc: e.Address, stmt: e.IsStmt, runStart: start, firstStmt: e.IsStmt && !stmtSeen}
			lines[e.Line] = append(lines[e.Line], r)
		}
		stmtSeen = stmtSeen || e.IsStmt
		prevFile, prevLine = e.File, e.Line
	}
}

// nearestLine returns the line with code closest to line (ties go to the
// later line), 0 if there is none.
func nearestLine(lines map[int][]stmtRow, line int) int {
	best := 0
	for l := range lines {
		d, bd := abs(l-line), abs(best-line)
		if best == 0 || d < bd || (d == bd && l > best) {
			best = l
		}
	}
	return best
}

// StmtPCs returns the link-time addresses of fn's is_stmt line-table rows
// for lines of its own file, ascending, each with its line: where a
// debugger's next may stop (Delve's AllPCs). Without DWARF it returns the
// .gopclntab line starts. Errors wrap ErrNoFile when fn has no file.
func (t *Table) StmtPCs(fn *Func) ([]uint64, []int, error) {
	t.mu.Lock()
	defer t.mu.Unlock()
	if fn == nil || fn.File == "" {
		return nil, nil, ErrNoFile
	}
	lines, err := t.fileLinesLocked(fn.File)
	if err != nil {
		return nil, nil, err
	}
	type pl struct {
		pc   uint64
		line int
	}
	var rows []pl
	for line, rs := range lines {
		for _, r := range rs {
			if r.stmt && r.pc >= fn.Entry && r.pc < fn.End {
				rows = append(rows, pl{r.pc, line})
			}
		}
	}
	slices.SortFunc(rows, func(a, b pl) int { return cmp.Compare(a.pc, b.pc) })
	pcs, lns := make([]uint64, len(rows)), make([]int, len(rows))
	for i, r := range rows {
		pcs[i], lns[i] = r.pc, r.line
	}
	return pcs, lns, nil
}

// closureName matches the functions the compiler makes of a function's
// literals, go and defer statements and range-over-func bodies: declared
// inside another function, they do not end its source.
var closureName = regexp.MustCompile(`\.(?:func|gowrap|deferwrap)\d+(?:\.\d+)*$|-range\d+`)

// ownLineLocked reports whether line of path lies in fn's own source: from
// its declaration to the next function declared in the file (closures
// aside). A row of another line in fn is code of a function of the file
// inlined into fn.
func (t *Table) ownLineLocked(fn *Func, path string, line int) bool {
	if fn.Line == 0 {
		return true
	}
	if line < fn.Line {
		return false
	}
	decl := t.declLinesLocked(path)
	i := sort.SearchInts(decl, fn.Line+1)
	return i == len(decl) || line < decl[i]
}

// declLinesLocked lists the declaration lines of path's functions
// (closures aside), ascending; cached per file.
func (t *Table) declLinesLocked(path string) []int {
	if d, ok := t.declLines[path]; ok {
		return d
	}
	var d []int
	for _, fn := range t.funcs {
		if fn.File == path && fn.Line > 0 && !closureName.MatchString(fn.Name) {
			d = append(d, fn.Line)
		}
	}
	slices.Sort(d)
	d = slices.Compact(d)
	if t.declLines == nil {
		t.declLines = map[string][]int{}
	}
	t.declLines[path] = d
	return d
}
