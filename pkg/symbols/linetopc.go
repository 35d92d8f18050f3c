package symbols

import (
	"debug/dwarf"
	"errors"
	"io"
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
	} else {
		src = t.lines.usedFiles()
	}
	sort.Strings(src)
	t.sources = append(make([]string, 0, len(src)), src...)
	return t.sources
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

// LineToPCs returns the statement addresses (link-time) of a source line,
// ascending: the first is_stmt row of each run of rows for that line, so a
// line split by calls or loops may have several. With no DWARF (stripped
// Go) it uses .gopclntab, which has no statement marks: then the pcs are
// those where the line starts. Errors wrap ErrNoFile, ErrAmbiguousFile or
// ErrNoCode (naming the nearest line with code).
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
	if pcs := lines[line]; len(pcs) > 0 {
		return slices.Clone(pcs), nil
	}
	return nil, &LineError{File: path, Line: line, Nearest: nearestLine(lines, line)}
}

// fileLinesLocked returns (and caches) the line → statement pcs map of a file.
func (t *Table) fileLinesLocked(path string) (map[int][]uint64, error) {
	if m, ok := t.fileLine[path]; ok {
		return m, nil
	}
	var m map[int][]uint64
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
	for _, pcs := range m {
		slices.Sort(pcs)
	}
	if t.fileLine == nil {
		t.fileLine = map[string]map[int][]uint64{}
	}
	t.fileLine[path] = m
	return m, nil
}

// dwarfFileLines scans the line programs of the compile units that list path.
func (t *Table) dwarfFileLines(d *dwarf.Data, path string) (map[int][]uint64, error) {
	if err := t.indexUnits(d); err != nil {
		return nil, err
	}
	lines := map[int][]uint64{}
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

// scanLines adds to lines the first is_stmt address of each run of rows
// for path.
func scanLines(lr *dwarf.LineReader, path string, lines map[int][]uint64) error {
	var e dwarf.LineEntry
	var prevFile *dwarf.LineFile
	prevLine := -1
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
		if e.File.Name == path && e.IsStmt && (prevFile != e.File || prevLine != e.Line) {
			lines[e.Line] = append(lines[e.Line], e.Address)
		}
		prevFile, prevLine = e.File, e.Line
	}
}

// nearestLine returns the line with code closest to line (ties go to the
// later line), 0 if there is none.
func nearestLine(lines map[int][]uint64, line int) int {
	best := 0
	for l := range lines {
		d, bd := abs(l-line), abs(best-line)
		if best == 0 || d < bd || (d == bd && l > best) {
			best = l
		}
	}
	return best
}
