package dap

import (
	"errors"
	"fmt"
	"path/filepath"
	"strings"

	"github.com/google/go-dap"

	"github.com/godbg/godbg/service/api"
)

// maxThreads is how many goroutines threads lists; the one that stopped
// is always among them.
const maxThreads = 1000

// maxFrames bounds a stackTrace without levels.
const maxFrames = 1000

func (s *session) onThreads() (dap.ResponseMessage, error) {
	if s.client == nil {
		return nil, ErrNoProgram
	}
	if err := s.stopped(); errors.Is(err, ErrGone) {
		return &dap.ThreadsResponse{Body: dap.ThreadsResponseBody{Threads: []dap.Thread{}}}, nil
	} else if err != nil {
		// Running: what was there at the last stop, so that a client
		// can still name a thread to pause.
		ts := s.threads
		if len(ts) == 0 {
			ts = []dap.Thread{{Id: 1, Name: "running"}}
		}
		return &dap.ThreadsResponse{Body: dap.ThreadsResponseBody{Threads: ts}}, nil
	}
	ts, err := s.listThreads()
	if err != nil {
		return nil, err
	}
	s.threads = ts
	return &dap.ThreadsResponse{Body: dap.ThreadsResponseBody{Threads: ts}}, nil
}

// listThreads lists goroutines as threads (at most maxThreads), or the
// OS threads when there are no goroutines (before the Go runtime starts,
// or in a C program).
func (s *session) listThreads() ([]dap.Thread, error) {
	var out []dap.Thread
	more, sawStop := false, false
	err := s.client.Goroutines(s.opts.filters, func(g api.Goroutine) bool {
		if (s.opts.HideSystemGoroutines || s.opts.userOnly) && systemGoroutine(&g) && int(g.ID) != s.stop.thread {
			return true
		}
		if len(out) >= maxThreads {
			more = true
			return false
		}
		out = append(out, dap.Thread{Id: int(g.ID), Name: s.goroutineName(&g)})
		sawStop = sawStop || int(g.ID) == s.stop.thread
		return true
	})
	filtered := len(s.opts.filters) > 0 || s.opts.userOnly
	if err != nil || len(out) == 0 && (!filtered || s.stop.g == nil) {
		return s.listOSThreads(0)
	}
	if s.osTids[s.stop.thread] {
		// The stop is on a thread running no goroutine (a halt in the
		// scheduler): list that thread too, so the client can show it.
		if ts, err := s.listOSThreads(s.stop.thread); err == nil {
			out = append(out, ts...)
		}
	}
	if (more || filtered) && !sawStop && s.stop.g != nil {
		// The stopped goroutine is always listed.
		out = append(out, dap.Thread{Id: s.stop.thread, Name: s.goroutineName(s.stop.g)})
		sawStop = true
	}
	if more {
		if !sawStop && s.stop.g != nil {
			out = append(out, dap.Thread{Id: s.stop.thread, Name: s.goroutineName(s.stop.g)})
		}
		if !s.notedCap {
			s.notedCap = true
			s.output("console", fmt.Sprintf("More than %d goroutines: threads shows the first %d and the one that stopped.\n", maxThreads, maxThreads))
		}
	}
	return out, nil
}

// listOSThreads lists the OS threads (only: just that one, if not 0).
func (s *session) listOSThreads(only int) ([]dap.Thread, error) {
	ts, err := s.client.ListThreads()
	if err != nil {
		return nil, err
	}
	out := make([]dap.Thread, 0, len(ts))
	for _, t := range ts {
		if only != 0 && t.ID != only {
			continue
		}
		s.osTids[t.ID] = true
		out = append(out, dap.Thread{Id: t.ID, Name: fmt.Sprintf("[Thread %d] %s", t.ID, s.locationText(t.Location))})
	}
	return out, nil
}

// goroutineName says where a goroutine is: "[Go 7] main.worker ./main.go:12".
func (s *session) goroutineName(g *api.Goroutine) string {
	loc := g.UserLoc
	if loc.Function == "" {
		loc = g.CurrentLoc
	}
	return fmt.Sprintf("[Go %d] %s", g.ID, s.locationText(loc))
}

func (s *session) locationText(l api.Location) string {
	fn := l.Function
	if fn == "" {
		fn = fmt.Sprintf("%#x", l.PC)
	}
	if l.File == "" {
		return fn
	}
	return fmt.Sprintf("%s %s:%d", fn, s.relPath(l.File), l.Line)
}

