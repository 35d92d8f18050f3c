package goroutines_test

import (
	"syscall"
	"testing"
	"unsafe"
)

// clockMonotonic reads CLOCK_MONOTONIC, the clock of the runtime's
// nanotime.
func clockMonotonic(t *testing.T) int64 {
	var ts syscall.Timespec
	if _, _, e := syscall.RawSyscall(syscall.SYS_CLOCK_GETTIME, 1, uintptr(unsafe.Pointer(&ts)), 0); e != 0 {
		t.Skipf("clock_gettime: %v", e)
	}
	return ts.Nano()
}

// checkPs (issue 12): RunningPs finds the P of gorofix's spinner, which
// has run on one scheduler tick for long: sysmon has stamped its
// schedwhen in the past of CLOCK_MONOTONIC, and the fields lie inside the
// runtime.p read.
func checkPs(t *testing.T, s *stopped) {
	ps, err := s.r.RunningPs(nil)
	if err != nil {
		t.Fatal(err)
	}
	now := clockMonotonic(t)
	stamped := 0
	for _, p := range ps {
		for _, at := range []uint64{p.SchedWhenAt, p.SyscallWhenAt} {
			if at <= p.Addr || at >= p.Addr+512 {
				t.Errorf("P %#x: a sysmontick field at %#x", p.Addr, at)
			}
		}
		if p.SchedWhen > now || p.SyscallWhen > now {
			t.Errorf("P %#x: sysmontick times %d, %d after now %d", p.Addr, p.SchedWhen, p.SyscallWhen, now)
		}
		if p.SchedWhen > 0 {
			stamped++
		}
	}
	if stamped == 0 {
		t.Errorf("no running P with a schedwhen among %+v (the spinner runs)", ps)
	}
}
