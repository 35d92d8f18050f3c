package native

import (
	"runtime"
	"time"
	"unsafe"

	"golang.org/x/sys/unix"
)

// churn (issue 17): a blocking wait4 puts the tracer thread to sleep, and
// every tracee stop must then wake it, most often on the other CPU (a
// cross-CPU wake-up, which on a virtual machine costs an exit to the
// hypervisor). When events come in bursts, as when a program creates and
// ends threads (a clone event, the new thread's first stop, the old
// thread's exit, a few microseconds apart), the tracer polls for a short
// while before it blocks. It polls only after an event that came within
// the window itself, so a program that stops rarely costs no polling, and
// only with more than one CPU to run on (polling on the only CPU would
// keep the tracee from making the event it waits for).

// spinWindow is how long the tracer polls before it blocks.
const spinWindow = 50 * time.Microsecond

// spinWait is the polling state of one tracer thread.
type spinWait struct {
	// hot: the last event came within spinWindow of the wait for it.
	hot bool
	// until: the next wait polls until then (pollFor).
	until time.Time
	// blocked counts the waits that slept in wait4 (a wake-up of the
	// tracer thread each), stopBlocked those of all-stops (for tests).
	blocked, stopBlocked int
}

// quickPoll is how long the wait for a step's stop polls (issue 12: a
// next over a short call stops within tens of microseconds; a blocking
// wait4 would add the wake-up of the tracer thread, on a virtual
// machine often the costliest part); stopPoll how long the wait for the
// SIGSTOPs of an all-stop does. Variables for tests, which set them before
// any process is launched.
var (
	quickPoll = 500 * time.Microsecond
	stopPoll  = 200 * time.Microsecond
)

// pollFor makes the next waitAny poll for up to d (yielding the CPU
// between polls, so that the tracees it waits for can run).
func (w *spinWait) pollFor(d time.Duration) { w.until = time.Now().Add(d) }

// multiCPU: the tracer may poll (more than one CPU to run on).
var multiCPU = runtime.NumCPU() > 1

// waitAny is wait4(-1): the next event of any traced thread, polling
// first while events come in bursts.
func (w *spinWait) waitAny() (int, unix.WaitStatus, error) {
	start := time.Now()
	window, yield := time.Duration(0), false
	if w.hot {
		window = spinWindow
	}
	if !w.until.IsZero() {
		if d := w.until.Sub(start); d > window {
			window, yield = d, true
		}
		w.until = time.Time{}
	}
	if window > 0 && multiCPU {
		for {
			wpid, ws, err := poll4()
			if err != nil || wpid != 0 {
				return wpid, ws, err // hot stays as it is: the event came in the window
			}
			if time.Since(start) > window {
				break
			}
			if yield {
				schedYield()
			}
		}
	}
	w.blocked++
	wpid, ws, err := wait4(-1, 0)
	w.hot = time.Since(start) <= spinWindow
	return wpid, ws, err
}

// poll4 is a non-blocking wait4(-1): wpid 0 when no thread has an event.
// A raw system call: it never blocks, so the runtime need not know.
func poll4() (int, unix.WaitStatus, error) {
	var ws unix.WaitStatus
	r, _, e := unix.RawSyscall6(unix.SYS_WAIT4, ^uintptr(0), uintptr(unsafe.Pointer(&ws)),
		unix.WALL|unix.WNOHANG, 0, 0, 0)
	if e != 0 {
		if e == unix.EINTR {
			return 0, 0, nil
		}
		return 0, 0, e
	}
	return int(r), ws, nil
}

// pollStopped is wait4(-1) for the events of an all-stop: the SIGSTOPs
// sent come within microseconds, so it polls for up to stopPoll first
// (issue 12), yielding the CPU to the threads that are to stop.
func (w *spinWait) pollStopped() (int, unix.WaitStatus, error) {
	if multiCPU {
		for start := time.Now(); time.Since(start) <= stopPoll; schedYield() {
			if wpid, ws, err := poll4(); err != nil || wpid != 0 {
				return wpid, ws, err
			}
		}
	}
	w.stopBlocked++
	return wait4(-1, 0)
}

// schedYield lets another thread waiting for this CPU run; polling
// threads call it between polls, so that a tracee thread resumed onto the
// polling thread's CPU runs at once, and under SCHED_FIFO (chrt -f),
// where nothing else would preempt the polling thread. (Yielding only
// under a real-time policy was tried: not distinguishable in the noise.)
func schedYield() { unix.RawSyscall(unix.SYS_SCHED_YIELD, 0, 0, 0) }