// relPath shows a file under the program's directory as ./file.
func (s *session) relPath(file string) string {
	if s.root == "" {
		return file
	}
	rel, err := filepath.Rel(s.root, file)
	if err != nil || strings.HasPrefix(rel, "..") {
		return file
	}
	return "./" + rel
}

// selectThread makes thread id (a goroutine id, or an OS thread's tid)
// the debugger's current one, with its innermost frame selected.
func (s *session) selectThread(id int) error {
	if id == 0 {
		id = s.stop.thread // a client that names no thread means the one that stopped
	}
	if s.sel.ok && s.sel.thread == id && s.sel.frame == 0 {
		return nil
	}
	s.sel = selection{}
	var err error
	if s.osTids[id] {
		_, err = s.client.SwitchThread(id)
	} else if _, err = s.client.SwitchGoroutine(int64(id)); err != nil {
		if _, terr := s.client.SwitchThread(id); terr == nil {
			err = nil
		}
	}
	if err != nil {
		return fmt.Errorf("thread %d: %w", id, err)
	}
	s.sel = selection{ok: true, thread: id}
	return nil
}

// selectFrame selects frame n of thread id.
func (s *session) selectFrame(id, n int) error {
	if s.sel.ok && s.sel.thread == id && s.sel.frame == n {
		return nil
	}
	if !s.sel.ok || s.sel.thread != id {
		if err := s.selectThread(id); err != nil {
			return err
		}
	}
	if n != s.sel.frame {
		if _, err := s.client.SelectFrame(n); err != nil {
			return err
		}
		s.sel.frame = n
	}
	return nil
}

func (s *session) onStackTrace(r *dap.StackTraceRequest) (dap.ResponseMessage, error) {
	if err := s.stopped(); err != nil {
		return nil, err
	}
	a := r.Arguments
	if err := s.selectThread(a.ThreadId); err != nil {
		return nil, err
	}
	start, levels := max(a.StartFrame, 0), a.Levels
	if levels <= 0 || levels > maxFrames {
		levels = maxFrames
		if d := s.opts.StackTraceDepth; d > 0 && d < maxFrames && a.Levels <= 0 {
			levels = d
		}
	}
	frames, err := s.client.Stacktrace(start+levels+1, false)
	if err != nil {
		return nil, err
	}
	total := len(frames)
	if total > start+levels {
		frames = frames[:start+levels]
	}
	var out []dap.StackFrame
	if start < len(frames) {
		out = make([]dap.StackFrame, 0, len(frames)-start)
		for _, f := range frames[start:] {
			out = append(out, s.stackFrame(a.ThreadId, &f))
		}
	}
	body := dap.StackTraceResponseBody{StackFrames: out, TotalFrames: total}
	if out == nil {
		body.StackFrames = []dap.StackFrame{}
	}
	return &dap.StackTraceResponse{Body: body}, nil
}

func (s *session) stackFrame(thread int, f *api.Frame) dap.StackFrame {
	l := f.Location
	name := l.Function
	if name == "" {
		name = fmt.Sprintf("%#x", l.PC)
	}
	if f.Inlined {
		name += " (inlined)"
	}
	sf := dap.StackFrame{
		Id:   s.handles.addFrame(frameRef{thread: thread, frame: f.Index}),
		Name: name, Line: l.Line, Column: 1,
		InstructionPointerReference: fmt.Sprintf("%#x", l.PC),
	}
	if l.File != "" {
		sf.Source = &dap.Source{Name: filepath.Base(l.File), Path: s.opts.toClient(l.File)}
	} else {
		sf.PresentationHint = "subtle"
	}
	if isRuntime(l.Function) {
		sf.PresentationHint = "subtle"
	}
	if f.Err != "" {
		sf.Name += " (" + f.Err + ")"
	}
	return sf
}

func isRuntime(fn string) bool {
	return strings.HasPrefix(fn, "runtime.") || strings.HasPrefix(fn, "internal/") || strings.HasPrefix(fn, "runtime/")
}

// systemGoroutine reports a goroutine the runtime started for itself
// (hideSystemGoroutines): its start function is the runtime's, other
// than runtime.main.
func systemGoroutine(g *api.Goroutine) bool {
	fn := g.StartLoc.Function
	return isRuntime(fn) && fn != "runtime.main"
}
