package target_test

import (
	"sync/atomic"
	"testing"
	"time"

	"github.com/godbg/godbg/pkg/proc"
	"github.com/godbg/godbg/pkg/proc/target/targettest"
)

const sigURG = 23

// countURG makes the program's SIGURGs (the runtime's asynchronous
// preemption) events, still passed, and counts them.
func countURG(p proc.Process) *atomic.Int32 {
	var n atomic.Int32
	p.SetSignalPolicy(func(sig int) proc.SignalPolicy {
		if sig == sigURG {
			return proc.SignalPolicy{Print: true, Pass: true}
		}
		return proc.DefaultSignalPolicy(sig)
	})
	p.SetEventHandler(func(e proc.Event) {
		if e.Kind == proc.EventSignal && e.Signal == sigURG {
			n.Add(1)
		}
	})
	return &n
}

// TestStopNotCountedAsRunning (issue 12): after a stop longer than the
// runtime's 10 ms time slice, a next over a call of a few milliseconds
// is not preempted by the runtime's sysmon (no SIGURG): the time stopped
// does not count as the goroutine's running time.
func TestStopNotCountedAsRunning(t *testing.T) {
	// Without it every next is preempted; with it a next is, rarely, on
	// a loaded machine, when the call itself takes 10 ms of wall time.
	const sessions = 4
	urgs := 0
	for range sessions {
		targettest.WithTarget(t, "preemptfix", func(tg *targettest.T) {
			n := countURG(tg.P)
			tg.BreakAt("L:busy")
			tg.Cont()
			time.Sleep(60 * time.Millisecond) // the user thinks
			n.Store(0)
			if line := tg.StepOp("next"); line != tg.Line("L:after") {
				t.Fatalf("next from L:busy stopped at line %d, not at L:after", line)
			}
			urgs += int(n.Load())
		})
	}
	if urgs > sessions/2 {
		t.Errorf("%d SIGURG in %d nexts over a 2 ms call after 60 ms stopped: the runtime counted the stop as running time", urgs, sessions)
	}
}

// TestPreemptionStillWorks (issue 12): with one P, main gets it back from
// a goroutine spinning without calls only through sysmon's preemption,
// and runtime.GC() needs the spinner stopped too. Stopped in the spinner
// (sysmon's times of its P are moved at the resume) and at main's ticks,
// the program still runs to its end in time.
func TestPreemptionStillWorks(t *testing.T) {
	tg := targettest.Start(t, targettest.Config{Fixture: "preemptfix", Args: []string{"spin"}})
	defer tg.Close()
	done := make(chan struct{})
	timer := time.AfterFunc(10*time.Second, func() {
		select {
		case <-done:
		default:
			tg.P.RequestHalt()
		}
	})
	defer timer.Stop()
	defer close(done)
	for _, at := range []string{"L:spin", "L:tick"} {
		tg.BreakAt(at)
		for range 2 {
			tg.Cont()
			time.Sleep(20 * time.Millisecond)
		}
		tg.ClearAll()
	}
	st, err := tg.Continue()
	if err != nil {
		t.Fatal(err)
	}
	if st.Reason != proc.StopExited || st.ExitCode != 0 {
		t.Fatalf("the program did not finish: %v (halted after 10 s: preemption does not work)", st.Reason)
	}
}
