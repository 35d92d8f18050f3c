package dap

import (
	"errors"
	"fmt"
	"path/filepath"
	"regexp"
	"strconv"

	"github.com/google/go-dap"

	"github.com/godbg/godbg/service/api"
)

// bpWant is a breakpoint as the client asks for it.
type bpWant struct {
	spec, cond, hit string
	log             string // a logpoint's message: printed, no stop
}

// bpEntry is a breakpoint set for the client (id 0: it could not be set).
type bpEntry struct {
	bpWant
	id  int // the debugger's (0: not set)
	cid int // the client's, which stays across a restart
}

// breakpoints are the client's, by source file and by function: each
// setBreakpoints replaces one file's, setFunctionBreakpoints all the
// function ones.
type breakpoints struct {
	bySource map[string][]bpEntry
	funcs    []bpEntry
	instrs   []bpEntry // setInstructionBreakpoints
	lastCID  int
}

// clientID is the client's id of the debugger's breakpoint id (0: none).
func (b *breakpoints) clientID(id int) int {
	for _, es := range b.lists() {
		for _, e := range es {
			if e.id == id {
				return e.cid
			}
		}
	}
	return 0
}

// lists are every list of breakpoints, to be read or changed in place.
func (b *breakpoints) lists() [][]bpEntry {
	out := [][]bpEntry{b.funcs, b.instrs}
	for _, es := range b.bySource {
		out = append(out, es)
	}
	return out
}

// logMessage returns the message of logpoint id ("" if it is none).
func (b *breakpoints) logMessage(id int) string {
	for _, es := range b.bySource {
		for _, e := range es {
			if e.id == id {
				return e.log
			}
		}
	}
	return ""
}

func (s *session) onSetBreakpoints(r *dap.SetBreakpointsRequest) (dap.ResponseMessage, error) {
	a := r.Arguments
	if a.Source.Path == "" {
		return nil, errors.New("setBreakpoints: source.path is required (sources by reference are not supported)")
	}
	path := s.opts.toProgram(a.Source.Path)
	want := make([]bpWant, 0, len(a.Breakpoints))
	for _, b := range a.Breakpoints {
		want = append(want, bpWant{spec: fmt.Sprintf("%s:%d", path, b.Line), cond: b.Condition, hit: b.HitCondition, log: b.LogMessage})
	}
	if len(a.Breakpoints) == 0 {
		for _, l := range a.Lines { // deprecated form
			want = append(want, bpWant{spec: fmt.Sprintf("%s:%d", path, l)})
		}
	}
	if s.bps.bySource == nil {
		s.bps.bySource = map[string][]bpEntry{}
	}
	kept, out, err := s.replaceBreakpoints(s.bps.bySource[a.Source.Path], want)
	if err != nil {
		return nil, err
	}
	s.bps.bySource[a.Source.Path] = kept
	for i := range out {
		if src := out[i].Source; src != nil {
			src.Path = s.opts.toClient(src.Path)
		}
	}
	return &dap.SetBreakpointsResponse{Body: dap.SetBreakpointsResponseBody{Breakpoints: out}}, nil
}

func (s *session) onSetFunctionBreakpoints(r *dap.SetFunctionBreakpointsRequest) (dap.ResponseMessage, error) {
	want := make([]bpWant, 0, len(r.Arguments.Breakpoints))
	for _, b := range r.Arguments.Breakpoints {
		want = append(want, bpWant{spec: b.Name, cond: b.Condition, hit: b.HitCondition})
	}
	kept, out, err := s.replaceBreakpoints(s.bps.funcs, want)
	if err != nil {
		return nil, err
	}
	s.bps.funcs = kept
	return &dap.SetFunctionBreakpointsResponse{Body: dap.SetFunctionBreakpointsResponseBody{Breakpoints: out}}, nil
}

