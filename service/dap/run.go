package dap

import (
	"encoding/json"
	"errors"
	"fmt"
	"runtime/debug"
	"strings"
	"time"

	"github.com/google/go-dap"

	"github.com/godbg/godbg/service/api"
)

// haltTimeout bounds how long the server waits for a running program to
// stop when it must (a breakpoint change, the session's end).
const haltTimeout = 10 * time.Second

func (s *session) onConfigurationDone() (dap.ResponseMessage, error) {
	if err := s.stopped(); err != nil {
		return nil, err
	}
	s.after = append(s.after, s.warm)
	if s.core {
		s.after = append(s.after, func() { s.sendStopped("exception", "core file", nil) })
		return &dap.ConfigurationDoneResponse{}, nil
	}
	if s.stopOnEntry {
		s.after = append(s.after, func() { s.sendStopped("entry", "", nil) })
	} else {
		s.after = append(s.after, func() { s.startRun("continue", func() (*api.State, error) { return s.client.Continue() }) })
	}
	s.stopOnEntry = false // a second configurationDone resumes
	return &dap.ConfigurationDoneResponse{}, nil
}

func (s *session) onContinue() (dap.ResponseMessage, error) {
	if err := s.stopped(); err != nil {
		if errors.Is(err, ErrRunning) {
			return &dap.ContinueResponse{Body: dap.ContinueResponseBody{AllThreadsContinued: true}}, nil
		}
		return nil, err
	}
	s.after = append(s.after, func() { s.startRun("continue", func() (*api.State, error) { return s.client.Continue() }) })
	return &dap.ContinueResponse{Body: dap.ContinueResponseBody{AllThreadsContinued: true}}, nil
}

// onStep runs next, stepIn or stepOut for the goroutine threadID: it is
// selected (with its innermost frame) first.
func (s *session) onStep(what string, threadID int, fn func() (*api.State, error), resp dap.ResponseMessage) (dap.ResponseMessage, error) {
	if err := s.stopped(); err != nil {
		return nil, err
	}
	if err := s.selectThread(threadID); err != nil {
		return nil, err
	}
	s.after = append(s.after, func() { s.startRun(what, fn) })
	return resp, nil
}

func (s *session) onPause() (dap.ResponseMessage, error) {
	if s.client == nil {
		return nil, ErrNoProgram
	}
	s.stMu.Lock()
	running, done, pausing := s.running, s.runDone, s.pausing
	if running {
		s.pausing = true
	}
	s.stMu.Unlock()
	if running && !pausing {
		go func() {
			s.haltUntil(done, haltTimeout)
			s.stMu.Lock()
			s.pausing = false
			s.stMu.Unlock()
		}()
	}
	return &dap.PauseResponse{}, nil
}

// startRun runs fn (Continue, Next, ...) on its own goroutine and
// reports the stop it ends in.
func (s *session) startRun(what string, fn func() (*api.State, error)) {
	done := make(chan struct{})
	s.stMu.Lock()
	s.running, s.runDone, s.quiet, s.halted = true, done, false, false
	s.stMu.Unlock()
	s.resetStop()
	gen := s.gen
	go func() {
		st, err := runSafely(fn)
		s.stMu.Lock()
		s.running = false
		s.halted = s.quiet && err == nil && st != nil && st.Reason == "halted"
		silent := s.halted || s.ending
		s.stMu.Unlock()
		close(done)
		if silent {
			return
		}
		s.opMu.Lock()
		defer s.opMu.Unlock()
		defer s.guard("reporting a stop")
		if s.gen != gen {
			return // a restart replaced that program meanwhile
		}
		s.reportStop(what, st, err)
	}()
}

func runSafely(fn func() (*api.State, error)) (st *api.State, err error) {
	defer func() {
		if p := recover(); p != nil {
			st, err = nil, fmt.Errorf("internal error: %v", p)
		}
	}()
	return fn()
}

