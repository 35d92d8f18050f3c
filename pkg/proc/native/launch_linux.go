package native

import (
	"errors"
	"fmt"
	"os"
	"os/exec"
	"os/signal"
	"syscall"

	"golang.org/x/sys/unix"

	"github.com/godbg/godbg/pkg/proc"
)

// LaunchConfig says how to start a program.
type LaunchConfig struct {
	Path string
	Args []string // argv[1:]
	Dir  string
	Env  []string // nil: inherit
	// Stdin, Stdout, Stderr default to the debugger's own.
	Stdin, Stdout, Stderr *os.File
	// SyscallFilter lists system calls (numbers) the kernel stops the
	// program at, through a seccomp-bpf filter installed before it starts;
	// the others run untouched. See seccomp_linux.go.
	SyscallFilter []uint64
}

const launchOptions = unix.PTRACE_O_TRACECLONE | unix.PTRACE_O_TRACEEXEC | unix.PTRACE_O_EXITKILL |
	unix.PTRACE_O_TRACEFORK | unix.PTRACE_O_TRACEVFORK | unix.PTRACE_O_TRACESYSGOOD

// Launch starts the program stopped before its first instruction. The
// launch runs on the tracer thread, which thereby is the tracee's parent.
func Launch(cfg LaunchConfig) (proc.Process, error) {
	path, err := checkExecutable(cfg.Path)
	if err != nil {
		return nil, err
	}
	cmd := exec.Command(path, cfg.Args...)
	cmd.Args[0] = cfg.Path
	cmd.Dir, cmd.Env = cfg.Dir, cfg.Env
	if len(cfg.SyscallFilter) > 0 {
		self, args, env, err := trampoline(path, cfg.Path, cfg.Args, cfg.Env, cfg.SyscallFilter)
		if err != nil {
			return nil, err
		}
		cmd.Path, cmd.Args, cmd.Env = self, args, env
	}
	cmd.Stdin, cmd.Stdout, cmd.Stderr = orStd(cfg.Stdin, os.Stdin), orStd(cfg.Stdout, os.Stdout), orStd(cfg.Stderr, os.Stderr)
	// Its own process group: a Ctrl-C meant for the debugger does not hit
	// the program unless the program owns the terminal (see foreground).
	cmd.SysProcAttr = &syscall.SysProcAttr{Ptrace: true, Setpgid: true}
	ex := newExecutor()
	var p *nproc
	ex.run(func() { p, err = startTraced(ex, cmd, cfg.SyscallFilter) })
	if err != nil {
		return nil, err
	}
	if f, ok := cmd.Stdin.(*os.File); ok && isTerminal(int(f.Fd())) && isTerminal(0) && f.Fd() == 0 {
		signal.Ignore(unix.SIGTTOU) // we hand the terminal back and forth
		p.s.tty, p.s.fgPgrp = 0, p.pid
	}
	return p, nil
}

func startTraced(ex *executor, cmd *exec.Cmd, filter []uint64) (*nproc, error) {
	if err := cmd.Start(); err != nil {
		return nil, fmt.Errorf("could not start %s: %w", cmd.Path, err)
	}
	pid := cmd.Process.Pid
	_, ws, err := wait4(pid, 0)
	if err != nil {
		return nil, fmt.Errorf("waiting for %s (pid %d) to start: %w", cmd.Path, pid, err)
	}
	if !ws.Stopped() {
		return nil, fmt.Errorf("%s (pid %d) exited before its first instruction (status %d)", cmd.Path, pid, ws.ExitStatus())
	}
	opts := launchOptions
	if len(filter) > 0 {
		if ws, err = waitForProgram(pid); err != nil {
			unix.Kill(pid, unix.SIGKILL)
			return nil, err
		}
		opts |= ptraceOTraceSeccomp
	}
	if err := ptraceSetOptions(pid, opts); err != nil {
		unix.Kill(pid, unix.SIGKILL)
		return nil, fmt.Errorf("setting ptrace options on pid %d: %w", pid, err)
	}
	p := newProcess(pid, true, newSession(ex))
	if len(filter) > 0 {
		p.s.filter = map[uint64]bool{}
		for _, nr := range filter {
			p.s.filter[nr] = true
		}
	}
	p.s.add(p)
	p.cmd = cmd
	t := p.addThread(pid)
	t.running = false
	t.optioned = true
	t.stopSig = int(ws.StopSignal())
	if ws.TrapCause() > 0 {
		t.stopSig = 0 // the exec event stop after the filter trampoline
	}
	if p.mem, err = openMem(pid); err != nil {
		unix.Kill(pid, unix.SIGKILL)
		return nil, fmt.Errorf("opening memory of pid %d: %w", pid, err)
	}
	return p, nil
}

func checkExecutable(path string) (string, error) {
	full, err := exec.LookPath(path)
	st, serr := os.Stat(full)
	if err == nil && serr == nil && st.Mode()&0o111 != 0 && isELF(full) {
		return full, nil
	}
	if err == nil && serr == nil && !st.IsDir() && st.Mode()&0o111 != 0 {
		return "", fmt.Errorf("%s is not an ELF executable; godbg debugs compiled programs (build it first, or use godbg debug)", path)
	}
	st, serr = os.Stat(path)
	switch {
	case errors.Is(serr, os.ErrNotExist):
		return "", fmt.Errorf("%s: no such file; give the path of an executable (./prog)", path)
	case serr == nil && st.IsDir():
		return "", fmt.Errorf("%s is a directory, not an executable", path)
	case serr == nil:
		return "", fmt.Errorf("%s is not executable (mode %v); chmod +x it or build it first", path, st.Mode().Perm())
	}
	return "", fmt.Errorf("%s: %w", path, err)
}

func orStd(f, def *os.File) *os.File {
	if f != nil {
		return f
	}
	return def
}

func isTerminal(fd int) bool {
	_, err := unix.IoctlGetTermios(fd, unix.TCGETS)
	return err == nil
}

func isELF(path string) bool {
	f, err := os.Open(path)
	if err != nil {
		return false
	}
	defer f.Close()
	var magic [4]byte
	_, err = f.ReadAt(magic[:], 0)
	return err == nil && string(magic[:]) == "\x7fELF"
}