// replaceBreakpoints makes the breakpoints old into want: unchanged ones
// stay (with their hit counts), the others are cleared or created. A
// running program is halted for it and resumed after the answer.
func (s *session) replaceBreakpoints(old []bpEntry, want []bpWant) ([]bpEntry, []dap.Breakpoint, error) {
	if err := s.stoppable(); err != nil {
		return nil, nil, err
	}
	resume, err := s.haltQuietly()
	if err != nil {
		return nil, nil, err
	}
	if resume {
		s.after = append(s.after, func() { s.startRun("continue", func() (*api.State, error) { return s.client.Continue() }) })
	}
	same := map[bpWant]int{} // unchanged ones by what was asked: index in old
	for i, e := range old {
		if e.id != 0 {
			same[e.bpWant] = i
		}
	}
	reuse := map[int]bool{}
	for _, w := range want {
		if i, ok := same[w]; ok {
			reuse[i] = true
		}
	}
	for i, e := range old {
		if e.id != 0 && !reuse[i] {
			s.client.ClearBreakpoint(strconv.Itoa(e.id)) // gone already: fine
		}
	}
	var kept []bpEntry
	out := make([]dap.Breakpoint, 0, len(want))
	byID := map[int]*api.Breakpoint{}
	if len(reuse) > 0 {
		if list, err := s.client.ListBreakpoints(); err == nil {
			for _, b := range list {
				byID[b.ID] = b
			}
		}
	}
	for _, w := range want {
		if i, ok := same[w]; ok && reuse[i] {
			delete(reuse, i) // the same line twice: the second is new (and fails)
			kept = append(kept, old[i])
			out = append(out, dapBreakpoint(byID[old[i].id], old[i].cid, nil))
			continue
		}
		b, err := s.createBreakpoint(w)
		s.bps.lastCID++
		e := bpEntry{bpWant: w, cid: s.bps.lastCID}
		if b != nil {
			e.id = b.ID
		}
		kept = append(kept, e)
		out = append(out, dapBreakpoint(b, e.cid, err))
	}
	return kept, out, nil
}

// stoppable checks that breakpoints can be changed: there is a program
// and it is still being debugged (running is fine).
func (s *session) stoppable() error {
	if s.client == nil {
		return ErrNoProgram
	}
	s.stMu.Lock()
	defer s.stMu.Unlock()
	if s.exited {
		return ErrGone
	}
	return nil
}

// createBreakpoint sets one breakpoint with its condition and hit
// condition; one whose hit condition is bad is removed again.
func (s *session) createBreakpoint(w bpWant) (*api.Breakpoint, error) {
	var op string
	var n int
	if w.hit != "" {
		var err error
		if op, n, err = parseHitCondition(w.hit); err != nil {
			return nil, err
		}
	}
	b, err := s.client.CreateBreakpoint("", w.spec, w.cond)
	if err != nil {
		return nil, err
	}
	if w.hit != "" {
		hb, err := s.client.SetHitCondition(strconv.Itoa(b.ID), op, n)
		if err != nil {
			s.client.ClearBreakpoint(strconv.Itoa(b.ID))
			return nil, err
		}
		b = hb
	}
	return b, nil
}

var hitCondRE = regexp.MustCompile(`^\s*(==|!=|<=|>=|<|>|%)?\s*(\d+)\s*$`)

// parseHitCondition reads ">= 3", "% 2" or "5" (the same as "== 5": the
// fifth hit).
func parseHitCondition(s string) (string, int, error) {
	m := hitCondRE.FindStringSubmatch(s)
	if m == nil {
		return "", 0, fmt.Errorf("bad hit condition %q: give a number, or an operator (== != < <= > >= %%) and a number, like \">= 3\"", s)
	}
	n, err := strconv.Atoi(m[2])
	if err != nil {
		return "", 0, fmt.Errorf("bad hit condition %q: %v", s, err)
	}
	op := m[1]
	if op == "" {
		op = "=="
	}
	return op, n, nil
}

// dapBreakpoint describes a breakpoint (or why it could not be set).
func dapBreakpoint(b *api.Breakpoint, id int, err error) dap.Breakpoint {
	if err != nil {
		return dap.Breakpoint{Verified: false, Message: err.Error()}
	}
	db := dap.Breakpoint{Id: id, Verified: true}
	if b == nil {
		return db
	}
	if b.Pending || len(b.Locations) == 0 {
		db.Verified = false
		db.Message = "pending: " + b.PendingReason
		return db
	}
	l := b.Locations[0]
	db.Line = l.Line
	if l.File != "" {
		db.Source = &dap.Source{Name: filepath.Base(l.File), Path: l.File}
	}
	db.InstructionReference = fmt.Sprintf("%#x", l.PC)
	return db
}