// haltUntil halts the program until done is closed (a halt asked for
// just before the run starts is lost, so it is asked again), for at most
// timeout.
func (s *session) haltUntil(done <-chan struct{}, timeout time.Duration) bool {
	tick := time.NewTicker(20 * time.Millisecond)
	defer tick.Stop()
	deadline := time.After(timeout)
	for {
		s.client.Halt()
		select {
		case <-done:
			return true
		case <-tick.C:
		case <-deadline:
			return false
		}
	}
}

// haltQuietly stops a running program without a stopped event, for a
// change that needs it stopped. resume says whether it was running and
// halted by us, so that it should run on afterwards; err whether it did
// not stop.
func (s *session) haltQuietly() (resume bool, err error) {
	s.stMu.Lock()
	running, done := s.running, s.runDone
	if running {
		s.quiet = true
	}
	s.stMu.Unlock()
	if !running {
		return false, nil
	}
	if !s.haltUntil(done, haltTimeout) {
		return false, fmt.Errorf("the program did not stop within %v", haltTimeout)
	}
	s.stMu.Lock()
	defer s.stMu.Unlock()
	return s.halted, nil
}

// resetStop forgets what was true at the last stop: handles, selection.
func (s *session) resetStop() {
	s.handles.reset()
	s.sel = selection{}
	s.stop = stopInfo{}
	clear(s.osTids)
}

// noteStop records a stop: which goroutine (else thread) it is in, and
// that the debugger has it selected with its innermost frame.
func (s *session) noteStop(st *api.State) {
	s.resetStop()
	if g, err := s.client.CurrentGoroutine(); err == nil {
		s.stop = stopInfo{thread: int(g.ID), g: g}
	} else if st != nil && st.CurrentThread != nil {
		s.stop = stopInfo{thread: st.CurrentThread.ID}
		s.osTids[st.CurrentThread.ID] = true
	} else if len(s.threads) > 0 {
		s.stop = stopInfo{thread: s.threads[0].Id}
		return
	}
	s.sel = selection{ok: true, thread: s.stop.thread}
}

// reportStop tells the client how a run ended.
func (s *session) reportStop(what string, st *api.State, err error) {
	s.stMu.Lock()
	ending := s.ending
	s.stMu.Unlock()
	if ending {
		return
	}
	if err != nil {
		cur, _ := s.client.State()
		if cur == nil || cur.Exited || cur.Detached {
			s.reportExit(cur)
			return
		}
		s.output("console", fmt.Sprintf("%s: %v\n", what, err))
		s.noteStop(cur)
		s.sendStopped("pause", what+" failed", nil)
		return
	}
	if st.Exited || st.Detached {
		s.reportExit(st)
		return
	}
	s.noteStop(st)
	s.stop.returned = st.ReturnValues
	if st.Reason == "halted" {
		s.pickUserGoroutine()
	}
	if st.CondError != "" {
		s.output("console", "breakpoint condition: "+st.CondError+"\n")
	}
	reason, desc := stopReason(st)
	s.exc.lastDesc = ""
	if reason == "exception" && st.Breakpoint != nil && st.Breakpoint.ID < 0 {
		s.exc.lastDesc = desc
	}
	if s.passOver(what, st, reason, desc) {
		return
	}
	var hit []int
	if b := st.Breakpoint; b != nil && b.ID > 0 && reason == "breakpoint" {
		if cid := s.bps.clientID(b.ID); cid != 0 {
			hit = []int{cid}
		}
	}
	if st.Watch != nil { // watch
		reason = "data breakpoint"
		desc, hit = s.watchStopped(st)
	}
	s.sendStopped(reason, desc, hit)
}

