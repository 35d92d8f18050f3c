package native

import (
	"encoding/binary"
	"slices"
	"unsafe"

	"golang.org/x/sys/unix"

	"github.com/godbg/godbg/pkg/proc"
)

// System-call stops (PTRACE_O_TRACESYSGOOD: SIGTRAP|0x80) happen only
// while a catchpoint or tracing is on: threads are then resumed with
// PTRACE_SYSCALL instead of PTRACE_CONT, so a program nobody asks about
// pays nothing. PTRACE_GET_SYSCALL_INFO tells entry from exit, so no
// per-thread toggle can drift.

const (
	ptraceGetSyscallInfo = 0x420e
	sysInfoEntry         = 1
	sysInfoExit          = 2
)

func (p *nproc) SetSyscallCatch(catch func(nr uint64) bool, trace bool) {
	p.s.sysCatch, p.s.sysTrace = catch, trace
}

// syscallStops reports whether threads must run under PTRACE_SYSCALL:
// when tracing, or catching calls the seccomp filter does not cover.
func (s *session) syscallStops() bool {
	return s.sysTrace || (s.sysCatch != nil && !s.useFilter)
}

func (p *nproc) UseSyscallFilter(on bool) { p.s.useFilter = on && p.s.filter != nil }

func (p *nproc) SyscallFilter() []uint64 {
	var out []uint64
	for nr := range p.s.filter {
		out = append(out, nr)
	}
	slices.Sort(out)
	return out
}

// seccompStop handles a PTRACE_EVENT_SECCOMP stop: a filtered call's
// entry. Under PTRACE_SYSCALL the syscall-entry stop reported it already.
func (p *nproc) seccompStop(t *nthread) *proc.Stop {
	if !p.s.useFilter || p.s.syscallStops() {
		return nil
	}
	st := p.syscallStop(t)
	t.seccompExit = true
	return st
}

// syscallStop handles a syscall-entry or -exit stop of t.
func (p *nproc) syscallStop(t *nthread) *proc.Stop {
	var info [88]byte
	r, _, e := unix.Syscall6(unix.SYS_PTRACE, ptraceGetSyscallInfo, uintptr(t.tid), uintptr(len(info)), uintptr(unsafe.Pointer(&info[0])), 0, 0)
	if e != 0 || r == 0 {
		return nil
	}
	le := binary.LittleEndian
	sc := &proc.Syscall{}
	switch info[0] {
	case sysInfoEntry, sysInfoSeccomp:
		sc.Entry = true
		sc.Nr = le.Uint64(info[24:])
		for i := range sc.Args {
			sc.Args[i] = le.Uint64(info[32+8*i:])
		}
		t.sysCall = *sc
	case sysInfoExit:
		t.seccompExit = false
		*sc = t.sysCall
		sc.Entry = false
		sc.Ret = le.Uint64(info[24:])
	default:
		return nil
	}
	if p.s.sysTrace {
		p.s.emit(proc.Event{Kind: proc.EventSyscall, Pid: p.pid, Tid: t.tid, Syscall: sc})
	}
	if sc.Entry && p.s.sysCatch != nil && !p.quiet && p.s.sysCatch(sc.Nr) {
		t.sysCaught = true
		t.why = "syscall entry"
		return &proc.Stop{Reason: proc.StopSyscall, Tid: t.tid, Syscall: sc}
	}
	if !sc.Entry && t.sysCaught {
		t.sysCaught = false
		t.why = "syscall exit"
		return &proc.Stop{Reason: proc.StopSyscall, Tid: t.tid, Syscall: sc}
	}
	return nil
}

// resumeThread resumes a thread: PTRACE_SYSCALL while system calls are
// watched, or to see the exit of a filtered call.
func (p *nproc) resumeThread(t *nthread, sig int) error {
	p.padSignal(t, sig) // pad (issue 17): no signal frame holds a pad pc
	if (sig != 0 || t.slotSig != 0) && len(p.slotOf) > 0 {
		stepping, err := p.stepOffSlot(t, sig)
		// stepOffSlot read the registers to look for a slot: the thread
		// runs now, so that copy must not be taken for its state at its
		// next stop (writing it back would rewind the thread).
		t.regsValid = false
		if stepping {
			return err
		}
	}
	if p.s.syscallStops() || t.seccompExit {
		return ptraceRaw(unix.PTRACE_SYSCALL, t.tid, 0, uintptr(sig))
	}
	return ptraceCont(t.tid, sig)
}
