package native

import (
	"fmt"
	"os"
	"testing"
	"time"

	"github.com/godbg/godbg/internal/fixtures"
	"github.com/godbg/godbg/pkg/proc"
	"github.com/godbg/godbg/pkg/symbols"
)

// hotAddr returns the run-time address of hot's first statement.
func hotAddr(t *testing.T, bin string, p proc.Process) uint64 {
	t.Helper()
	return funcAddr(t, bin, p, "hot")
}

// funcAddr is the run-time address of a function's first statement.
func funcAddr(t *testing.T, bin string, p proc.Process, name string) uint64 {
	t.Helper()
	tab, err := symbols.Open(bin)
	if err != nil {
		t.Fatal(err)
	}
	defer tab.Close()
	fn, err := tab.LookupFunc(name)
	if err != nil {
		t.Fatal(err)
	}
	var bias uint64
	if tab.PIE() {
		entry, err := p.EntryPoint()
		if err != nil {
			t.Fatal(err)
		}
		bias = entry - tab.Entry()
	}
	return tab.FirstStmtPC(fn) + bias
}

func expectedSum(threads, n int) int {
	s := 0
	for id := 0; id < threads; id++ {
		for i := 0; i < n; i++ {
			s += 2*(i+id) + 1
		}
	}
	return s
}

func launchPiped(t *testing.T, bin string, args ...string) (proc.Process, chan string) {
	r, w, _ := os.Pipe()
	p, err := Launch(LaunchConfig{Path: bin, Args: args, Stdout: w})
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
	return p, lines
}

func TestBreakpointEveryHitCounted(t *testing.T) {
	bin := fixtures.Build(t, "bpfix.c")
	p, lines := launchPiped(t, bin, "10", "100")
	addr := hotAddr(t, bin, p)
	if err := p.SetBreakpoint(addr, nil); err != nil {
		t.Fatal(err)
	}
	hits := map[int]int{}
	total := 0
	continueToExit(t, p, func(st *proc.Stop) {
		if st.Addr != addr {
			t.Fatalf("stop %+v", st)
		}
		th, _ := p.Thread(st.Tid)
		r, _ := th.Registers()
		if r.PC() != addr {
			t.Fatalf("thread %d at %#x, want the breakpoint %#x", st.Tid, r.PC(), addr)
		}
		hits[st.Tid]++
		total++
	})
	if total != 1000 || len(hits) != 10 {
		t.Fatalf("%d hits on %d threads, want 1000 on 10", total, len(hits))
	}
	if got, want := <-lines, fmt.Sprintf("sum %d", expectedSum(10, 100)); got != want {
		t.Fatalf("program printed %q, want %q", got, want)
	}
}

func TestBreakpointFalseConditionNeverStops(t *testing.T) {
	bin := fixtures.Build(t, "bpfix.c")
	p, lines := launchPiped(t, bin, "10", "2000")
	addr := hotAddr(t, bin, p)
	evals := 0
	err := p.SetBreakpoint(addr, func(h proc.Hit) (bool, error) {
		evals++
		r, err := h.Registers()
		if err != nil || r.PC() != addr {
			return true, fmt.Errorf("hit at %#x: %v", r.PC(), err)
		}
		return false, nil
	})
	if err != nil {
		t.Fatal(err)
	}
	st, err := p.Continue()
	if err != nil || st.Reason != proc.StopExited || st.ExitCode != 0 {
		t.Fatalf("stop %+v %v", st, err)
	}
	if evals != 20000 {
		t.Fatalf("condition evaluated %d times, want 20000", evals)
	}
	if got, want := <-lines, fmt.Sprintf("sum %d", expectedSum(10, 2000)); got != want {
		t.Fatalf("program printed %q, want %q", got, want)
	}
}

