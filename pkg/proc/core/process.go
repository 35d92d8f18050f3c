package core

import (
	"fmt"
	"os"
	"sort"
	"strings"

	"github.com/godbg/godbg/pkg/proc"
)

var _ proc.Process = (*cproc)(nil)

// cproc is a core file as a proc.Process: threads and memory as they
// were when the core was dumped, and nothing that runs.
type cproc struct {
	c        *coreFile
	mem      memory
	exe      string
	exeFile  *os.File
	bias     uint64
	pid      int
	entry    uint64
	hasEntry bool
	closed   bool
}

func (p *cproc) Pid() int           { return p.pid }
func (p *cproc) Executable() string { return p.exe }
func (p *cproc) Launched() bool     { return false }
func (p *cproc) Exited() bool       { return false }
func (p *cproc) Parent() int        { return 0 }

func (p *cproc) EntryPoint() (uint64, error) { return p.entry, nil }

// Threads returns the threads ordered by tid.
func (p *cproc) Threads() []proc.Thread {
	ts := make([]*thread, len(p.c.threads))
	copy(ts, p.c.threads)
	sort.Slice(ts, func(i, j int) bool { return ts[i].tid < ts[j].tid })
	out := make([]proc.Thread, len(ts))
	for i, t := range ts {
		out[i] = t
	}
	return out
}

func (p *cproc) Thread(tid int) (proc.Thread, bool) {
	for _, t := range p.c.threads {
		if t.tid == tid {
			return t, true
		}
	}
	return nil, false
}

func (p *cproc) ReadMemory(addr uint64, buf []byte) (int, error) {
	if p.closed {
		return 0, fmt.Errorf("core file %s is closed: %w", p.c.name, proc.ErrDetached)
	}
	return p.mem.ReadMemory(addr, buf)
}

// ReadText is ReadMemory: a core has no breakpoints to hide.
func (p *cproc) ReadText(addr uint64, buf []byte) (int, error) { return p.ReadMemory(addr, buf) }

// CommandLine is the argument string of NT_PRPSINFO (the first 80 bytes,
// split at spaces), or the executable's name.
func (p *cproc) CommandLine() []string {
	if p.c.ps != nil && p.c.ps.psargs != "" {
		return strings.Fields(p.c.ps.psargs)
	}
	return []string{p.exe}
}

func (p *cproc) Targets() []proc.Process { return []proc.Process{p} }
func (p *cproc) SyscallFilter() []uint64 { return nil }

// Settings that only matter while a process runs are accepted and ignored.
func (p *cproc) SetEventHandler(func(proc.Event))              {}
func (p *cproc) SetSignalPolicy(func(int) proc.SignalPolicy)   {}
func (p *cproc) SetSyscallCatch(func(uint64) bool, bool)       {}
func (p *cproc) UseSyscallFilter(bool)                         {}
func (p *cproc) SetStopOnExec(bool)                            {}
func (p *cproc) SetForkPolicy(func(proc.Fork) proc.ForkAction) {}
func (p *cproc) SetQuiet(bool)                                 {}
func (p *cproc) RequestHalt()                                  {}

func (p *cproc) Continue() (*proc.Stop, error) { return nil, cannotRun("continue") }
func (p *cproc) StepInstruction(tid int) (*proc.Stop, error) {
	return nil, cannotRun("stepping")
}
func (p *cproc) QueueSignal(tid, sig int) error { return cannotRun("delivering a signal") }
func (p *cproc) WriteMemory(addr uint64, data []byte) (int, error) {
	return 0, readOnly("writing memory")
}
func (p *cproc) SetBreakpoint(addr uint64, cond proc.BreakCond) error {
	return cannotRun("a breakpoint")
}
func (p *cproc) ClearBreakpoint(addr uint64) error { return cannotRun("a breakpoint") }

// Detach and Kill fail: there is no process to let go or kill. Close
// (io.Closer) releases the files.
func (p *cproc) Detach() error { return cannotRun("detaching") }
func (p *cproc) Kill() error   { return cannotRun("kill") }

// Close closes the core file and the executable; later reads fail.
func (p *cproc) Close() error {
	if p.closed {
		return nil
	}
	p.closed = true
	if f, ok := p.c.r.(*os.File); ok {
		f.Close()
	}
	return p.exeFile.Close()
}

// StopOf describes why a process read from a core file stopped: the
// signal that killed it (or made the dump) and the thread that took it.
// It returns nil for any other proc.Process.
func StopOf(p proc.Process) *proc.Stop {
	cp, ok := p.(*cproc)
	if !ok {
		return nil
	}
	t := cp.c.current
	if t.sig == 0 {
		return &proc.Stop{Reason: proc.StopHalted, Pid: cp.pid, Tid: t.tid}
	}
	return &proc.Stop{Reason: proc.StopSignal, Pid: cp.pid, Tid: t.tid, Signal: t.sig}
}
