package native

import (
	"sync"
	"testing"
	"time"

	"golang.org/x/sys/unix"
)

// TestExecutorServesOnTracer: requests from many goroutines run one at a
// time, each on the tracer thread, and each caller gets its own result.
func TestExecutorServesOnTracer(t *testing.T) {
	e := newExecutor()
	var wg sync.WaitGroup
	count := 0 // not atomic: the requests must not overlap
	for g := 0; g < 8; g++ {
		wg.Add(1)
		go func() {
			defer wg.Done()
			for i := 0; i < 200; i++ {
				var tid, got int
				e.run(func() { tid = unix.Gettid(); count++; got = i })
				if tid != int(e.tid.Load()) || got != i {
					t.Errorf("request ran on thread %d (tracer %d), result %d want %d", tid, e.tid.Load(), got, i)
					return
				}
			}
		}()
	}
	wg.Wait()
	if count != 1600 || e.served.Load() != 1600 {
		t.Fatalf("count %d, served %d, want 1600", count, e.served.Load())
	}
}

// TestExecutorPrewake (issue 12): after prewake the tracer thread is
// awake and polls, so the request that follows within prewakeSpin is
// served without the tracer going back to sleep in between (without
// prewake's polling it sleeps again at once and the request must wake
// it). The window is made long, so that a loaded machine cannot stretch
// the gap past it.
func TestExecutorPrewake(t *testing.T) {
	if !multiCPU {
		t.Skip("prewake polls only with more than one CPU")
	}
	defer func(d time.Duration) { prewakeSpin = d }(prewakeSpin)
	prewakeSpin = 2 * time.Second
	e := newExecutor()
	e.run(func() {})
	for attempt := 0; attempt < 3; attempt++ {
		time.Sleep(10 * time.Millisecond) // the tracer sleeps
		sleeps, wakes := e.tracerSleeps.Load(), e.tracerWakes.Load()
		e.prewake()
		for deadline := time.Now().Add(time.Second); e.tracerWakes.Load() == wakes; {
			if time.Now().After(deadline) {
				t.Fatal("prewake did not wake the tracer thread")
			}
			time.Sleep(10 * time.Microsecond)
		}
		time.Sleep(time.Millisecond) // the caller prepares its request
		var during int64
		e.run(func() { during = e.tracerSleeps.Load() })
		if during == sleeps {
			e.run(func() { e.soon.Store(0) }) // stop polling
			return
		}
		t.Logf("attempt %d: the tracer slept %d times between prewake and the request", attempt, during-sleeps)
	}
	t.Fatal("the tracer thread never stayed awake from prewake to the request")
}
