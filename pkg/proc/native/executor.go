package native

import (
	"runtime"
	"sync/atomic"

	"golang.org/x/sys/unix"
)

// executor runs functions on one locked OS thread: the tracer thread.
type executor struct {
	reqs chan func()
	done chan struct{}
	tid  atomic.Int32 // the tracer thread's id, once it runs
}

func newExecutor() *executor {
	quietChildSignals() // churn: no SIGCHLD per tracee stop
	e := &executor{reqs: make(chan func()), done: make(chan struct{})}
	go e.loop()
	return e
}

func (e *executor) loop() {
	runtime.LockOSThread()
	e.tid.Store(int32(unix.Gettid()))
	// The thread stays locked for ever: it is the tracees' parent and
	// tracer, and must not be reused by other goroutines.
	for fn := range e.reqs {
		fn()
		e.done <- struct{}{}
	}
}

// onTracer reports whether the caller runs on the tracer thread. The
// thread is locked to the executor's goroutine for ever, so no other
// goroutine can ever see its id.
func (e *executor) onTracer() bool { return e.tid.Load() == int32(unix.Gettid()) }

// run executes fn on the tracer thread and waits for it.
func (e *executor) run(fn func()) {
	e.reqs <- fn
	<-e.done
}
