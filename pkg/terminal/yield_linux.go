package terminal

import "syscall"

// yieldCPU lets a thread that waits for this CPU run first (issue 12: a
// next's time as its reader sees it). A process reading godbg's output
// (a bench, an IDE, a script) is woken by the write of a stop's header,
// most often onto the writer's CPU: a pipe write is a "sync" wake-up,
// the kernel expects the writer to block soon. godbg goes on to fetch
// and print the source listing instead, and the reader would wait for
// that. One sched_yield costs about a microsecond when nothing waits.
// A variable for tests.
var yieldCPU = func() { syscall.RawSyscall(syscall.SYS_SCHED_YIELD, 0, 0, 0) }
