package native

import (
	"errors"
	"fmt"
	"os"
	"strconv"
	"strings"

	"golang.org/x/sys/unix"
)

var (
	// ErrNoProcess: there is no process with that pid.
	ErrNoProcess = errors.New("no such process")
	// ErrSelf: the debugger cannot trace itself.
	ErrSelf = errors.New("cannot attach to the debugger itself")
	// ErrZombie: the process has exited and waits to be reaped.
	ErrZombie = errors.New("process is a zombie (it has exited; its parent has not reaped it)")
	// ErrAlreadyTraced: another tracer holds the process.
	ErrAlreadyTraced = errors.New("process is already traced")
	// ErrPermission: the kernel refused the attach.
	ErrPermission = errors.New("ptrace not permitted")
)

// AttachError is a failed attach, with what the user can do about it.
type AttachError struct {
	Pid  int
	Err  error
	Hint string // what to do
}

func (e *AttachError) Error() string {
	msg := fmt.Sprintf("cannot attach to process %d: %v", e.Pid, e.Err)
	if e.Hint != "" {
		msg += "; " + e.Hint
	}
	return msg
}

func (e *AttachError) Unwrap() error { return e.Err }

// checkAttachable looks at /proc before touching the process, so that a
// refused attach leaves it untouched.
func checkAttachable(pid int) error {
	switch {
	case pid <= 0:
		return &AttachError{Pid: pid, Err: ErrNoProcess, Hint: "a pid is a positive number"}
	case pid == os.Getpid():
		return &AttachError{Pid: pid, Err: ErrSelf}
	}
	status, err := readStatus(pid)
	if err != nil {
		return &AttachError{Pid: pid, Err: ErrNoProcess, Hint: "check the pid with ps or pgrep"}
	}
	if tgid := status["Tgid"]; tgid != "" && tgid != strconv.Itoa(pid) {
		return &AttachError{Pid: pid, Err: fmt.Errorf("%d is a thread of process %s", pid, tgid), Hint: "attach to " + tgid}
	}
	if strings.HasPrefix(status["State"], "Z") && status["Threads"] == "1" {
		return &AttachError{Pid: pid, Err: ErrZombie, Hint: "there is nothing left to debug"}
	}
	if tp := status["TracerPid"]; tp != "" && tp != "0" {
		tracer, _ := strconv.Atoi(tp)
		// TracerPid is the tracing thread's id (a debugger's ptrace
		// thread need not be its main thread): name its process.
		if st, err := readStatus(tracer); err == nil {
			if g, err := strconv.Atoi(st["Tgid"]); err == nil && g > 0 {
				tracer = g
			}
		}
		who := strconv.Itoa(tracer)
		if comm := readComm(tracer); comm != "" {
			who += " (" + comm + ")"
		}
		return &AttachError{Pid: pid, Err: fmt.Errorf("%w by pid %s", ErrAlreadyTraced, who),
			Hint: "detach that debugger or tracer first"}
	}
	return nil
}

// attachFailure explains an error from PTRACE_ATTACH.
func attachFailure(pid int, err error) error {
	switch {
	case errors.Is(err, unix.ESRCH):
		return &AttachError{Pid: pid, Err: ErrNoProcess}
	case errors.Is(err, unix.EPERM):
		return &AttachError{Pid: pid, Err: ErrPermission, Hint: permissionHint(pid)}
	}
	return &AttachError{Pid: pid, Err: err}
}

// permissionHint says why the kernel may have refused.
func permissionHint(pid int) string {
	var why []string
	if b, err := os.ReadFile("/proc/sys/kernel/yama/ptrace_scope"); err == nil {
		if s := strings.TrimSpace(string(b)); s != "0" {
			why = append(why, "/proc/sys/kernel/yama/ptrace_scope is "+s+
				" (only descendants or privileged tracers may attach); run as root or write 0 to it")
		}
	}
	status, _ := readStatus(pid)
	if uid := strings.Fields(status["Uid"]); len(uid) > 0 && uid[0] != strconv.Itoa(os.Getuid()) && os.Geteuid() != 0 {
		why = append(why, "the process belongs to uid "+uid[0]+" and you are uid "+strconv.Itoa(os.Getuid())+"; run as that user or as root")
	}
	if os.Geteuid() != 0 {
		why = append(why, "without CAP_SYS_PTRACE you can trace only your own, dumpable processes")
	} else {
		why = append(why, "even root is refused for a process that is not dumpable under a restrictive LSM, or when a seccomp or container policy forbids ptrace")
	}
	return strings.Join(why, "; ")
}

func readStatus(pid int) (map[string]string, error) {
	b, err := os.ReadFile("/proc/" + strconv.Itoa(pid) + "/status")
	if err != nil {
		return nil, err
	}
	m := make(map[string]string)
	for _, line := range strings.Split(string(b), "\n") {
		if k, v, ok := strings.Cut(line, ":"); ok {
			m[k] = strings.TrimSpace(v)
		}
	}
	return m, nil
}

func readComm(pid int) string {
	b, err := os.ReadFile("/proc/" + strconv.Itoa(pid) + "/comm")
	if err != nil {
		return ""
	}
	return strings.TrimSpace(string(b))
}
