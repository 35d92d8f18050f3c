package native

import (
	"fmt"
	"os"
	"os/exec"
	"sort"
	"sync"
	"sync/atomic"

	"github.com/godbg/godbg/pkg/proc"
)

// nproc is one traced process. Every field but the halt fields is owned by
// the tracer thread (or by the single caller goroutine while the tracer is
// idle); the halt fields are guarded by haltMu.
type nproc struct {
	pid      int
	launched bool
	ex       *executor
	threads  map[int]*nthread
	mem      *os.File
	cmd      *exec.Cmd
	onEvent  func(proc.Event)
	policy   func(sig int) proc.SignalPolicy

	// tty is the controlling terminal's fd when a launched program is given
	// the terminal's foreground while it runs, or -1.
	tty int

	exited   bool
	detached bool
	exitCode int
	killedBy int

	// reports are stops observed while stopping the other threads; each is
	// returned by a later Continue before anything is resumed.
	reports []*proc.Stop

	stepTid int

	// early holds stopped tids whose creator's clone or fork event has
	// not been seen yet; forkKids the children of a fork or vfork event
	// whose first stop has not been seen yet (pid → event).
	early    map[int]bool
	forkKids map[int]int

	stopOnExec bool

	sysCatch func(uint64) bool
	sysTrace bool

	bps        map[uint64]*breakpoint
	scratch    *scratch
	farScratch uint64

	haltMu   sync.Mutex
	running  bool
	haltReq  atomic.Bool
	haltSent map[int]bool // threads sent a halt SIGSTOP not yet seen
	wakeTid  int          // a live thread to send a halt SIGSTOP to
}

func newProcess(pid int, launched bool, ex *executor) *nproc {
	return &nproc{
		pid:      pid,
		launched: launched,
		ex:       ex,
		threads:  make(map[int]*nthread),
		policy:   proc.DefaultSignalPolicy,
		tty:      -1,
		haltSent: make(map[int]bool),
		bps:      make(map[uint64]*breakpoint),
		early:    make(map[int]bool),
		forkKids: make(map[int]int),
		wakeTid:  pid,
		onEvent:  func(proc.Event) {},
	}
}

func (p *nproc) addThread(tid int) *nthread {
	t := &nthread{tid: tid, p: p, running: true}
	p.threads[tid] = t
	return t
}

func (p *nproc) emit(kind proc.EventKind, tid, sig int) {
	p.onEvent(proc.Event{Kind: kind, Pid: p.pid, Tid: tid, Signal: sig})
}

func (p *nproc) emitSignal(tid, sig int, passed bool) {
	p.onEvent(proc.Event{Kind: proc.EventSignal, Pid: p.pid, Tid: tid, Signal: sig, Passed: passed})
}

func (p *nproc) Pid() int       { return p.pid }
func (p *nproc) Launched() bool { return p.launched }
func (p *nproc) Exited() bool   { return p.exited }

func (p *nproc) SetEventHandler(fn func(proc.Event)) {
	if fn == nil {
		fn = func(proc.Event) {}
	}
	p.onEvent = fn
}

// SetSignalPolicy replaces the signal policy (see proc.DefaultSignalPolicy).
func (p *nproc) SetSignalPolicy(fn func(int) proc.SignalPolicy) {
	if fn == nil {
		fn = proc.DefaultSignalPolicy
	}
	p.policy = fn
}

func (p *nproc) Threads() []proc.Thread {
	out := make([]proc.Thread, 0, len(p.threads))
	for _, t := range p.sortedThreads() {
		out = append(out, t)
	}
	return out
}

func (p *nproc) sortedThreads() []*nthread {
	ts := make([]*nthread, 0, len(p.threads))
	for _, t := range p.threads {
		ts = append(ts, t)
	}
	sort.Slice(ts, func(i, j int) bool { return ts[i].tid < ts[j].tid })
	return ts
}

func (p *nproc) Thread(tid int) (proc.Thread, bool) {
	t, ok := p.threads[tid]
	if !ok {
		return nil, false
	}
	return t, true
}

func (p *nproc) exitErr() error {
	if p.detached {
		return fmt.Errorf("process %d: %w", p.pid, proc.ErrDetached)
	}
	return proc.ErrProcessExited{Pid: p.pid, ExitCode: p.exitCode, KilledBy: p.killedBy}
}

func (p *nproc) exitStop() *proc.Stop {
	return &proc.Stop{Reason: proc.StopExited, ExitCode: p.exitCode, KilledBy: p.killedBy}
}

// setRunning flips the state RequestHalt looks at.
func (p *nproc) setRunning(r bool) {
	p.haltMu.Lock()
	p.running = r
	if !r {
		p.haltReq.Store(false)
	}
	p.haltMu.Unlock()
}

// RequestHalt stops a running Continue or StepInstruction. Safe from any goroutine.
func (p *nproc) RequestHalt() {
	p.haltMu.Lock()
	defer p.haltMu.Unlock()
	if !p.running || p.haltReq.Load() {
		return
	}
	p.haltReq.Store(true)
	// Wake the tracer's wait4 with a SIGSTOP to a live thread; the tracer
	// consumes it (see haltSent) and then stops the rest.
	if err := tgkill(p.pid, p.wakeTid, sigSTOP); err == nil {
		p.haltSent[p.wakeTid] = true
	}
}

// takeHaltStop reports whether a SIGSTOP on tid was a halt request's.
func (p *nproc) takeHaltStop(tid int) bool {
	p.haltMu.Lock()
	defer p.haltMu.Unlock()
	if p.haltSent[tid] {
		delete(p.haltSent, tid)
		return true
	}
	return false
}

// forgetThread drops tid and, if it was the halt wake-up target, picks another.
func (p *nproc) forgetThread(tid int) {
	delete(p.threads, tid)
	p.haltMu.Lock()
	delete(p.haltSent, tid)
	if p.wakeTid == tid {
		p.wakeTid = p.pid
		for other := range p.threads {
			p.wakeTid = other
			break
		}
	}
	p.haltMu.Unlock()
}

func (p *nproc) SetStopOnExec(on bool) { p.stopOnExec = on }
