package native

import (
	"fmt"
	"os"
	"os/exec"
	"sort"
	"strconv"
	"strings"

	"github.com/godbg/godbg/pkg/proc"
)

// nproc is one traced process, a target of its session. Owned by the
// tracer thread (or by the single caller goroutine while it is idle).
type nproc struct {
	pid      int
	parent   int
	launched bool
	s        *session
	ex       *executor
	threads  map[int]*nthread
	mem      *os.File
	cmd      *exec.Cmd

	exited   bool
	execed   bool // it executed a program since it was adopted (vforkWaits)
	detached bool
	exitCode int
	killedBy int

	// quiet: breakpoint hits never stop this process.
	quiet bool
	// detachSoon: let go at the next chance (follow-fork-mode child);
	// handOver is the child that takes over as primary target then.
	detachSoon bool
	handOver   int

	bps map[uint64]*breakpoint
	// inserted: the int3s are in the text (only while threads run).
	inserted bool
	// writable: text pages a breakpoint's byte was written to since the
	// threads last ran (their check is not repeated: issue 12);
	// bpWrites counts the writes SetBreakpoint and ClearBreakpoint made
	// (for tests).
	writable   map[uint64]bool
	bpWrites   int
	scratch    *scratch
	farScratch uint64
	// slots maps an address to the scratch slot made for it, reused
	// when a breakpoint is set there again (the text does not change).
	slots map[uint64]uint64
	// slotOf maps a slot back to its instruction; areas lists every
	// scratch area mapped in this process (unmapped before a detach).
	slotOf map[uint64]slotBack
	areas  []uint64

	// watch: debug-register watchpoints (watch_linux_amd64.go).
	watch *hwWatches
	pages *pageWatches
	// call: memory for string literals passed to calls (call_linux_amd64.go).
	arena *dataArena
	// plan: textPages are the text pages SetBreakpoint read while the
	// threads stay stopped (textcache_linux.go). textReads counts the
	// pages read for it (for tests).
	textPages []*textPage
	textReads int
	// plan: prepared keeps what prepare found for each address
	// (bpcache_linux.go); decodes counts prepare's decodes (for tests).
	prepared map[uint64]preparedBP
	decodes  int
	// arm: breakpoints staged for a planned step (staged_linux.go).
	staged stagedBPs
}

func newProcess(pid int, launched bool, s *session) *nproc {
	return &nproc{
		pid:      pid,
		launched: launched,
		s:        s,
		ex:       s.ex,
		threads:  make(map[int]*nthread),
		bps:      make(map[uint64]*breakpoint),
	}
}

func (p *nproc) addThread(tid int) *nthread {
	t := &nthread{tid: tid, p: p, running: true}
	p.threads[tid] = t
	p.s.tids[tid] = p
	return t
}

func (p *nproc) emit(kind proc.EventKind, tid, sig int) {
	p.s.emit(proc.Event{Kind: kind, Pid: p.pid, Tid: tid, Signal: sig})
}

func (p *nproc) emitSignal(tid, sig int, passed bool) {
	p.s.emit(proc.Event{Kind: proc.EventSignal, Pid: p.pid, Tid: tid, Signal: sig, Passed: passed})
}

func (p *nproc) Pid() int       { return p.pid }
func (p *nproc) Parent() int    { return p.parent }
func (p *nproc) Launched() bool { return p.launched }
func (p *nproc) Exited() bool   { return p.exited }

func (p *nproc) SetEventHandler(fn func(proc.Event)) {
	if fn == nil {
		fn = func(proc.Event) {}
	}
	p.s.onEvent = fn
}

// SetSignalPolicy replaces the signal policy (see proc.DefaultSignalPolicy).
func (p *nproc) SetSignalPolicy(fn func(int) proc.SignalPolicy) {
	if fn == nil {
		fn = proc.DefaultSignalPolicy
	}
	p.s.policy = fn
}

func (p *nproc) SetForkPolicy(fn func(proc.Fork) proc.ForkAction) { p.s.forkPolicy = fn }
func (p *nproc) SetQuiet(q bool)                                  { p.quiet = q }
func (p *nproc) SetStopOnExec(on bool)                            { p.s.stopOnExec = on }
func (p *nproc) RequestHalt()                                     { p.s.requestHalt() }

func (p *nproc) Targets() []proc.Process {
	var out []proc.Process
	for _, q := range p.s.sortedProcs() {
		out = append(out, q)
	}
	return out
}

func (p *nproc) CommandLine() []string {
	b, err := os.ReadFile("/proc/" + strconv.Itoa(p.pid) + "/cmdline")
	if err != nil || len(b) == 0 {
		return nil
	}
	return strings.Split(strings.TrimSuffix(string(b), "\x00"), "\x00")
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
	return &proc.Stop{Reason: proc.StopExited, Pid: p.pid, ExitCode: p.exitCode, KilledBy: p.killedBy}
}

// forgetThread drops tid and, if it was the halt wake-up target, picks another.
func (p *nproc) forgetThread(tid int) {
	delete(p.threads, tid)
	if p.s.tids[tid] == p {
		delete(p.s.tids, tid)
	}
	s := p.s
	s.haltMu.Lock()
	delete(s.haltSent, tid)
	if s.wakeTid == tid {
		s.pickWake()
		if s.wakeTid == tid {
			s.wakeTid = 0
			for other := range p.threads {
				s.wakePid, s.wakeTid = p.pid, other
				break
			}
		}
	}
	s.haltMu.Unlock()
}
