// Package native is godbg's only ptrace code: the live-process backend of
// pkg/proc on Linux/amd64.
//
// # One tracer thread
//
// The kernel accepts ptrace requests for a tracee only from the thread that
// attached it. Every request here, the launch included, therefore runs on
// one goroutine locked to its OS thread (executor.go). The all-stop wait
// loop runs on that same thread: waiting for events and answering them
// (PTRACE_CONT after a clone event, say) then costs no hand-off between
// threads, which is what keeps thread churn cheap.
//
// # Stopping every thread
//
// A thread is stopped by tgkill(SIGSTOP) and the stop is complete only when
// every thread we signalled has reported its SIGSTOP: a SIGSTOP left queued
// would put the process into group-stop (state T) after we detach. A thread
// that reports another signal first is resumed until its SIGSTOP arrives;
// the other signal is either delivered right there (signals the program
// simply receives) or kept, with its siginfo, and delivered when the thread
// next resumes (PTRACE_SETSIGINFO then PTRACE_CONT with that signal, so a
// fault's handler sees the original si_code and address).
//
// New threads (PTRACE_O_TRACECLONE) start with a SIGSTOP of their own that
// may be reported before or after the parent's PTRACE_EVENT_CLONE stop; both
// orders are handled. A halt request from another goroutine (Ctrl-C) wakes
// the blocked wait4 by sending SIGSTOP to one live thread; that SIGSTOP is
// accounted for like ours. The request lasts until a Continue or
// StepInstruction returns StopHalted: one that lands while the tracer
// handles a stop itself (a false condition, a step in place) or between
// two Continues is honoured by the next resume, never dropped.
//
// # Breakpoints in the text only while threads run
//
// The int3 bytes go in when threads are resumed and come out when
// Continue or StepInstruction returns: while the program waits for the
// user its text is its own, so a debugger killed at the prompt leaves a
// program that runs on (the kernel resumes tracees without their stop
// signal when the tracer dies). Scratch memory for out-of-line execution
// stays mapped for the session and is unmapped, by an injected munmap,
// before a detach; a signal is never delivered to a thread standing in a
// slot, so no handler frame can return into one.
//
// # Attach
//
// Threads are taken from /proc/<pid>/task and attached one by one; the
// directory is read again until a pass finds no thread we do not know,
// because a thread not yet attached can create another. A thread that exits
// between the listing and the attach (ESRCH) is skipped.
package native
