package main

import (
	"fmt"
	"os"
	"path/filepath"
	"regexp"
	"slices"
	"strings"
	"syscall"
	"testing"
	"time"

	"github.com/godbg/godbg/internal/fixtures"
)

func TestExecExitStatus(t *testing.T) {
	bin := fixtures.Build(t, "exitcode.c")
	out, code := run(t, "continue\n", "exec", bin, "--", "3")
	if code != 0 || !regexp.MustCompile(`Process \d+ has exited with status 3`).MatchString(out) {
		t.Fatalf("exit %d:\n%s", code, out)
	}
}

func TestExecFatalSignalThenDelivered(t *testing.T) {
	bin := fixtures.Build(t, "exitcode.c")
	out, _ := run(t, "continue\ncontinue\n", "exec", bin, "--", "segv")
	if !regexp.MustCompile(`Thread \d+ received signal SIGSEGV`).MatchString(out) ||
		!regexp.MustCompile(`Process \d+ was killed by signal SIGSEGV`).MatchString(out) {
		t.Fatalf("output:\n%s", out)
	}
}

func TestExecInt3StopsAndContinues(t *testing.T) {
	bin := fixtures.Build(t, "exitcode.c")
	out, _ := run(t, "c\nc\n", "exec", bin, "--", "trap")
	if !strings.Contains(out, "breakpoint instruction (int3)") || !strings.Contains(out, "after trap") ||
		!strings.Contains(out, "has exited with status 7") {
		t.Fatalf("output:\n%s", out)
	}
}

func TestExecKilledBySIGKILL(t *testing.T) {
	bin := fixtures.Build(t, "exitcode.c")
	s := start(t, "exec", bin, "--", "sleep")
	m := s.expect(`^Process (\d+) launched`)
	s.send("continue")
	time.Sleep(100 * time.Millisecond)
	var pid int
	fmt.Sscan(m[1], &pid)
	syscall.Kill(pid, syscall.SIGKILL)
	s.expect(`was killed by signal SIGKILL`)
	s.end()
}

func TestExecInitFileBeforeOrAfterPath(t *testing.T) {
	bin := fixtures.Build(t, "exitcode.c")
	init := filepath.Join(t.TempDir(), "cmds.txt")
	os.WriteFile(init, []byte("continue\n"), 0o644)
	for _, args := range [][]string{
		{"exec", bin, "--init", init, "--", "5"},
		{"exec", "--init", init, bin, "--", "5"},
	} {
		out, code := run(t, "", args...)
		if code != 0 || !strings.Contains(out, "has exited with status 5") {
			t.Errorf("%v: exit %d\n%s", args, code, out)
		}
	}
	out, code := run(t, "", "exec", bin, "--init", "/nonexistent/cmds")
	if code != 1 || !strings.Contains(out, "/nonexistent/cmds") {
		t.Errorf("missing init file: exit %d, %q", code, out)
	}
}

func TestExecBadProgram(t *testing.T) {
	for _, tc := range []struct{ path, want string }{
		{"/nonexistent/prog", "no such file"},
		{"/tmp", "is a directory"},
		{"/etc/hostname", "not an ELF executable"},
		{"/etc/passwd", "not executable"},
	} {
		out, code := run(t, "", "exec", tc.path)
		if code != 1 || !strings.Contains(out, tc.want) {
			t.Errorf("exec %s: exit %d, %q", tc.path, code, out)
		}
	}
}

func TestHaltWithSIGINTNewThreadsReleased(t *testing.T) {
	bin := fixtures.Build(t, "churn.c")
	s := start(t, "exec", bin, "--", "2")
	m := s.expect(`^Process (\d+) launched`)
	var pid int
	fmt.Sscan(m[1], &pid)
	s.send("continue")
	s.expect(`^\[new thread \d+\]`)
	for i := 0; i < 5; i++ {
		time.Sleep(30 * time.Millisecond)
		s.cmd.Process.Signal(syscall.SIGINT)
		s.expect(`^Process \d+ halted`)
		if ok, st := fixtures.AllStopped(pid); !ok {
			t.Fatalf("halt %d: not all stopped: %v", i, st)
		}
		kernel, _ := fixtures.Tids(pid)
		mark := len(s.output())
		s.send("threads")
		s.send("thread 0") // its error line marks the end of the listing
		s.expect(`thread needs a thread id`)
		if got := threadIDs(s.output()[mark:]); !slices.Equal(got, kernel) {
			t.Fatalf("threads lists %v, kernel %v", got, kernel)
		}
		s.send("continue")
		s.expect(`^\[new thread \d+\]`)
	}
	s.cmd.Process.Signal(syscall.SIGINT)
	s.expect(`^Process \d+ halted`)
	s.send("exit")
	if code := s.end(); code != 0 {
		t.Fatalf("exit %d", code)
	}
	if alive(pid) {
		t.Fatalf("launched process %d survived the session", pid)
	}
	if !strings.Contains(s.output(), "[thread ") {
		t.Fatalf("no thread exit reported:\n%s", s.output())
	}
}

