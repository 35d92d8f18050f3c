package core

import (
	"fmt"
	"os"
	"sort"
	"strings"

	"github.com/godbg/godbg/pkg/proc"
)

// A core file is a target to inspect only: it implements proc.Inspector
// and proc.Mapper, and nothing that runs (see process_test.go).
var (
	_ proc.Inspector = (*cproc)(nil)
	_ proc.Mapper    = (*cproc)(nil)
)

// cproc is a core file as a proc.Inspector: threads and memory as they
// were when the core was dumped.
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

// Close (io.Closer) closes the core file and the executable; later reads
// fail.
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
// It returns nil for any other target.
func StopOf(p proc.Inspector) *proc.Stop {
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
