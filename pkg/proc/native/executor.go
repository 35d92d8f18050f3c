package native

import (
	"runtime"
	"sync"
	"sync/atomic"
	"time"
	"unsafe"

	"golang.org/x/sys/unix"
)

// executor runs functions on one locked OS thread: the tracer thread.
//
// issue 12 (a next's fixed cost): a request and its answer are handed
// over through two futex words, not channels. A channel send to a
// goroutine locked to its thread goes through the Go scheduler, which
// wakes a spare thread to take the locked goroutine from the run queue
// and hand its P over (two thread wake-ups, each costly on a small
// virtual machine); a futex wake-up wakes the tracer thread itself. The
// tracer also polls for a moment after each request (requests come in
// bursts) and, told by prewake that one is coming, while the caller
// prepares it, so that its wake-up overlaps that work.
type executor struct {
	mu  sync.Mutex    // callers: one request at a time
	fn  func()        // the request, set before req
	req atomic.Uint32 // futex word: 1 = fn is posted
	ack atomic.Uint32 // futex word: 1 = fn has run
	// soon is, in unix nanoseconds, until when the tracer polls for a
	// request announced by prewake.
	soon atomic.Int64
	tid  atomic.Int32 // the tracer thread's id, once it runs
	// stale (tracer only): the tracer woke from a sleep longer than
	// staleAfter and has not been through the scheduler since; idleSince
	// (unix nanoseconds) is when the last request was answered.
	stale     bool
	idleSince atomic.Int64

	// Counters for tests: requests served, futex waits the tracer and
	// its callers went into, and the tracer's returns from them.
	served, tracerSleeps, callerSleeps, tracerWakes atomic.Int64
	// tracerRescheds and callerRescheds count the reschedules of stale
	// goroutines (see refresh).
	tracerRescheds, callerRescheds atomic.Int64
}

// afterSpin is how long the tracer polls for the next request after one
// (with more than one CPU); prewakeSpin how long it polls after prewake
// (a variable for tests, which set it before any process is launched).
const afterSpin = 20 * time.Microsecond

var prewakeSpin = 2 * time.Millisecond

func newExecutor() *executor {
	quietChildSignals() // churn: no SIGCHLD per tracee stop
	e := &executor{}
	go e.loop()
	return e
}

func (e *executor) loop() {
	runtime.LockOSThread()
	e.tid.Store(int32(unix.Gettid()))
	// issue 12: the requests run on top of a ballast that keeps the
	// goroutine's stack grown between them (the garbage collector halves
	// a stack less than a quarter used; growing it again at every
	// request copies it and adjusts its frames).
	var ballast [stackBallast]byte
	e.serve()
	holdStack(ballast[:])
}

// stackBallast is the tracer goroutine's stack ballast.
const stackBallast = 32 << 10

// holdStack keeps b, the ballast, live (and on the stack) until it is
// called.
//
//go:noinline
func holdStack(b []byte) { _ = b }

// serve runs the requests. The thread stays locked for ever: it is the
// tracees' parent and tracer, and must not be reused by other goroutines.
func (e *executor) serve() {
	for {
		e.await()
		fn := e.fn
		e.fn = nil
		fn()
		e.served.Add(1)
		e.ack.Store(1)
		futexWake(&e.ack)
	}
}

// await returns once a request is posted, polling while one is expected.
func (e *executor) await() {
	spinUntil := time.Now().Add(afterSpin).UnixNano()
	for {
		if e.req.CompareAndSwap(1, 0) {
			e.soon.Store(0) // the announced request came
			return
		}
		if multiCPU {
			if until := max(spinUntil, e.soon.Load()); time.Now().UnixNano() < until {
				// Polling, the thread lets any other thread waiting for
				// its CPU go first (under SCHED_FIFO nothing else would
				// preempt it).
				schedYield()
				continue
			}
		}
		e.tracerSleeps.Add(1)
		slept := time.Now()
		futexWait(&e.req, 0)
		e.tracerWakes.Add(1)
		if time.Since(slept) > staleAfter {
			e.stale = true
		}
	}
}

// onTracer reports whether the caller runs on the tracer thread. The
// thread is locked to the executor's goroutine for ever, so no other
// goroutine can ever see its id.
func (e *executor) onTracer() bool { return e.tid.Load() == int32(unix.Gettid()) }

// run executes fn on the tracer thread and waits for it.
func (e *executor) run(fn func()) {
	e.mu.Lock()
	e.fn = fn
	e.ack.Store(0)
	e.req.Store(1)
	futexWake(&e.req)
	if time.Now().UnixNano()-e.idleSince.Load() > int64(staleAfter) {
		// The first request after a pause: its caller most likely woke
		// from a long wait (see refresh). The tracer holds the other P
		// now, so the scheduler has no idle P to wake a thread for.
		runtime.Gosched()
		e.callerRescheds.Add(1)
	}
	for e.ack.Load() == 0 {
		e.callerSleeps.Add(1)
		futexWait(&e.ack, 0)
	}
	e.idleSince.Store(time.Now().UnixNano())
	e.mu.Unlock()
}

// prewake tells the tracer thread that a request follows shortly: it
// wakes now and polls for it (for at most prewakeSpin), so its wake-up
// overlaps the caller's preparation of the request.
func (e *executor) prewake() {
	if !multiCPU {
		return
	}
	e.soon.Store(time.Now().Add(prewakeSpin).UnixNano())
	futexWake(&e.req)
}

// futex(2) operations on a word of this process only (FUTEX_WAIT or
// FUTEX_WAKE | FUTEX_PRIVATE_FLAG; x/sys/unix does not name them).
const (
	futexWaitPrivate = 0 | 128
	futexWakePrivate = 1 | 128
)

// futexWait sleeps while *addr is val (or until a wake-up or a signal).
// A system call the runtime knows about: the thread may block in it.
func futexWait(addr *atomic.Uint32, val uint32) {
	unix.Syscall6(unix.SYS_FUTEX, uintptr(unsafe.Pointer(addr)), futexWaitPrivate,
		uintptr(val), 0, 0, 0)
}

// futexWake wakes the thread sleeping on addr, if any. It never blocks.
func futexWake(addr *atomic.Uint32) {
	unix.RawSyscall6(unix.SYS_FUTEX, uintptr(unsafe.Pointer(addr)), futexWakePrivate,
		1, 0, 0, 0)
}