func TestBreakpointConditionTrueAtIteration(t *testing.T) {
	bin := fixtures.Build(t, "bpfix.c")
	p, _ := launchPiped(t, bin, "1", "100")
	addr := hotAddr(t, bin, p)
	p.SetBreakpoint(addr, func(h proc.Hit) (bool, error) {
		r, _ := h.Registers()
		for _, x := range r.List(false) {
			if x.Name == "rdi" {
				return x.Value == 42, nil
			}
		}
		return false, nil
	})
	st, _ := p.Continue()
	if st.Reason != proc.StopBreakpoint {
		t.Fatalf("stop %+v", st)
	}
	th, _ := p.Thread(st.Tid)
	r, _ := th.Registers()
	for _, x := range r.List(false) {
		if x.Name == "rdi" && x.Value != 42 {
			t.Fatalf("stopped with rdi=%d", x.Value)
		}
	}
	if st, _ := p.StepInstruction(st.Tid); st.Reason != proc.StopStepped {
		t.Fatalf("stepi from breakpoint: %+v", st)
	}
	if err := p.ClearBreakpoint(addr); err != nil {
		t.Fatal(err)
	}
	if st, _ := p.Continue(); st.Reason != proc.StopExited {
		t.Fatalf("stop %+v", st)
	}
}

func TestDetachWithBreakpointsLeavesProgramRunning(t *testing.T) {
	bin := fixtures.Build(t, "bpfix.c")
	fx := fixtures.Start(t, bin, "1", "1", "loop")
	p := mustAttach(t, fx.Pid)
	addr := hotAddr(t, bin, p)
	if err := p.SetBreakpoint(addr, nil); err != nil {
		t.Fatal(err)
	}
	st, _ := p.Continue()
	if st.Reason != proc.StopBreakpoint {
		t.Fatalf("stop %+v", st)
	}
	if err := p.Detach(); err != nil {
		t.Fatal(err)
	}
	checkReleased(t, fx.Pid)
	for i := 0; i < 3; i++ {
		if _, err := fx.Expect("alive", 5*time.Second); err != nil {
			t.Fatal(err)
		}
	}
	text := make([]byte, 1)
	f, _ := os.Open(fmt.Sprintf("/proc/%d/mem", fx.Pid))
	defer f.Close()
	f.ReadAt(text, int64(addr))
	if text[0] == 0xcc {
		t.Fatal("int3 left in the text after detach")
	}
}

// TestForkChildLosesBreakpoints: a forked child gets a copy of the text
// with our int3s; they are removed before the child is let go, so it runs
// normally instead of dying of SIGTRAP.
func TestForkChildLosesBreakpoints(t *testing.T) {
	bin := fixtures.Build(t, "bpfix.c")
	p, lines := launchPiped(t, bin, "1", "50", "fork")
	addr := hotAddr(t, bin, p)
	if err := p.SetBreakpoint(addr, nil); err != nil {
		t.Fatal(err)
	}
	forks := 0
	p.SetEventHandler(func(e proc.Event) {
		if e.Kind == proc.EventFork {
			forks++
		}
	})
	hits := 0
	continueToExit(t, p, func(*proc.Stop) { hits++ })
	if got := <-lines; got != "child status 0" {
		t.Fatalf("program printed %q, want the child to exit 0", got)
	}
	if hits != 1 || forks != 1 {
		t.Fatalf("%d hits (want 1, the parent's), %d forks", hits, forks)
	}
}

// continueToExit continues until the process exits with status 0, calling
// onHit for each breakpoint stop; any other stop fails the test.
func continueToExit(t *testing.T, p proc.Process, onHit func(*proc.Stop)) {
	t.Helper()
	for {
		st, err := p.Continue()
		if err != nil {
			t.Fatal(err)
		}
		if st.Reason == proc.StopExited {
			if st.ExitCode != 0 || st.KilledBy != 0 {
				t.Fatalf("exit %+v", st)
			}
			return
		}
		if st.Reason != proc.StopBreakpoint {
			t.Fatalf("stop %+v", st)
		}
		onHit(st)
	}
}
