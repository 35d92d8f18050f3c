package terminal

import (
	"fmt"
	"io"
	"os"
	"path/filepath"
	"strings"
	"sync"

	"github.com/godbg/godbg/service/api"
)

// SyncWriter serialises writes from the prompt and from event callbacks.
type SyncWriter struct {
	mu sync.Mutex
	w  io.Writer
}

func NewSyncWriter(w io.Writer) *SyncWriter { return &SyncWriter{w: w} }

func (s *SyncWriter) Write(b []byte) (int, error) {
	s.mu.Lock()
	defer s.mu.Unlock()
	return s.w.Write(b)
}

// PrintEvent writes one asynchronous event as a line: "[new thread 1235]".
func PrintEvent(w io.Writer, e api.Event) {
	switch e.Kind {
	case "new-thread":
		fmt.Fprintf(w, "[new thread %d]\n", e.Tid)
	case "thread-exited":
		fmt.Fprintf(w, "[thread %d exited]\n", e.Tid)
	case "signal":
		fmt.Fprintf(w, "[thread %d received %s, passed to the program]\n", e.Tid, e.Signal)
	case "exec":
		fmt.Fprintf(w, "[process %d executed a new program]\n", e.Pid)
	}
}

// PrintState writes what a stop means, then where the current thread is.
func PrintState(w io.Writer, st *api.State) {
	switch st.Reason {
	case "exited":
		if st.KilledBy != "" {
			fmt.Fprintf(w, "Process %d was killed by signal %s\n", st.Pid, st.KilledBy)
		} else {
			fmt.Fprintf(w, "Process %d has exited with status %d\n", st.Pid, st.ExitCode)
		}
		return
	case "launched":
		fmt.Fprintf(w, "Process %d launched, stopped before its first instruction\n", st.Pid)
	case "attached":
		fmt.Fprintf(w, "Attached to process %d (%d threads, all stopped)\n", st.Pid, st.Threads)
	case "halted":
		fmt.Fprintf(w, "Process %d halted (%d threads stopped)\n", st.Pid, st.Threads)
	case "signal":
		fmt.Fprintf(w, "Thread %d received signal %s; continue delivers it to the program\n", st.StopThread, st.Signal)
	case "trap":
		fmt.Fprintf(w, "Thread %d stopped at a breakpoint instruction (int3) in the program\n", st.StopThread)
	case "thread-exited":
		fmt.Fprintf(w, "Thread %d exited\n", st.StopThread)
	}
	if st.CurrentThread != nil {
		fmt.Fprintf(w, "> %s (thread %d)\n", formatLocation(st.CurrentThread.Location), st.CurrentThread.ID)
	}
}

// formatLocation renders "main.main() ./main.go:12 (PC: 0x4a1b2c)".
func formatLocation(l api.Location) string {
	return fmt.Sprintf("%s (PC: %#x)", formatWhere(l), l.PC)
}

// shortPath shows files under the working directory as ./rel.
func shortPath(p string) string {
	wd, err := os.Getwd()
	if err != nil || p == "" {
		return p
	}
	if rel, err := filepath.Rel(wd, p); err == nil && !strings.HasPrefix(rel, "..") {
		return "./" + rel
	}
	return p
}
