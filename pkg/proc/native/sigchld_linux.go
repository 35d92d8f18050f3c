package native

import (
	"sync"
	"unsafe"

	"golang.org/x/sys/unix"
)

// churn (issue 17): every ptrace stop of a tracee sends SIGCHLD to the
// tracer's process. The Go runtime installs a handler for it, so each stop
// cost a signal delivery to some godbg thread (a signal frame with the
// whole FPU state, the runtime's handler, sigreturn, and a wake-up when the
// thread picked was asleep): 3 per thread a program creates. With the
// default disposition the kernel drops SIGCHLD when it is raised, as for a
// C tracer. SIG_DFL is not SIG_IGN: exited children still become zombies
// that wait4 reaps with their status, and os/exec works as before. The
// cost is that os/signal.Notify(SIGCHLD) gets nothing in a process that
// has traced a program; godbg does not use it.

var quietOnce sync.Once

// kernelSigaction is the kernel's struct sigaction on amd64.
type kernelSigaction struct {
	handler  uintptr
	flags    uint64
	restorer uintptr
	mask     uint64
}

// quietChildSignals sets SIGCHLD's disposition to SIG_DFL behind the Go
// runtime's back, once per process.
func quietChildSignals() {
	quietOnce.Do(func() {
		sa := kernelSigaction{} // handler 0: SIG_DFL
		unix.RawSyscall6(unix.SYS_RT_SIGACTION, uintptr(unix.SIGCHLD),
			uintptr(unsafe.Pointer(&sa)), 0, 8, 0, 0)
	})
}
