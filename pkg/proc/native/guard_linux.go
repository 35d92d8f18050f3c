package native

import (
	"fmt"
	"os"
	"os/exec"
	"sync"
	"syscall"
	"time"
)

// The guardian (issue 18 ★): a program attached by godbg must survive
// godbg being SIGKILLed while it runs with int3s in its text. When the
// first breakpoint of an attached process is about to be written (not at
// the attach itself: issue 12, attach cost) the tracer thread starts a guardian — its own executable again
// (/proc/self/exe) with envGuard set, in a session of its own so that a
// kill of godbg's process group does not reach it, with SIGWINCH as its
// parent-death signal — and keeps the write end of a pipe whose read end
// only the guardian holds. Every breakpoint address and its original byte
// is sent before the int3 can reach the text; on a clean end the debugger
// says "done". When the tracer thread dies (SIGWINCH, sent by the kernel
// right after it let the tracees go) the guardian puts the original bytes
// back through a /proc/PID/mem it opened earlier; at the pipe's EOF
// without "done" (godbg is gone) it does so again, waits until the
// process is no longer traced, seizes and interrupts every thread, moves
// a thread stopped by one of our int3s back to its address, and detaches
// (guardmain_linux.go).
//
// Messages, one line each (hex numbers): "B pid addr orig" a breakpoint,
// "C pid addr" its removal, "D pid" forget a process (detached, exited,
// executed a new program), "done". Only addresses whose byte is still
// 0xcc are restored, so a stale entry is harmless.

const (
	envGuard    = "_GODBG_GUARD"    // set: this process is a guardian
	envGuardLog = "GODBG_GUARD_LOG" // a file the guardian appends what it did to
	envNoGuard  = "GODBG_NO_GUARD"  // set: start no guardian (for comparisons)
)

// guardian is the debugger's side: the pipe to the guardian process.
type guardian struct {
	once  sync.Once // starts the process (ensure)
	mu    sync.Mutex
	w     *os.File // nil: no guardian (not started, failed to start, or gone)
	ready *os.File // the guardian's ack of its first breakpoint, until read
	pids  map[int]bool
}

// newGuardian returns the session's guardian, not yet started: the
// process is started by ensure when the first breakpoint is about to be
// written (an attach that writes none, e.g. attach + detach, pays
// nothing for it).
func newGuardian() *guardian {
	return &guardian{pids: make(map[int]bool)}
}

// ensure starts the guardian process once, from the tracer thread (its
// parent-death signal is tied to the thread that forks it): directly
// when called there, else through ex.
func (g *guardian) ensure(ex *executor) {
	g.once.Do(func() {
		if ex.onTracer() {
			g.start()
		} else {
			ex.run(g.start)
		}
	})
}

// start starts the guardian process; on failure the guardian sends
// nothing (a debugged program is then only as safe as without one).
// Tracer thread.
func (g *guardian) start() {
	if os.Getenv(envNoGuard) != "" {
		return
	}
	r, w, err := os.Pipe()
	if err != nil {
		return
	}
	defer r.Close()
	readyR, readyW, err := os.Pipe()
	if err != nil {
		w.Close()
		return
	}
	defer readyW.Close()
	cmd := exec.Command("/proc/self/exe")
	cmd.Env = append(os.Environ(), envGuard+"=1")
	cmd.ExtraFiles = []*os.File{r, readyW} // fd 3: messages; fd 4: the guardian's ack
	// Pdeathsig: started from the tracer thread, the guardian hears of
	// that thread's exit right after the kernel detached its tracees.
	// SIGWINCH because its default action is to ignore: one that comes
	// before the guardian listens must not kill it (the pipe's EOF still
	// comes). The guardian has no terminal to send a real one.
	cmd.SysProcAttr = &syscall.SysProcAttr{Setsid: true, Pdeathsig: syscall.SIGWINCH}
	if err := cmd.Start(); err != nil {
		w.Close()
		readyR.Close()
		return
	}
	// Not waited for: the tracer's wait4(-1) may reap it (an unknown pid
	// there is ignored).
	cmd.Process.Release()
	g.mu.Lock()
	g.w, g.ready = w, readyR
	g.mu.Unlock()
}

// guardReadyWait bounds the wait for the guardian's ack of its first
// breakpoint (its start on a loaded machine takes milliseconds).
const guardReadyWait = 2 * time.Second

// awaitReady waits, once, until the guardian has taken in the first
// breakpoint (it then listens for the tracer's death and holds the
// program's memory): started lazily, it must be as ready as one started
// at the attach before the program runs with an int3 in its text.
func (g *guardian) awaitReady() {
	g.mu.Lock()
	ready := g.ready
	g.ready = nil
	g.mu.Unlock()
	if ready == nil {
		return
	}
	defer ready.Close()
	ready.SetReadDeadline(time.Now().Add(guardReadyWait))
	var b [1]byte
	ready.Read(b[:])
}

func (g *guardian) send(pid int, format string, args ...any) {
	g.mu.Lock()
	defer g.mu.Unlock()
	if g.w == nil {
		return
	}
	if pid > 0 {
		g.pids[pid] = true
	}
	if _, err := fmt.Fprintf(g.w, format, args...); err != nil {
		g.w.Close()
		g.w = nil
	}
}

// guardBP tells the guardian about a breakpoint before its int3 can be
// written.
func (p *nproc) guardBP(bp *breakpoint) {
	if p.launched { // a launched program dies with godbg (PTRACE_O_EXITKILL)
		return
	}
	g := p.s.guard
	if g == nil {
		return
	}
	g.ensure(p.ex)
	g.send(p.pid, "B %x %x %x\n", p.pid, bp.addr, bp.orig[0])
	g.awaitReady()
}

// guardAll sends every breakpoint of p (a fork child's copied table).
func (p *nproc) guardAll() {
	for _, bp := range p.bps {
		p.guardBP(bp)
	}
}

func (p *nproc) guardClear(addr uint64) {
	if g := p.s.guard; g != nil {
		g.send(p.pid, "C %x %x\n", p.pid, addr)
	}
}

// guardForget: p is detached, exited or executed a new program. When
// the session has no process left, the guardian is told "done".
func (p *nproc) guardForget() {
	g := p.s.guard
	if g == nil {
		return
	}
	g.mu.Lock()
	known := g.pids[p.pid]
	delete(g.pids, p.pid)
	g.mu.Unlock()
	if known {
		g.send(0, "D %x\n", p.pid)
	}
	if len(p.s.procs) == 0 {
		g.done()
		p.s.guard = nil
	}
}

func (g *guardian) done() {
	g.send(0, "done\n")
	g.mu.Lock()
	defer g.mu.Unlock()
	if g.w != nil {
		g.w.Close()
		g.w = nil
	}
}
