package target

import (
	"sync"
	"syscall"
	"time"
	"unsafe"
)

// mono pairs one reading of CLOCK_MONOTONIC with Go's monotonic clock,
// which on Linux is the same clock: later readings cost no system call.
var mono struct {
	once sync.Once
	t0   time.Time
	ns   int64
}

// monoNow is CLOCK_MONOTONIC in nanoseconds, the clock of the Go
// runtime's nanotime (0: unavailable).
func monoNow() int64 {
	mono.once.Do(func() {
		var ts syscall.Timespec
		mono.t0 = time.Now()
		const clockMonotonic = 1
		if _, _, e := syscall.RawSyscall(syscall.SYS_CLOCK_GETTIME, clockMonotonic, uintptr(unsafe.Pointer(&ts)), 0); e == 0 {
			mono.ns = ts.Nano()
		}
	})
	if mono.ns == 0 {
		return 0
	}
	return mono.ns + int64(time.Since(mono.t0))
}