// stopReason maps the debugger's stop reason onto DAP's.
func stopReason(st *api.State) (reason, description string) {
	switch st.Reason {
	case "breakpoint":
		if b := st.Breakpoint; b != nil && b.ID < 0 {
			if b.Name == "fatal-throw" || b.Name == "fatal-signal" { // cgo: fatal-signal
				return "exception", "fatal error"
			}
			return "exception", "panic"
		}
		return "breakpoint", ""
	case "stepped":
		return "step", ""
	case "halted":
		return "pause", ""
	case "signal":
		return "exception", "signal " + st.Signal
	case "launched", "attached":
		return "entry", ""
	case "trap":
		// An int3 in the program: runtime.Breakpoint(), or a hard-coded
		// one in C. Editors show "breakpoint" stops as such.
		return "breakpoint", "runtime.Breakpoint"
	}
	return st.Reason, st.Reason // trap, syscall, fork, exec, thread-exited
}

func (s *session) sendStopped(reason, description string, hit []int) {
	s.event("stopped", &dap.StoppedEvent{Body: dap.StoppedEventBody{
		Reason: reason, Description: description, ThreadId: s.stop.thread,
		AllThreadsStopped: true, HitBreakpointIds: hit,
	}})
}

// reportExit sends exited (with the exit code) and terminated, once,
// after the program's last output.
func (s *session) reportExit(st *api.State) {
	s.stMu.Lock()
	sent := s.exited
	s.exited = true
	s.stMu.Unlock()
	if sent {
		return
	}
	if s.out != nil {
		s.out.wait(time.Second)
	}
	code := 0
	if st != nil {
		code = st.ExitCode
		switch {
		case st.KilledBy != "":
			s.output("console", fmt.Sprintf("Process %d killed by %s\n", st.Pid, st.KilledBy))
		case st.Detached:
			s.output("console", fmt.Sprintf("Detached from process %d\n", st.Pid))
		default:
			s.output("console", fmt.Sprintf("Process %d has exited with status %d\n", st.Pid, st.ExitCode))
		}
	}
	s.event("exited", &dap.ExitedEvent{Body: dap.ExitedEventBody{ExitCode: code}})
	s.event("terminated", &dap.TerminatedEvent{})
}

func (s *session) onDisconnect(raw []byte) (dap.ResponseMessage, error) {
	var a struct {
		Arguments struct {
			TerminateDebuggee *bool `json:"terminateDebuggee"`
		} `json:"arguments"`
	}
	json.Unmarshal(raw, &a) // absent or malformed: the default policy
	s.closing = true
	if err := s.end(a.Arguments.TerminateDebuggee); err != nil {
		return nil, err
	}
	return &dap.DisconnectResponse{}, nil
}

func (s *session) onTerminate() (dap.ResponseMessage, error) {
	if s.client == nil {
		return nil, ErrNoProgram
	}
	kill := true
	if err := s.end(&kill); err != nil {
		return nil, err
	}
	s.after = append(s.after, func() {
		s.stMu.Lock()
		sent := s.exited
		s.exited = true
		s.stMu.Unlock()
		if !sent {
			s.event("terminated", &dap.TerminatedEvent{})
		}
	})
	return &dap.TerminateResponse{}, nil
}

// end stops the session once: a running program is halted (without
// events), then killed (terminate true) or detached (false); nil means
// kill what was launched, detach from what was attached. Caller holds
// opMu, or no request can run (the connection is gone).
func (s *session) end(terminate *bool) error {
	s.endOnce.Do(func() {
		defer func() {
			if p := recover(); p != nil {
				s.endErr = fmt.Errorf("internal error ending the session: %v", p)
			}
		}()
		s.endErr = s.endNow(terminate)
	})
	return s.endErr
}

// guard turns a panic outside a request into a log line and a note in
// the client's console.
func (s *session) guard(what string) {
	if p := recover(); p != nil {
		s.log.Error("panic", "while", what, "panic", p, "stack", string(debug.Stack()))
		s.output("console", fmt.Sprintf("godbg: internal error %s: %v\n", what, p))
	}
}

