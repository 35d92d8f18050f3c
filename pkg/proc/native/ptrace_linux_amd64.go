package native

import (
	"unsafe"

	"golang.org/x/sys/unix"
)

// Thin wrappers around the raw requests. Each must run on the tracer thread.
// Those that may change a process count in generation (plan:
// generation_linux.go).

func ptraceAttach(tid int) error { changed(); return unix.PtraceAttach(tid) }

func ptraceDetach(tid, sig int) error {
	return ptraceRaw(unix.PTRACE_DETACH, tid, 0, uintptr(sig))
}

func ptraceCont(tid, sig int) error { changed(); return unix.PtraceCont(tid, sig) }

func ptraceStep(tid, sig int) error {
	return ptraceRaw(unix.PTRACE_SINGLESTEP, tid, 0, uintptr(sig))
}

func ptraceSetOptions(tid, opts int) error { return unix.PtraceSetOptions(tid, opts) }

func ptraceEventMsg(tid int) (uint, error) { return unix.PtraceGetEventMsg(tid) }

func ptraceGetRegs(tid int, r *unix.PtraceRegs) error { return unix.PtraceGetRegs(tid, r) }

func ptraceSetRegs(tid int, r *unix.PtraceRegs) error { changed(); return unix.PtraceSetRegs(tid, r) }

// fpregs is struct user_fpregs_struct (the FXSAVE area), 512 bytes.
type fpregs [512]byte

func ptraceGetFPRegs(tid int, fp *fpregs) error {
	return ptraceRaw(unix.PTRACE_GETFPREGS, tid, 0, uintptr(unsafe.Pointer(fp)))
}

// siginfo is the kernel's siginfo_t, kept opaque but for its first fields.
type siginfo [128]byte

func (s *siginfo) signo() int { return int(*(*int32)(unsafe.Pointer(&s[0]))) }
func (s *siginfo) code() int  { return int(*(*int32)(unsafe.Pointer(&s[8]))) }

func ptraceGetSiginfo(tid int, si *siginfo) error {
	return ptraceRaw(unix.PTRACE_GETSIGINFO, tid, 0, uintptr(unsafe.Pointer(si)))
}

func ptraceSetSiginfo(tid int, si *siginfo) error {
	return ptraceRaw(unix.PTRACE_SETSIGINFO, tid, 0, uintptr(unsafe.Pointer(si)))
}

func ptraceRaw(req, tid int, addr, data uintptr) error {
	switch req {
	case unix.PTRACE_GETFPREGS, unix.PTRACE_GETSIGINFO, unix.PTRACE_PEEKUSR:
	default:
		changed() // plan: proc.Generations (generation_linux.go)
	}
	_, _, e := unix.Syscall6(unix.SYS_PTRACE, uintptr(req), uintptr(tid), addr, data, 0, 0)
	if e != 0 {
		return e
	}
	return nil
}

func tgkill(pid, tid int, sig unix.Signal) error { return unix.Tgkill(pid, tid, sig) }

// wait4 waits for any traced thread (tid -1) or one thread. The run loop
// polls with WNOHANG before it blocks, but only while events come in
// bursts (waitspin_linux.go).
func wait4(tid int, opts int) (int, unix.WaitStatus, error) {
	var ws unix.WaitStatus
	for {
		wpid, err := unix.Wait4(tid, &ws, opts|unix.WALL, nil)
		if err == unix.EINTR {
			continue
		}
		return wpid, ws, err
	}
}

// Values of si_code.
const (
	siKernel  = 0x80 // sent by the kernel: int3 traps, terminal-generated signals
	trapTrace = 2    // TRAP_TRACE: single-step
)