func TestDataCommands(t *testing.T) {
	bin := fixtures.Build(t, "exitcode.c")
	script := strings.Join([]string{
		"regs -a",
		"set $rax = 0x1234",
		"regs",
		"set $nosuch = 1",
		"x -count 2 -size 8 $rsp",
		"set *(*uint64)($rsp) = 0x1122334455667788",
		"x -fmt hex -size 8 $rsp",
		"x -fmt dec -size 1 -count 2 $rsp",
		"x -size 3 $rsp",
		"x 0x10",
		"x $rsp+",
		"stepi",
		"frobnicate",
		"thread 1",
		"help regs",
		"kill",
		"threads",
		"restart",
		"continue",
	}, "\n") + "\n"
	out, code := run(t, script, "exec", bin, "--", "4")
	if code != 0 {
		t.Fatalf("exit %d\n%s", code, out)
	}
	for _, want := range []string{
		"eflags = ", "xmm15 = 0x", "rax = 0x0000000000001234",
		"unknown register nosuch",
		": 0x1122334455667788",
		": 136 119",
		"-size must be 1, 2, 4 or 8",
		"address not mapped",
		"bad expression",
		`unknown command "frobnicate"`,
		"no thread 1 in process",
		"regs [-a]",
		"killed",
		"has exited; use restart",
		"launched, stopped before its first instruction",
		"has exited with status 4",
	} {
		if !strings.Contains(strings.ReplaceAll(out, "   ", " "), want) {
			t.Errorf("output lacks %q", want)
		}
	}
	if t.Failed() {
		t.Log(out)
	}
}

// TestHandleSignalPolicy: handle changes whether SIGUSR1 stops the program
// and whether it reaches the program's handler.
func TestHandleSignalPolicy(t *testing.T) {
	bin := fixtures.Build(t, "signals.c")
	cases := []struct {
		handle    string
		wantStops int
		wantCount string
		wantLine  string
	}{
		{"handle SIGUSR1 nostop noprint pass", 0, "count 3", ""},
		{"handle SIGUSR1 nostop print nopass", 0, "count 0", "received SIGUSR1, not passed to the program]"},
		{"handle usr1 stop pass", 3, "count 3", "received signal SIGUSR1; continue delivers it"},
		{"handle 10 stop nopass", 3, "count 0", "it will not be delivered"},
	}
	for _, c := range cases {
		s := start(t, "exec", bin)
		m := s.expect(`^Process (\d+) launched`)
		var pid int
		fmt.Sscan(m[1], &pid)
		s.send(c.handle)
		s.expect(`^SIGUSR1 `)
		s.send("continue")
		s.expect(`^ready`)
		for i := 0; i < 3; i++ {
			syscall.Kill(pid, syscall.SIGUSR1)
			if c.wantStops > 0 {
				s.expect(`received signal SIGUSR1`)
				s.send("continue")
			}
			// SIGUSR1 is a standard signal: one sent while the last is
			// still pending is merged with it (the program would count 2).
			// A loaded machine can leave it pending for a long time.
			waitNotPending(t, pid, syscall.SIGUSR1)
		}
		syscall.Kill(pid, syscall.SIGUSR2)
		s.expect("^" + c.wantCount + "$")
		s.expect(`has exited with status 0`)
		s.end()
		if c.wantLine != "" && !strings.Contains(s.output(), c.wantLine) {
			t.Errorf("%s: output lacks %q:\n%s", c.handle, c.wantLine, s.output())
		}
	}
	out, _ := run(t, "handle SIGNOPE stop\nhandle SIGKILL nostop\nhandle SIGUSR1 frob\nhandle\n", "exec", bin)
	for _, want := range []string{`unknown signal "SIGNOPE"`, "SIGKILL cannot be caught", `unknown keyword "frob"`, "SIGURG       No    No     Yes", "SIGSEGV      Yes   Yes    Yes"} {
		if !strings.Contains(out, want) {
			t.Errorf("output lacks %q:\n%s", want, out)
		}
	}
}

// waitNotPending waits until the kernel shows sig no longer pending for
// pid: taken by a thread (a tracee takes it into its signal-delivery-stop).
func waitNotPending(t *testing.T, pid int, sig syscall.Signal) {
	t.Helper()
	for deadline := time.Now().Add(20 * time.Second); ; time.Sleep(time.Millisecond) {
		pending, err := fixtures.SignalPending(pid, int(sig))
		if err != nil || !pending {
			return
		}
		if time.Now().After(deadline) {
			t.Fatalf("%v still pending for process %d after 20s", sig, pid)
		}
	}
}

