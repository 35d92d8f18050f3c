package stack_test

import (
	"math/rand"
	"strings"
	"testing"
	"time"

	"github.com/godbg/godbg/pkg/proc"
	. "github.com/godbg/godbg/pkg/proc/stack"
)

// outermost are the functions a complete Go stack ends in.
var outermost = map[string]bool{
	"runtime.goexit": true, "runtime.mstart": true, "runtime.rt0_go": true,
	// On g0 after mcall, or after morestack when the goroutine was
	// descheduled (a preemption in newstack): no goroutine to go back to.
	"runtime.mcall": true, "runtime.morestack": true,
	// In gogo, switching to a goroutine's saved sp and pc (never returns).
	"gogo": true,
	// A new thread, stopped by the debugger right after the clone
	// system call returned in it: its stack is empty.
	"runtime.clone": true,
	// The process entry: a halt requested before the first Continue
	// resumed anything is honoured there (a halt request is kept).
	"_rt0_amd64_linux": true,
}

// TestGoHaltAnywhere halts a busy program at random moments — in
// prologues and epilogues, the scheduler, the garbage collector, stack
// growth, signal handlers — and unwinds every thread: each must reach an
// outermost function without error.
func TestGoHaltAnywhere(t *testing.T) {
	for _, flags := range [][]string{nil, optimized} {
		haltAnywhere(t, flags, 30)
	}
}

func haltAnywhere(t *testing.T, flags []string, n int) {
	s := launch(t, "stackfix", "main.go", flags, "busy:60")
	rng := rand.New(rand.NewSource(time.Now().UnixNano()))
	unwound := 0
	haltTimes(t, s.p, n, func() time.Duration { return time.Duration(1+rng.Intn(30)) * time.Millisecond }, func(halts int) {
		for _, th := range s.p.Threads() {
			frames, err := s.unwind(th, 0)
			unwound++
			if err != nil {
				t.Errorf("halt %d, thread %d: %v\n%s", halts, th.ID(), err, dump(frames))
				continue
			}
			if last := frames[len(frames)-1].Func; !outermost[last] {
				t.Errorf("halt %d, thread %d ends in %q:\n%s", halts, th.ID(), last, dump(frames))
			}
			checkShape(t, frames)
		}
	})
	t.Logf("%d stacks unwound in %d halts", unwound, n)
}

// haltTimes halts p n times, each after a delay from after, and calls
// at with the count of halts so far at each (other stops are skipped).
func haltTimes(t *testing.T, p proc.Process, n int, after func() time.Duration, at func(halts int)) {
	t.Helper()
	for halts := 0; halts < n; {
		stopHalting := haltAfter(p, after())
		st, err := p.Continue()
		stopHalting()
		if err != nil {
			t.Fatal(err)
		}
		if st.Reason == proc.StopExited {
			t.Fatalf("program exited after %d halts", halts)
		}
		if st.Reason != proc.StopHalted {
			continue
		}
		halts++
		at(halts)
	}
}

// haltAfter requests a halt after d and again every d until stopped (a
// request made before Continue resumed the threads is ignored).
func haltAfter(p proc.Process, d time.Duration) (stop func()) {
	done, exited := make(chan struct{}), make(chan struct{})
	go func() {
		defer close(exited)
		for {
			select {
			case <-done:
				return
			case <-time.After(d):
				p.RequestHalt()
			}
		}
	}()
	return func() { close(done); <-exited }
}

// TestGoVDSO halts a program that calls time.Now in a loop until a thread
// is in the vDSO, which no image passed to Unwind covers: the unwinder
// finds it in memory and uses its .eh_frame, then follows R12 from
// time.now or runtime.nanotime1 on the system stack back to the goroutine.
func TestGoVDSO(t *testing.T) {
	s := launch(t, "stackfix", "main.go", nil, "clock:60")
	for halts := 0; halts < 300; {
		stopHalting := haltAfter(s.p, 2*time.Millisecond)
		st, err := s.p.Continue()
		stopHalting()
		if err != nil || st.Reason == proc.StopExited {
			t.Fatalf("stop %+v: %v", st, err)
		}
		if st.Reason != proc.StopHalted {
			continue
		}
		halts++
		for _, th := range s.p.Threads() {
			frames, err := s.unwind(th, 0)
			if frames[0].Func != "clock_gettime" && !strings.HasPrefix(frames[0].Func, "__vdso") {
				continue
			}
			if err != nil {
				t.Fatalf("%v\n%s", err, dump(frames))
			}
			i := indexFunc(frames, "main.clockLoop")
			if i < 0 && indexFunc(frames, "runtime.rt0_go") >= 0 {
				continue // halted in the runtime's start-up (schedinit reads the clock), before main
			}
			if f := frames[1].Func; f != "time.now" && f != "runtime.nanotime1" || i < 0 {
				t.Fatalf("no call from time.now or runtime.nanotime1, or no main.clockLoop:\n%s", dump(frames))
			}
			if frames[2].Kind != KindStackSwitch {
				t.Errorf("frame 2 %s, want a switch back to the goroutine stack", describe(&frames[2]))
			}
			checkFrames(t, frames[i:], []want{
				{fn: "main.clockLoop", file: s.src, line: s.line("clock")},
				{fn: "main.main", file: s.src, line: s.line("call-clockloop")},
				{fn: "runtime.main"}, {fn: "runtime.goexit"},
			})
			checkShape(t, frames)
			return
		}
	}
	t.Skip("no thread halted in the vDSO in 300 halts")
}
