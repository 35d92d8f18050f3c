package dap

import (
	"errors"
	"fmt"
	"sort"

	"github.com/google/go-dap"

	"github.com/godbg/godbg/service/api"
)

// maxLocationLines bounds the lines one breakpointLocations looks at.
const maxLocationLines = 500

// onBreakpointLocations lists the lines from line to endLine of a file
// that have code (where a breakpoint can go), from the disassembly of
// the functions there.
func (s *session) onBreakpointLocations(r *dap.BreakpointLocationsRequest) (dap.ResponseMessage, error) {
	if err := s.stoppable(); err != nil {
		return nil, err
	}
	a := r.Arguments
	if a.Source.Path == "" {
		return nil, errors.New("breakpointLocations: source.path is required")
	}
	if a.Line <= 0 {
		return nil, fmt.Errorf("breakpointLocations: line %d: lines start at 1", a.Line)
	}
	end := max(a.EndLine, a.Line)
	if end-a.Line >= maxLocationLines {
		return nil, fmt.Errorf("breakpointLocations: lines %d-%d: at most %d lines at a time", a.Line, end, maxLocationLines)
	}
	resume, err := s.haltQuietly()
	if err != nil {
		return nil, err
	}
	if resume {
		s.after = append(s.after, func() { s.startRun("continue", func() (*api.State, error) { return s.client.Continue() }) })
	}
	path := s.opts.toProgram(a.Source.Path)
	code := map[int]bool{}
	seen := map[string]bool{} // functions disassembled
	for line := a.Line; line <= end; line++ {
		if code[line] {
			continue
		}
		insts, err := s.client.Disassemble(api.DisassembleRequest{Location: fmt.Sprintf("%s:%d", path, line)})
		if err != nil || len(insts) == 0 || seen[insts[0].Loc.Function] {
			continue
		}
		seen[insts[0].Loc.Function] = true
		for _, in := range insts {
			if in.Loc.Line >= a.Line && in.Loc.Line <= end && sameFile(in.Loc.File, path) {
				code[in.Loc.Line] = true
			}
		}
	}
	lines := make([]int, 0, len(code))
	for l := range code {
		lines = append(lines, l)
	}
	sort.Ints(lines)
	out := make([]dap.BreakpointLocation, 0, len(lines))
	for _, l := range lines {
		out = append(out, dap.BreakpointLocation{Line: l})
	}
	return &dap.BreakpointLocationsResponse{Body: dap.BreakpointLocationsResponseBody{Breakpoints: out}}, nil
}

// sameFile: a program's path and one a client gave (which may be only a
// suffix of it, as file:line specs allow).
func sameFile(prog, given string) bool {
	return prog == given || len(prog) > len(given) && prog[len(prog)-len(given)-1] == '/' && prog[len(prog)-len(given):] == given
}
