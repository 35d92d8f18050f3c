package native

import (
	"errors"
	"fmt"
	"os"
	"strings"
	"testing"

	"github.com/godbg/godbg/internal/fixtures"
	"github.com/godbg/godbg/pkg/proc"
)

func TestCatchSyscallWrite(t *testing.T) {
	bin := fixtures.Build(t, "bpfix.c")
	p, lines := launchPiped(t, bin, "1", "1")
	var traced []proc.Syscall
	p.SetEventHandler(func(e proc.Event) {
		if e.Kind == proc.EventSyscall && e.Syscall.Nr == 1 {
			traced = append(traced, *e.Syscall)
		}
	})
	p.SetSyscallCatch(func(nr uint64) bool { return nr == 1 }, true) // write
	st, err := p.Continue()
	if err != nil || st.Reason != proc.StopSyscall || !st.Syscall.Entry {
		t.Fatalf("first stop %+v %v", st, err)
	}
	sc := st.Syscall
	buf := make([]byte, sc.Args[2])
	if _, err := p.ReadMemory(sc.Args[1], buf); err != nil {
		t.Fatal(err)
	}
	if sc.Args[0] != 1 || string(buf) != "sum 1\n" {
		t.Fatalf("write(%d, %q)", sc.Args[0], buf)
	}
	if ok, m := fixtures.AllStopped(p.Pid()); !ok {
		t.Fatalf("not all stopped at the catch: %v", m)
	}
	st, err = p.Continue()
	if err != nil || st.Reason != proc.StopSyscall || st.Syscall.Entry || st.Syscall.Ret != 6 {
		t.Fatalf("exit stop %+v %v", st, err)
	}
	if got := <-lines; got != "sum 1" {
		t.Fatalf("program printed %q", got)
	}
	p.SetSyscallCatch(nil, false)
	if st, err = p.Continue(); err != nil || st.Reason != proc.StopExited {
		t.Fatalf("final stop %+v %v", st, err)
	}
	if len(traced) != 2 || !traced[0].Entry || traced[1].Entry || traced[1].Ret != 6 {
		t.Fatalf("traced writes: %+v", traced)
	}
}

// launchFiltered launches bin under a seccomp filter for the given calls
// and catches every call, relying on the filter alone.
func launchFiltered(t *testing.T, bin string, filter []uint64, args ...string) (proc.Process, chan string) {
	t.Helper()
	r, w, _ := os.Pipe()
	p, err := Launch(LaunchConfig{Path: bin, Args: args, Stdout: w, SyscallFilter: filter})
	w.Close()
	if err != nil {
		t.Fatal(err)
	}
	lines := make(chan string, 1000)
	go readLines(r, lines)
	t.Cleanup(func() {
		if !p.Exited() {
			p.Kill()
		}
		r.Close()
	})
	p.SetSyscallCatch(func(uint64) bool { return true }, false)
	p.UseSyscallFilter(true)
	return p, lines
}

func TestSyscallFilterStopsOnlyAtFilteredCalls(t *testing.T) {
	bin := fixtures.Build(t, "bpfix.c")
	p, lines := launchFiltered(t, bin, []uint64{1}, "2", "3") // write
	if got := p.SyscallFilter(); len(got) != 1 || got[0] != 1 {
		t.Fatalf("SyscallFilter() = %v", got)
	}
	status, _ := os.ReadFile(fmt.Sprintf("/proc/%d/status", p.Pid()))
	if !strings.Contains(string(status), "Seccomp:\t2") {
		t.Fatalf("no seccomp filter in the program:\n%s", status)
	}
	if exe, _ := os.Readlink(fmt.Sprintf("/proc/%d/exe", p.Pid())); exe != bin {
		t.Fatalf("the program is %s, want %s (the trampoline must have executed it)", exe, bin)
	}
	// Two threads, thread creation, mmap, futex...: only the one write stops.
	st, err := p.Continue()
	if err != nil || st.Reason != proc.StopSyscall || !st.Syscall.Entry || st.Syscall.Nr != 1 || st.Syscall.Args[0] != 1 {
		t.Fatalf("first stop %+v %v", st, err)
	}
	if ok, m := fixtures.AllStopped(p.Pid()); !ok {
		t.Fatalf("not all stopped at the catch: %v", m)
	}
	st, err = p.Continue()
	if err != nil || st.Reason != proc.StopSyscall || st.Syscall.Entry || st.Syscall.Ret != 7 {
		t.Fatalf("exit stop %+v %v", st, err)
	}
	if got := <-lines; got != "sum 24" {
		t.Fatalf("program printed %q", got)
	}
	if st, err = p.Continue(); err != nil || st.Reason != proc.StopExited || st.ExitCode != 0 {
		t.Fatalf("final stop %+v %v", st, err)
	}
}

// A child of a filtered program keeps the filter: it is kept traced (its
// filtered calls would fail with ENOSYS untraced) and never stops.
func TestSyscallFilterKeepsChildrenTraced(t *testing.T) {
	bin := fixtures.Build(t, "forkfix.c")
	p, lines := launchFiltered(t, bin, []uint64{1}, "spawn", "alpha")
	if err := p.Detach(); !errors.Is(err, ErrFilterDetach) {
		t.Fatalf("Detach of a filtered program: %v", err)
	}
	var stops []int
	for {
		st, err := p.Continue()
		if err != nil {
			t.Fatal(err)
		}
		if st.Reason == proc.StopExited {
			break
		}
		if st.Reason != proc.StopSyscall || st.Pid != p.Pid() {
			t.Fatalf("stop %+v: only the parent's writes should stop", st)
		}
		stops = append(stops, st.Pid)
	}
	got := []string{<-lines, <-lines}
	if !strings.HasPrefix(got[0], "leaf alpha pid") || got[1] != "child alpha status 3" {
		t.Fatalf("program printed %q", got)
	}
	if len(stops) != 2 { // "child alpha status 3": entry and exit
		t.Fatalf("%d stops, want 2", len(stops))
	}
}
