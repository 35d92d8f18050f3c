package dap

import (
	"encoding/json"
	"errors"
	"fmt"
	"time"

	"github.com/google/go-dap"

	"github.com/godbg/godbg/service/api"
	"github.com/godbg/godbg/service/debugger"
)

// onRestart kills a launched program and launches it again (with the
// request's new launch configuration, if it has one, rebuilt in mode
// "debug" or "test"); the client's breakpoints are set again, with the
// ids the client knows, and the program runs (or stops at entry).
func (s *session) onRestart(r *dap.RestartRequest) (dap.ResponseMessage, error) {
	if s.client == nil {
		return nil, ErrNoProgram
	}
	if !s.launched || s.launchArgs == nil {
		return nil, errors.New("restart: only a program launched in this session can be restarted; disconnect and attach again")
	}
	a, err := s.restartArgs(r.Arguments)
	if err != nil {
		return nil, err
	}
	if _, err := s.haltQuietly(); err != nil {
		return nil, fmt.Errorf("restart: %w", err)
	}
	s.stopProgram()
	s.gen++
	path, root, err := s.program(&a)
	if err != nil {
		return nil, s.restartFailed(err)
	}
	term, err := s.terminal(&a, root)
	if err != nil {
		return nil, s.restartFailed(err)
	}
	d, st, out, err := startProgram(debugger.Config{Path: path, Args: a.Args, Dir: a.Cwd}, a.Env, term)
	if err != nil {
		return nil, s.restartFailed(fmt.Errorf("restart: %w", err))
	}
	s.client, s.out, s.root, s.opts, s.launchArgs = d, out, root, a.commonArgs, &a
	s.console, s.warmed, s.threads, s.notedCap = nil, false, nil, false
	s.stMu.Lock()
	s.exited, s.running, s.quiet, s.halted = false, false, false, false
	s.stMu.Unlock()
	out.start(s)
	s.noteStop(st)
	changed := s.setBreakpointsAgain()
	s.after = append(s.after, func() {
		s.processEvent(a.Program, st.Pid, "launch")
		for _, b := range changed {
			s.event("breakpoint", &dap.BreakpointEvent{Body: dap.BreakpointEventBody{Reason: "changed", Breakpoint: b}})
		}
		s.warm()
		if a.StopOnEntry {
			s.sendStopped("entry", "", nil)
			return
		}
		s.startRun("continue", func() (*api.State, error) { return s.client.Continue() })
	})
	return &dap.RestartResponse{}, nil
}

// restartArgs are the last launch's arguments, or those the restart
// request brings ({"arguments": {...launch configuration...}}).
func (s *session) restartArgs(raw json.RawMessage) (launchArgs, error) {
	a := *s.launchArgs
	var w struct {
		Arguments json.RawMessage `json:"arguments"`
	}
	if len(raw) > 0 && json.Unmarshal(raw, &w) == nil && len(w.Arguments) > 0 && string(w.Arguments) != "null" {
		var na launchArgs
		if err := json.Unmarshal(w.Arguments, &na); err != nil {
			return a, fmt.Errorf("restart: bad arguments: %v", err)
		}
		if err := na.readEnvFile(); err != nil {
			return a, err
		}
		a = na
	}
	if a.Mode == "core" {
		return a, errors.New(`restart: a core file cannot be restarted`)
	}
	return a, nil
}

// stopProgram kills the program being debugged and lets its output and
// its build go.
func (s *session) stopProgram() {
	s.client.Kill()
	s.client.Close()
	if s.out != nil {
		s.out.wait(time.Second)
		s.out.close()
		s.out = nil
	}
	for _, f := range s.cleanup {
		f()
	}
	s.cleanup = nil
}

// restartFailed: the old program is gone and no new one started; the
// client hears that the session ended.
func (s *session) restartFailed(err error) error {
	s.after = append(s.after, func() { s.reportExit(nil) })
	return err
}

// setBreakpointsAgain sets the client's breakpoints in a new program,
// keeping their client ids; it returns the ones to report as changed.
func (s *session) setBreakpointsAgain() []dap.Breakpoint {
	var changed []dap.Breakpoint
	for _, es := range s.bps.lists() {
		for i := range es {
			e := &es[i]
			b, err := s.createBreakpoint(e.bpWant)
			e.id = 0
			if b != nil {
				e.id = b.ID
			}
			db := dapBreakpoint(b, e.cid, err)
			db.Id = e.cid
			if db.Source != nil {
				db.Source.Path = s.opts.toClient(db.Source.Path)
			}
			changed = append(changed, db)
		}
	}
	return changed
}
