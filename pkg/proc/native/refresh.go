package native

import (
	"runtime"
	"time"
)

// issue 12: the Go runtime's sysmon preempts a goroutine that it sees on
// the same P for more than 10 ms without a pass through the scheduler
// (forcePreemptNS). A goroutine that wakes from a long blocking system
// call, as the tracer does from its futex after the user's think time,
// takes an idle P without such a pass, and sysmon, which saw that P's
// scheduling tick last before the pause, then judges it to have run for
// the whole pause: within microseconds it sends the thread a SIGURG. For
// the tracer, locked to its thread, a preemption is costly: the signal
// handler (cold after a pause), then the scheduler hands the P to another
// thread and back, two thread wake-ups, while the step's stop waits
// (perf, 7 sessions of a next over a call: the tracer preempted in 6,
// the stop seen 58-265 µs late in 4). Going through the scheduler once
// ourselves renews the tick, so sysmon does not preempt for 10 ms; the
// tracer does it where it has nothing to do: while the program runs.

// staleAfter is the runtime's forcePreemptNS: a goroutine that slept
// longer than this comes back with a tick sysmon takes as stale.
const staleAfter = 10 * time.Millisecond

// refresh (tracer only) passes the tracer through the scheduler once if
// it woke from a long sleep and has not done so since.
func (e *executor) refresh() {
	if !e.stale {
		return
	}
	e.stale = false
	runtime.Gosched()
	e.tracerRescheds.Add(1)
}
