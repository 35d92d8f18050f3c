package terminal

import (
	"fmt"
	"io"
	"os"
	"path/filepath"
	"strconv"
	"strings"
	"sync"
	"time"

	"github.com/godbg/godbg/service/api"
)

// SyncWriter serialises writes from the prompt and from event callbacks.
// Event lines are buffered (a program that makes thousands of threads
// would otherwise pay a write per line) and flushed within eventDelay, or
// before anything else is written.
type SyncWriter struct {
	mu      sync.Mutex
	w       io.Writer
	events  []byte
	pending bool // a flush is scheduled
}

const eventDelay = 50 * time.Millisecond

func NewSyncWriter(w io.Writer) *SyncWriter { return &SyncWriter{w: w} }

func (s *SyncWriter) Write(b []byte) (int, error) {
	s.mu.Lock()
	defer s.mu.Unlock()
	s.flushLocked()
	return s.w.Write(b)
}

// Event queues one event line.
func (s *SyncWriter) Event(e api.Event) {
	s.mu.Lock()
	defer s.mu.Unlock()
	s.events = appendEvent(s.events, e)
	if len(s.events) > 32<<10 {
		s.flushLocked()
		return
	}
	if !s.pending {
		s.pending = true
		time.AfterFunc(eventDelay, s.Flush)
	}
}

// Flush writes the queued event lines.
func (s *SyncWriter) Flush() {
	s.mu.Lock()
	defer s.mu.Unlock()
	s.flushLocked()
	s.pending = false
}

func (s *SyncWriter) flushLocked() {
	if len(s.events) > 0 {
		s.w.Write(s.events)
		s.events = s.events[:0]
	}
}

// PrintEvent writes one asynchronous event as a line: "[new thread 1235]".
func PrintEvent(w io.Writer, e api.Event) { w.Write(appendEvent(nil, e)) }

func appendEvent(b []byte, e api.Event) []byte {
	switch e.Kind {
	case "new-thread":
		b = append(b, "[new thread "...)
		b = strconv.AppendInt(b, int64(e.Tid), 10)
		b = append(b, "]\n"...)
	case "thread-exited":
		b = append(b, "[thread "...)
		b = strconv.AppendInt(b, int64(e.Tid), 10)
		b = append(b, " exited]\n"...)
	case "signal":
		if e.Passed {
			b = fmt.Appendf(b, "[thread %d received %s, passed to the program]\n", e.Tid, e.Signal)
		} else {
			b = fmt.Appendf(b, "[thread %d received %s, not passed to the program]\n", e.Tid, e.Signal)
		}
	case "fork", "vfork":
		if e.Kept {
			b = fmt.Appendf(b, "[process %d %sed child process %d, kept as a target]\n", e.Parent, e.Kind, e.Pid)
		} else {
			b = fmt.Appendf(b, "[process %d %sed child process %d, detached from it]\n", e.Parent, e.Kind, e.Pid)
		}
	case "exec":
		b = fmt.Appendf(b, "[process %d executed a new program]\n", e.Pid)
	case "follow-exec":
		b = fmt.Appendf(b, "[following process %d: %s]\n", e.Pid, e.Text)
	case "process-exited":
		if e.Signal != "" {
			b = fmt.Appendf(b, "[process %d was killed by signal %s]\n", e.Pid, e.Signal)
		} else {
			b = fmt.Appendf(b, "[process %d exited with status %d]\n", e.Pid, e.ExitCode)
		}
	case "breakpoint-resolved", "events-lost":
		b = fmt.Appendf(b, "[%s]\n", e.Text)
	case "detached":
		b = fmt.Appendf(b, "[detached from process %d]\n", e.Pid)
	case "syscall":
		b = fmt.Appendf(b, "[thread %d] %s\n", e.Tid, e.Text)
	}
	return b
}

