package native

import (
	"sort"
	"sync"
	"sync/atomic"

	"github.com/godbg/godbg/pkg/proc"
)

// session is everything one tracer thread controls: the processes it
// traces (the one launched or attached, and the children it keeps) and the
// all-stop over all of them. Every field but the halt fields is owned by
// the tracer thread (or by the single caller goroutine while the tracer is
// idle); the halt fields are guarded by haltMu.
type session struct {
	ex    *executor
	procs map[int]*nproc // live targets by pid
	tids  map[int]*nproc // every traced thread → its process

	// primary is the target the current Continue was called on: its exit
	// ends the Continue, another target's is only reported.
	primary *nproc

	onEvent    func(proc.Event)
	policy     func(sig int) proc.SignalPolicy
	forkPolicy func(proc.Fork) proc.ForkAction
	stopOnExec bool
	sysCatch   func(uint64) bool
	sysTrace   bool
	// filter is the set of calls the program's seccomp filter stops at
	// (nil: no filter); useFilter: catchpoints rely on it alone.
	filter    map[uint64]bool
	useFilter bool

	// tty is the controlling terminal's fd when a launched program is given
	// the terminal's foreground while it runs, or -1; fgPgrp its group.
	tty    int
	fgPgrp int

	// reports are stops observed while stopping the other threads; each is
	// returned by a later Continue before anything is resumed.
	reports []*proc.Stop

	stepTid int

	// early holds stopped tids whose creator's clone or fork event has
	// not been seen yet; forkKids the children of a fork or vfork event
	// let go whose first stop has not been seen yet (pid → event).
	early    map[int]bool
	forkKids map[int]forkKid

	haltMu   sync.Mutex
	running  bool
	haltReq  atomic.Bool
	haltSent map[int]bool // threads sent a halt SIGSTOP not yet seen
	wakePid  int          // a live thread (wakePid, wakeTid) to send a halt SIGSTOP to
	wakeTid  int

	guard *guardian // guard: restores the text if godbg dies (guard_linux.go)

	spin spinWait // churn: the run loop's wait polls while events come in bursts

	// quick is a thread a step runs (Prewake, issue 12): the next
	// Continue resumes it first and polls for a while for its stop.
	quick atomic.Int32
}

func newSession(ex *executor) *session {
	return &session{
		ex:       ex,
		procs:    make(map[int]*nproc),
		tids:     make(map[int]*nproc),
		policy:   proc.DefaultSignalPolicy,
		tty:      -1,
		haltSent: make(map[int]bool),
		early:    make(map[int]bool),
		forkKids: make(map[int]forkKid),
		onEvent:  func(proc.Event) {},
	}
}

// add makes p a target.
func (s *session) add(p *nproc) {
	s.procs[p.pid] = p
	if s.primary == nil {
		s.primary = p
		s.haltMu.Lock()
		s.wakePid, s.wakeTid = p.pid, p.pid
		s.haltMu.Unlock()
	}
}

// remove forgets an exited or detached target.
func (s *session) remove(p *nproc) {
	delete(s.procs, p.pid)
	for tid := range p.threads {
		p.forgetThread(tid)
	}
	if s.primary == p {
		s.primary = s.anyProc()
	}
	s.haltMu.Lock()
	if s.wakePid == p.pid {
		s.pickWake()
	}
	s.haltMu.Unlock()
	p.guardForget() // guard
}

func (s *session) anyProc() *nproc {
	var best *nproc
	for _, p := range s.procs {
		if best == nil || p.pid < best.pid {
			best = p
		}
	}
	return best
}

// pickWake chooses a new halt wake-up thread. haltMu held.
func (s *session) pickWake() {
	s.wakePid, s.wakeTid = 0, 0
	if p := s.primary; p != nil {
		s.wakePid, s.wakeTid = p.pid, p.pid
		if _, ok := p.threads[p.pid]; !ok {
			for tid := range p.threads {
				s.wakeTid = tid
				break
			}
		}
	}
}