func TestCatchSyscallAndTrace(t *testing.T) {
	bin := fixtures.Build(t, "bpfix.c")
	out, code := run(t, "catch syscall write\ncatch syscall nosuchcall\ncatch forks\nbreakpoints\ncontinue\ncontinue\nclear 1\ncontinue\n",
		"exec", bin, "--", "1", "1")
	for _, want := range []string{
		`Catchpoint 1 (syscall write)`,
		`unknown system call "nosuchcall"`,
		`catch forks: unknown event`,
		`[Catchpoint 1] catch syscall write`,
		`entered system call write(1, "sum 1\n", 6) [Catchpoint 1]`,
		`returned from system call write(1, "sum 1\n", 6) = 6`,
		`[Catchpoint 1] cleared`,
		`has exited with status 0`,
	} {
		if !strings.Contains(out, want) {
			t.Errorf("output lacks %q", want)
		}
	}
	if code != 0 || t.Failed() {
		t.Fatalf("exit %d\n%s", code, out)
	}
	out, _ = run(t, "continue\n", "exec", "--trace-syscalls", bin, "--", "1", "1")
	for _, want := range []string{`write(1, "sum 1\n", 6) = 6`, "exit_group(0) = ?", "has exited with status 0"} {
		if !strings.Contains(out, want) {
			t.Errorf("trace output lacks %q:\n%s", want, out)
		}
	}
	if regexp.MustCompile(`entered system call`).MatchString(out) {
		t.Errorf("tracing stopped the program:\n%s", out)
	}
}

// TestSignalCommand: signal SIGUSR1 reaches the handler; signal 0 drops
// the fault the program was about to receive.
func TestSignalCommand(t *testing.T) {
	bin := fixtures.Build(t, "signals.c")
	s := start(t, "exec", bin)
	m := s.expect(`^Process (\d+) launched`)
	var pid int
	fmt.Sscan(m[1], &pid)
	s.send("continue")
	s.expect(`^ready`)
	s.cmd.Process.Signal(syscall.SIGINT)
	s.expect(`halted`)
	s.send("signal SIGNOPE")
	s.expect(`unknown signal "SIGNOPE"`)
	s.send("signal SIGUSR1")
	time.Sleep(100 * time.Millisecond)
	syscall.Kill(pid, syscall.SIGUSR2)
	s.expect(`^count 1$`)
	s.expect(`has exited with status 0`)
	s.end()
	out, _ := run(t, "continue\nsignal 0\n", "exec", fixtures.Build(t, "exitcode.c"), "--", "segv")
	if !strings.Contains(out, "received signal SIGSEGV") {
		t.Fatalf("no SIGSEGV stop:\n%s", out)
	}
	// Dropping the fault re-executes the faulting store: it faults again.
	if n := strings.Count(out, "received signal SIGSEGV"); n != 2 {
		t.Fatalf("%d SIGSEGV stops, want 2 (signal 0 drops the first, the store faults again)\n%s", n, out)
	}
}

// TestCatchSignal: catch signal SIGUSR1 stops on each one (which the
// default policy passes silently) and still delivers it.
func TestCatchSignal(t *testing.T) {
	bin := fixtures.Build(t, "signals.c")
	s := start(t, "exec", bin)
	m := s.expect(`^Process (\d+) launched`)
	var pid int
	fmt.Sscan(m[1], &pid)
	s.send("catch signal SIGNOPE")
	s.expect(`unknown signal "SIGNOPE"`)
	s.send("catch signal SIGUSR1")
	s.expect(`^Catchpoint 1 \(signal SIGUSR1\)`)
	s.send("continue")
	s.expect(`^ready`)
	for i := 0; i < 2; i++ {
		syscall.Kill(pid, syscall.SIGUSR1)
		s.expect(`^\[Catchpoint 1\] Thread \d+ received signal SIGUSR1; continue delivers it`)
		s.send("continue")
		time.Sleep(20 * time.Millisecond)
	}
	s.send("") // nothing
	syscall.Kill(pid, syscall.SIGUSR2)
	s.expect(`^count 2$`)
	s.expect(`has exited with status 0`)
	s.end()
}

func TestCatchSyscallsUpFront(t *testing.T) {
	bin := fixtures.Build(t, "bpfix.c")
	out, code := run(t, "breakpoints\ncontinue\ndetach\ncontinue\ncontinue\n", "exec", "--catch-syscalls", "write", bin, "--", "2", "3")
	for _, want := range []string{
		`[Catchpoint 1] catch syscall write`,
		`entered system call write(1, "sum 24\n", 7) [Catchpoint 1]`,
		`under a system-call filter (--catch-syscalls)`,
		`returned from system call write(1, "sum 24\n", 7) = 7`,
		`has exited with status 0`,
	} {
		if !strings.Contains(out, want) {
			t.Errorf("output lacks %q", want)
		}
	}
	if n := strings.Count(out, "entered system call"); n != 1 {
		t.Errorf("%d system-call stops, want only the write", n)
	}
	if code != 0 || t.Failed() {
		t.Fatalf("exit %d\n%s", code, out)
	}
	out, code = run(t, "", "exec", "--catch-syscalls", "nosuchcall", bin)
	if code == 0 || !strings.Contains(out, `unknown system call "nosuchcall"`) {
		t.Fatalf("bad call name: exit %d\n%s", code, out)
	}
	out, code = run(t, "", "attach", "--catch-syscalls", "write", "1")
	if code == 0 || !strings.Contains(out, "--catch-syscalls works only for a program godbg starts") {
		t.Fatalf("attach with a filter: exit %d\n%s", code, out)
	}
}
