package native

import "runtime"

// executor runs functions on one locked OS thread: the tracer thread.
type executor struct {
	reqs chan func()
	done chan struct{}
}

func newExecutor() *executor {
	quietChildSignals() // churn: no SIGCHLD per tracee stop
	e := &executor{reqs: make(chan func()), done: make(chan struct{})}
	go e.loop()
	return e
}

func (e *executor) loop() {
	runtime.LockOSThread()
	// The thread stays locked for ever: it is the tracees' parent and
	// tracer, and must not be reused by other goroutines.
	for fn := range e.reqs {
		fn()
		e.done <- struct{}{}
	}
}

// run executes fn on the tracer thread and waits for it.
func (e *executor) run(fn func()) {
	e.reqs <- fn
	<-e.done
}