func (s *session) endNow(terminate *bool) error {
	s.stMu.Lock()
	s.ending = true
	running, done := s.running, s.runDone
	s.stMu.Unlock()
	defer func() {
		for _, f := range s.cleanup {
			f()
		}
		s.cleanup = nil
	}()
	if s.client == nil {
		return nil
	}
	if running && !s.haltUntil(done, haltTimeout) {
		return fmt.Errorf("the program did not stop within %v; it is still traced", haltTimeout)
	}
	if s.remote != nil {
		return s.endRemote(terminate)
	}
	kill := s.launched
	if terminate != nil {
		kill = *terminate
	}
	var err error
	if st, _ := s.client.State(); st != nil && !st.Exited && !st.Detached && !s.core {
		if kill {
			err = s.client.Kill()
		} else {
			err = s.client.Detach()
		}
	}
	if cerr := s.client.Close(); err == nil {
		err = cerr
	}
	if s.out != nil && kill {
		s.out.wait(time.Second)
	}
	return err
}

// shutdown ends the session from outside a request (the connection is
// gone, or the server is told to stop) and closes the connection.
func (s *session) shutdown() {
	s.stMu.Lock()
	s.ending = true
	running, done := s.running, s.runDone
	s.stMu.Unlock()
	if running && s.client != nil {
		s.haltUntil(done, haltTimeout)
	}
	s.opMu.Lock()
	err := s.end(nil)
	s.opMu.Unlock()
	if err != nil {
		s.log.Warn("ending the session", "err", err)
	}
	s.conn.Close()
	if s.out != nil {
		s.out.close()
	}
}

// pickUserGoroutine makes a pause report the goroutine running user
// code, when the halt landed on a thread in the scheduler, in a system
// call or running runtime code. In order of preference: a running
// goroutine whose current function is user code, a runnable (preempted)
// one whose current function is, a running one whose user frame is, a
// runnable one whose user frame is.
func (s *session) pickUserGoroutine() {
	if g := s.stop.g; g != nil && userCode(g.CurrentLoc.Function) {
		return
	}
	var best *api.Goroutine
	var running []api.Goroutine // in the runtime as far as UserLoc sees
	rank := 0
	s.client.Goroutines(nil, func(g api.Goroutine) bool {
		if g.Status == "running" && len(running) < 8 {
			running = append(running, g)
		}
		r := 0
		active := g.Status != "waiting" && g.Status != "syscall" && g.Status != "dead" && g.Status != "idle"
		switch {
		case g.Status == "running" && userCode(g.CurrentLoc.Function):
			r = 4
		case active && userCode(g.CurrentLoc.Function):
			r = 3
		case g.Status == "running" && userCode(g.UserLoc.Function):
			r = 2
		case active && userCode(g.UserLoc.Function):
			r = 1
		}
		if r > rank {
			best, rank = &g, r
		}
		return r < 4
	})
	if best == nil {
		best = s.deepUserGoroutine(running)
	}
	if best == nil || (s.stop.g != nil && best.ID == s.stop.g.ID) {
		return
	}
	if _, err := s.client.SwitchGoroutine(best.ID); err != nil {
		return
	}
	s.stop = stopInfo{thread: int(best.ID), g: best}
	s.sel = selection{ok: true, thread: s.stop.thread}
}

// userCode reports whether fn is the program's rather than the runtime's
// or a system call's.
func userCode(fn string) bool {
	return fn != "" && !isRuntime(fn) && !strings.HasPrefix(fn, "syscall.")
}

// deepUserGoroutine finds, among running goroutines whose user frame was
// not found (being preempted: runtime.asyncPreempt2), one with user code
// deeper in its stack.
func (s *session) deepUserGoroutine(running []api.Goroutine) *api.Goroutine {
	for i := range running {
		g := &running[i]
		if _, err := s.client.SwitchGoroutine(g.ID); err != nil {
			continue
		}
		frames, err := s.client.Stacktrace(64, false)
		if err != nil {
			continue
		}
		for _, f := range frames {
			if userCode(f.Location.Function) {
				return g
			}
		}
	}
	s.sel = selection{} // the selection moved
	return nil
}
