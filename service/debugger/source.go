package debugger

import (
	"bytes"
	"errors"
	"fmt"
	"io/fs"
	"os"
	"regexp"
	"slices"

	"github.com/godbg/godbg/pkg/locspec"
	"github.com/godbg/godbg/pkg/symbols"
	"github.com/godbg/godbg/service/api"
)

// ListFunctions returns the sorted, distinct names of the functions whose
// name matches the regular expression filter.
func (d *Debugger) ListFunctions(filter string) ([]string, error) {
	d.mu.Lock()
	defer d.mu.Unlock()
	t, re, err := d.tableAndFilter(filter)
	if err != nil {
		return nil, err
	}
	var names []string
	for _, fn := range t.FuncsMatching(re) {
		names = append(names, fn.Name)
	}
	slices.Sort(names)
	return slices.Compact(names), nil
}

// ListSources returns the source files whose path matches filter.
func (d *Debugger) ListSources(filter string) ([]string, error) {
	d.mu.Lock()
	defer d.mu.Unlock()
	t, re, err := d.tableAndFilter(filter)
	if err != nil {
		return nil, err
	}
	var out []string
	for _, s := range t.Sources() {
		if re.MatchString(s) {
			out = append(out, s)
		}
	}
	return out, nil
}

func (d *Debugger) tableAndFilter(filter string) (*symbols.Table, *regexp.Regexp, error) {
	re, err := regexp.Compile(filter)
	if err != nil {
		return nil, nil, fmt.Errorf("invalid regular expression %q: %w", filter, err)
	}
	t := d.table()
	if t == nil {
		return nil, nil, d.noSymbolsErr()
	}
	return t, re, nil
}

// noSymbolsErr explains why there are no symbols.
func (d *Debugger) noSymbolsErr() error {
	if err := d.tgt.img.bin.Err(); err != nil {
		return fmt.Errorf("%w: %w", errNoSymbols, err)
	}
	return errNoSymbols
}

// ListSource returns the lines of a source file around a location.
func (d *Debugger) ListSource(loc string, context int) (*api.SourceListing, error) {
	d.mu.Lock()
	defer d.mu.Unlock()
	t := d.table()
	if t == nil {
		return nil, d.noSymbolsErr()
	}
	cur := d.curLocation()
	file, line, err := d.sourcePosition(t, loc, cur)
	if err != nil {
		return nil, err
	}
	text, err := os.ReadFile(d.localPath(file))
	if err != nil {
		var pe *fs.PathError
		if errors.As(err, &pe) {
			err = pe.Err // the message names the file already
		}
		return nil, fmt.Errorf("cannot read source file %s: %w; was it moved, or the program built on another machine (config substitute-path)?", d.localPath(file), err)
	}
	lines := bytes.Split(text, []byte("\n"))
	if len(lines) > 0 && len(lines[len(lines)-1]) == 0 {
		lines = lines[:len(lines)-1]
	}
	if line > len(lines) {
		return nil, fmt.Errorf("line %d is past the end of %s, which has %d lines", line, file, len(lines))
	}
	context = max(context, 0)
	first, last := max(line-context, 1), min(line+context, len(lines))
	bps := d.breakpointLines(file)
	out := &api.SourceListing{File: d.localPath(file)}
	for n := first; n <= last; n++ {
		out.Lines = append(out.Lines, api.SourceLine{
			Number:     n,
			Text:       string(bytes.TrimRight(lines[n-1], "\r")),
			Current:    cur != nil && cur.File == file && cur.Line == n,
			Breakpoint: bps[n],
		})
	}
	return out, nil
}

// curLocation is where the selected frame of the current goroutine or
// thread is, nil if unknown.
func (d *Debugger) curLocation() *api.Location {
	if d.frame > 0 || d.curG != 0 {
		if frames, _ := d.unwind(d.frame + 1); d.frame < len(frames) {
			f := &frames[d.frame]
			return &api.Location{PC: f.PC, Function: f.Func, File: f.File, Line: f.Line}
		}
	}
	th, err := d.curThread()
	if err != nil {
		return nil
	}
	r, err := th.Registers()
	if err != nil {
		return nil
	}
	l := d.location(r.PC())
	return &l
}

// sourcePosition resolves a list location to a file and line. Lines of a
// file need no code: "list main.go:3" shows a comment as well.
func (d *Debugger) sourcePosition(t *symbols.Table, loc string, cur *api.Location) (string, int, error) {
	if loc == "" {
		switch {
		case cur == nil:
			_, err := d.curThread()
			return "", 0, err
		case cur.File == "":
			return "", 0, fmt.Errorf("pc %#x (%s) has no source line information; give a location, like list main.main or list file.go:12", cur.PC, describePC(cur))
		}
		return cur.File, cur.Line, nil
	}
	spec, err := d.parseSpec(loc)
	if err != nil {
		return "", 0, err
	}
	switch spec.Kind {
	case locspec.FileLineSpec:
		file, err := t.ResolveFile(spec.File)
		return file, spec.Line, lookupHint(err)
	case locspec.LineSpec, locspec.OffsetSpec:
		if cur == nil || cur.File == "" {
			return "", 0, fmt.Errorf("location %q: %w", loc, locspec.ErrNoCurrentFile)
		}
		line := cur.Line + spec.Offset
		if spec.Kind == locspec.LineSpec {
			line = spec.Line
		}
		return cur.File, max(line, 1), nil
	case locspec.AddrSpec:
		spec.Addr -= d.bias()
	}
	locs, err := locspec.Resolve(spec, t, "", 0)
	if err != nil {
		return "", 0, lookupHint(err)
	}
	if locs[0].File == "" {
		return "", 0, fmt.Errorf("location %q has no source line information", loc)
	}
	return locs[0].File, locs[0].Line, nil
}

// describePC names a location without source: "runtime.rt0+0x4" or "no function".
func describePC(l *api.Location) string {
	if l.Function == "" {
		return "in no known function"
	}
	return fmt.Sprintf("%s+%#x", l.Function, l.Offset)
}

// lookupHint points a failed name lookup with no did-you-mean candidates
// to the command that lists the names.
func lookupHint(err error) error {
	var fe *symbols.FuncError
	if errors.As(err, &fe) && errors.Is(err, symbols.ErrNoFunc) && len(fe.Candidates) == 0 {
		return fmt.Errorf("%w; funcs <regexp> lists the functions", err)
	}
	var fle *symbols.FileError
	if errors.As(err, &fle) && errors.Is(err, symbols.ErrNoFile) && len(fle.Candidates) == 0 {
		return fmt.Errorf("%w; sources <regexp> lists the files", err)
	}
	return err
}

// Hook: filled in when breakpoints land.