func (s *session) sortedProcs() []*nproc {
	out := make([]*nproc, 0, len(s.procs))
	for _, p := range s.procs {
		out = append(out, p)
	}
	sort.Slice(out, func(i, j int) bool { return out[i].pid < out[j].pid })
	return out
}

func (s *session) emit(e proc.Event) { s.onEvent(e) }

// setRunning flips the state RequestHalt looks at. A pending halt request
// is not cleared: it lasts until a stop says halted (takeHalt).
func (s *session) setRunning(r bool) {
	s.haltMu.Lock()
	s.running = r
	s.haltMu.Unlock()
}

// requestHalt stops a running Continue or StepInstruction. Any goroutine.
// The request is kept until a Continue or StepInstruction returns
// StopHalted: one made while the tracer is between a stop it handled
// itself (a false condition, an in-place step) and the next resume, or
// between two Continues of the debugger, halts the next one at once.
func (s *session) requestHalt() {
	s.haltMu.Lock()
	defer s.haltMu.Unlock()
	if s.haltReq.Load() {
		return
	}
	s.haltReq.Store(true)
	if !s.running || s.wakeTid == 0 {
		return // seen by the next resume (runLoop, pause, cont, step)
	}
	if s.haltSent[s.wakeTid] {
		// The wake-up of an earlier request is still on its way (the
		// tracer took that request from haltReq before seeing its
		// SIGSTOP, and is about to stop everything): it wakes the tracer
		// for this one too. A second SIGSTOP would stay queued past the
		// all-stop and come back as somebody else's SIGSTOP.
		return
	}
	// Wake the tracer's wait4 with a SIGSTOP to a live thread; the tracer
	// consumes it (see haltSent) and then stops the rest.
	if err := tgkill(s.wakePid, s.wakeTid, sigSTOP); err == nil {
		s.haltSent[s.wakeTid] = true
	}
}

// halted returns the stop a pending halt request makes, consuming the
// request, or nil. Tracer thread.
func (s *session) halted() *proc.Stop {
	if !s.haltReq.Load() {
		return nil
	}
	s.haltReq.Store(false)
	pid := 0
	if s.primary != nil {
		pid = s.primary.pid
	}
	return &proc.Stop{Reason: proc.StopHalted, Pid: pid}
}

// takeHaltStop reports whether a SIGSTOP on tid was a halt request's.
func (s *session) takeHaltStop(tid int) bool {
	s.haltMu.Lock()
	defer s.haltMu.Unlock()
	if s.haltSent[tid] {
		delete(s.haltSent, tid)
		return true
	}
	return false
}

// ownStop consumes a SIGSTOP thread t got from us while the tracer stepped
// it alone (stepOne): one an all-stop queued, or a halt request's wake-up
// (the request itself stays pending and halts the next resume). It reports
// false for somebody else's SIGSTOP. Tracer thread.
func (s *session) ownStop(t *nthread) bool {
	if t.stopQueued {
		t.stopQueued = false
		return true
	}
	return s.takeHaltStop(t.tid)
}

// setWake directs halt requests at one thread (the one a step runs).
func (s *session) setWake(pid, tid int) {
	s.haltMu.Lock()
	s.wakePid, s.wakeTid = pid, tid
	s.haltMu.Unlock()
}

// takeReport returns the oldest stop collected earlier whose thread is
// still there.
func (s *session) takeReport() *proc.Stop {
	for len(s.reports) > 0 {
		st := s.reports[0]
		s.reports = s.reports[1:]
		if p := s.tids[st.Tid]; p != nil && p.pid == st.Pid {
			return st
		}
		if st.Reason == proc.StopExited {
			return st
		}
	}
	return nil
}

func (s *session) foreground(child bool) {
	if s.tty < 0 {
		return
	}
	fg := s.fgPgrp
	if !child {
		fg = 0
	}
	setForeground(s.tty, fg)
}

// forkKid is a child being let go whose first stop is still to come.
type forkKid struct {
	event  int
	parent int
}