// PrintState writes what a stop means, then where the current thread is.
func PrintState(w io.Writer, st *api.State) {
	if st.Targets > 1 && st.Reason != "exited" && st.Reason != "fork" {
		fmt.Fprintf(w, "[process %d] ", st.Pid)
	}
	if st.Core != "" {
		fmt.Fprintf(w, "Core file %s of process %d (%d threads)", st.Core, st.Pid, st.Threads)
		if st.Signal != "" {
			fmt.Fprintf(w, ": thread %d received %s", st.StopThread, st.Signal)
		}
		fmt.Fprintln(w)
		if st.CurrentThread != nil {
			fmt.Fprintf(w, "> %s (thread %d)\n", formatLocation(st.CurrentThread.Location), st.CurrentThread.ID)
		}
		return
	}
	switch st.Reason {
	case "exited":
		if st.KilledBy != "" {
			fmt.Fprintf(w, "Process %d was killed by signal %s\n", st.Pid, st.KilledBy)
		} else {
			fmt.Fprintf(w, "Process %d has exited with status %d\n", st.Pid, st.ExitCode)
		}
		if st.NowPid != 0 {
			fmt.Fprintf(w, "Current target is now process %d (target list shows all %d)\n", st.NowPid, st.Targets)
		}
		return
	case "fork":
		verb := "forked"
		if st.VFork {
			verb = "vforked"
		}
		if st.Breakpoint != nil {
			fmt.Fprintf(w, "%s ", bpLabel(st.Breakpoint))
		}
		fmt.Fprintf(w, "Process %d %s child process %d (thread %d)\n", st.Pid, verb, st.Child, st.StopThread)
	case "exec":
		if st.Breakpoint != nil {
			fmt.Fprintf(w, "%s ", bpLabel(st.Breakpoint))
		}
		fmt.Fprintf(w, "Process %d executed %s\n", st.Pid, st.Exec)
	case "launched":
		fmt.Fprintf(w, "Process %d launched, stopped before its first instruction\n", st.Pid)
	case "attached":
		fmt.Fprintf(w, "Attached to process %d (%d threads, all stopped)\n", st.Pid, st.Threads)
	case "halted":
		fmt.Fprintf(w, "Process %d halted (%d threads stopped)\n", st.Pid, st.Threads)
	case "signal":
		if st.Breakpoint != nil {
			fmt.Fprintf(w, "%s ", bpLabel(st.Breakpoint))
		}
		if st.SignalPasses {
			fmt.Fprintf(w, "Thread %d received signal %s; continue delivers it to the program\n", st.StopThread, st.Signal)
		} else {
			fmt.Fprintf(w, "Thread %d received signal %s; it will not be delivered (handle %s pass changes that)\n",
				st.StopThread, st.Signal, st.Signal)
		}
	case "trap":
		fmt.Fprintf(w, "Thread %d stopped at a breakpoint instruction (int3) in the program\n", st.StopThread)
	case "thread-exited":
		fmt.Fprintf(w, "Thread %d exited\n", st.StopThread)
	case "syscall":
		if sc := st.Syscall; sc != nil && sc.Entry {
			fmt.Fprintf(w, "Thread %d entered system call %s %s\n", st.StopThread, sc.Call, bpLabel(st.Breakpoint))
		} else if sc != nil {
			fmt.Fprintf(w, "Thread %d returned from system call %s = %s\n", st.StopThread, sc.Call, sc.Result)
		}
	case "watchpoint": // watch
		printWatchStop(w, st)
		return
	case "breakpoint":
		if st.CondError != "" {
			fmt.Fprintf(w, "Stopped because a condition could not be evaluated: %s\n", st.CondError)
		}
		if st.CurrentThread != nil {
			fmt.Fprintf(w, "> %s %s (hits %s) (PC: %#x) (thread %d)\n", bpLabel(st.Breakpoint),
				formatWhere(st.CurrentThread.Location), hitsTextG(st.Breakpoint, st.StopThread, st.StopGoroutine),
				st.CurrentThread.Location.PC, st.CurrentThread.ID)
			return
		}
	}
	if st.CurrentThread != nil {
		fmt.Fprintf(w, "> %s (thread %d)\n", formatLocation(st.CurrentThread.Location), st.CurrentThread.ID)
	}
}

// bpLabel is "[Breakpoint 1]" or "[name]".
func bpLabel(b *api.Breakpoint) string {
	switch {
	case b == nil:
		return "[Breakpoint]"
	case b.Name != "":
		return "[" + b.Name + "]"
	case b.Catch:
		return fmt.Sprintf("[Catchpoint %d]", b.ID)
	case b.Watch != nil: // watch
		return fmt.Sprintf("[Watchpoint %d]", b.ID)
	}
	return fmt.Sprintf("[Breakpoint %d]", b.ID)
}

// hitsTextG is Delve's "goroutine(7):2 total:5" when the hit's goroutine
// is known (Go programs), else hitsText.
func hitsTextG(b *api.Breakpoint, tid int, goid int64) string {
	if b == nil || goid == 0 || b.HitsByGoroutine[goid] == 0 {
		return hitsText(b, tid)
	}
	return fmt.Sprintf("goroutine(%d):%d total:%d", goid, b.HitsByGoroutine[goid], b.TotalHits)
}

// hitsText is "thread(1234):2 total:5".
func hitsText(b *api.Breakpoint, tid int) string {
	if b == nil {
		return "total:?"
	}
	return fmt.Sprintf("thread(%d):%d total:%d", tid, b.HitsByThread[tid], b.TotalHits)
}

// printStop prints a stop, and the source around it when there is some.
func (t *Term) printStop(st *api.State) {
	PrintState(t.out, st)
	yieldCPU() // issue 12: the header's reader goes before the listing
	if st.Reason == "fork" && st.AskFork {
		nst, err := t.askFork(st)
		if err != nil {
			t.printf("Command failed: %v\n", err)
			return
		}
		t.printf("Following process %d.\n", nst.Pid)
		st = nst
	}
	switch st.Reason {
	case "breakpoint", "halted", "signal", "trap", "stepped", "watchpoint":
	default:
		return
	}
	if st.CurrentThread != nil && st.CurrentThread.Location.Line != 0 {
		if src, err := t.client.ListSource("", 2); err == nil {
			printSourceLines(t, src)
		}
	}
	t.showDisplays()
	if st.NextInProgress { // step: an interrupted step stays armed
		what := "breakpoint hit"
		if st.Reason != "breakpoint" {
			what = "stopped"
		}
		t.printf("\t%s during %s; continue completes the %s (next, step or stepout cancels it)\n", what, st.NextOp, st.NextOp)
	}
	if st.Reason == "breakpoint" {
		t.runOn(st)
	}
}

// wd is the working directory, for shortPath (godbg never changes it).
var (
	wdOnce sync.Once
	wd     string
	wdErr  error
)

// formatLocation renders "main.main() ./main.go:12 (PC: 0x4a1b2c)".
func formatLocation(l api.Location) string {
	return fmt.Sprintf("%s (PC: %#x)", formatWhere(l), l.PC)
}

// shortPath shows files under the working directory as ./rel.
func shortPath(p string) string {
	wdOnce.Do(func() { wd, wdErr = os.Getwd() })
	if wdErr != nil || p == "" || !strings.HasPrefix(p, wd) {
		return p
	}
	if rel, err := filepath.Rel(wd, p); err == nil && !strings.HasPrefix(rel, "..") {
		return "./" + rel
	}
	return p
}
