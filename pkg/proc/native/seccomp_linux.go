package native

import (
	"fmt"
	"os"
	"runtime"
	"strconv"
	"strings"
	"syscall"
	"unsafe"

	"golang.org/x/sys/unix"
)

// An up-front system-call filter (strace --seccomp-bpf): a launched
// program can be told which calls to stop at before it starts, and the
// kernel then stops it only for those (SECCOMP_RET_TRACE, reported as
// PTRACE_EVENT_SECCOMP); every other call runs at full speed instead of
// stopping twice under PTRACE_SYSCALL.
//
// A filter can only be installed by the process itself, between fork and
// exec, which os/exec has no hook for. So the debugger launches its own
// executable as a trampoline: this package's init sees the environment
// variables below, installs the filter on its thread and execs the
// program. Any binary that imports this package (godbg, its tests) can
// serve. The filter is inherited by children and survives exec; with no
// tracer a filtered call fails with ENOSYS, so children of a filtered
// program are never let go (see forked).

const (
	envFilter = "_GODBG_SECCOMP_NRS"  // comma-separated system call numbers
	envExec   = "_GODBG_SECCOMP_EXEC" // the program to execute
	envArgv0  = "_GODBG_SECCOMP_ARG0"

	ptraceEventSeccomp  = 7
	ptraceOTraceSeccomp = 0x80
	sysInfoSeccomp      = 3

	auditArchX8664   = 0xc000003e
	seccompRetTrace  = 0x7ff00000
	seccompRetAllow  = 0x7fff0000
	seccompSetFilter = 1
)

func init() {
	nrs, ok := os.LookupEnv(envFilter)
	if !ok {
		return
	}
	runtime.LockOSThread()
	path, argv0 := os.Getenv(envExec), os.Getenv(envArgv0)
	env := make([]string, 0, len(os.Environ()))
	for _, kv := range os.Environ() {
		if !strings.HasPrefix(kv, "_GODBG_SECCOMP_") {
			env = append(env, kv)
		}
	}
	var list []uint64
	for _, f := range strings.Split(nrs, ",") {
		if n, err := strconv.ParseUint(f, 10, 32); err == nil {
			list = append(list, n)
		}
	}
	if err := installFilter(list); err != nil {
		fmt.Fprintf(os.Stderr, "godbg: cannot install the system-call filter: %v\n", err)
		os.Exit(127)
	}
	err := syscall.Exec(path, append([]string{argv0}, os.Args[1:]...), env)
	fmt.Fprintf(os.Stderr, "godbg: cannot execute %s: %v\n", path, err)
	os.Exit(127)
}

// filterProgram is a classic BPF program: trace the listed calls of the
// x86-64 ABI, allow everything else.
func filterProgram(nrs []uint64) []unix.SockFilter {
	const (
		ldAbsW = unix.BPF_LD | unix.BPF_W | unix.BPF_ABS
		jeqK   = unix.BPF_JMP | unix.BPF_JEQ | unix.BPF_K
		retK   = unix.BPF_RET | unix.BPF_K
	)
	n := len(nrs)
	prog := []unix.SockFilter{
		{Code: ldAbsW, K: 4}, // seccomp_data.arch
		// Another ABI: allow (jump to the final allow).
		{Code: jeqK, K: auditArchX8664, Jt: 0, Jf: uint8(n + 1)},
		{Code: ldAbsW, K: 0}, // seccomp_data.nr
	}
	for i, nr := range nrs {
		// Match: jump to the trace return, just past the allow.
		prog = append(prog, unix.SockFilter{Code: jeqK, K: uint32(nr), Jt: uint8(n - i), Jf: 0})
	}
	return append(prog,
		unix.SockFilter{Code: retK, K: seccompRetAllow},
		unix.SockFilter{Code: retK, K: seccompRetTrace})
}

func installFilter(nrs []uint64) error {
	if len(nrs) > 200 {
		return fmt.Errorf("%d system calls: at most 200 can be filtered", len(nrs))
	}
	if err := unix.Prctl(unix.PR_SET_NO_NEW_PRIVS, 1, 0, 0, 0); err != nil {
		return fmt.Errorf("prctl(PR_SET_NO_NEW_PRIVS): %w", err)
	}
	prog := filterProgram(nrs)
	fprog := unix.SockFprog{Len: uint16(len(prog)), Filter: &prog[0]}
	if _, _, e := unix.RawSyscall(unix.SYS_SECCOMP, seccompSetFilter, 0, uintptr(unsafe.Pointer(&fprog))); e != 0 {
		return fmt.Errorf("seccomp(SECCOMP_SET_MODE_FILTER): %w", e)
	}
	return nil
}

// trampoline rewrites cmd to start through this executable with the
// filter's environment.
func trampoline(path, argv0 string, args, env []string, nrs []uint64) (string, []string, []string, error) {
	self, err := os.Executable()
	if err != nil {
		return "", nil, nil, fmt.Errorf("a system-call filter needs the debugger's own executable: %w", err)
	}
	var b strings.Builder
	for i, nr := range nrs {
		if i > 0 {
			b.WriteByte(',')
		}
		b.WriteString(strconv.FormatUint(nr, 10))
	}
	if env == nil {
		env = os.Environ()
	}
	env = append(env[:len(env):len(env)], envFilter+"="+b.String(), envExec+"="+path, envArg0Value(argv0))
	return self, append([]string{"godbg-seccomp"}, args...), env, nil
}

func envArg0Value(argv0 string) string { return envArgv0 + "=" + argv0 }

// waitForProgram follows the trampoline (traced since its exec, its own
// threads not) until it has executed the program: the PTRACE_EVENT_EXEC
// stop. Signals the trampoline gets meanwhile are delivered.
func waitForProgram(pid int) (unix.WaitStatus, error) {
	if err := ptraceSetOptions(pid, unix.PTRACE_O_TRACEEXEC|unix.PTRACE_O_EXITKILL); err != nil {
		return 0, fmt.Errorf("setting ptrace options on pid %d: %w", pid, err)
	}
	sig := 0
	for {
		if err := ptraceCont(pid, sig); err != nil {
			return 0, fmt.Errorf("resuming the filter trampoline (pid %d): %w", pid, err)
		}
		_, ws, err := wait4(pid, 0)
		if err != nil {
			return 0, err
		}
		switch {
		case !ws.Stopped():
			return ws, fmt.Errorf("the program exited before it started (status %d); the trampoline says why above", ws.ExitStatus())
		case ws.StopSignal() == sigTRAP && ws.TrapCause() == unix.PTRACE_EVENT_EXEC:
			return ws, nil
		}
		sig = int(ws.StopSignal())
	}
}

// ErrFilterDetach refuses to let a filtered program go: without a tracer
// its filtered system calls would fail with ENOSYS.
var ErrFilterDetach = fmt.Errorf("the program runs under a system-call filter (--catch-syscalls): untraced, those calls would fail with ENOSYS; kill it instead")
