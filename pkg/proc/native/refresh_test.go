package native

import (
	"testing"
	"time"
)

// TestExecutorRefreshAfterPause (issue 12): the first request after a
// pause longer than staleAfter passes its caller through the scheduler
// once, and the tracer, woken from its long sleep, does so once at its
// refresh; requests that follow closely do neither (each reschedule of
// the tracer costs two thread wake-ups).
func TestExecutorRefreshAfterPause(t *testing.T) {
	e := newExecutor()
	e.run(func() {})
	time.Sleep(3 * staleAfter) // the tracer sleeps; the caller pauses
	c0, t0 := e.callerRescheds.Load(), e.tracerRescheds.Load()
	e.run(e.refresh)
	if got := e.callerRescheds.Load() - c0; got != 1 {
		t.Errorf("first request after a pause: %d caller reschedules, want 1", got)
	}
	if got := e.tracerRescheds.Load() - t0; got != 1 {
		t.Errorf("first refresh after the tracer's long sleep: %d tracer reschedules, want 1", got)
	}
	// A burst: on a loaded machine one gap may still exceed staleAfter,
	// so one burst of three without any reschedule suffices.
	for attempt := 0; attempt < 3; attempt++ {
		c1, t1 := e.callerRescheds.Load(), e.tracerRescheds.Load()
		for i := 0; i < 5; i++ {
			e.run(e.refresh)
		}
		c, tr := e.callerRescheds.Load()-c1, e.tracerRescheds.Load()-t1
		if c == 0 && tr == 0 {
			return
		}
		t.Logf("burst %d: %d caller and %d tracer reschedules", attempt, c, tr)
	}
	t.Fatal("requests in a burst rescheduled in every attempt, want only after a pause")
}
