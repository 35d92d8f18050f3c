package main

import (
	"fmt"
	"os"
	"os/exec"
	"slices"
	"strings"
	"syscall"
	"testing"

	"github.com/godbg/godbg/internal/fixtures"
)

func TestAttachThreadsRegsAndDetachAtEOF(t *testing.T) {
	fx := fixtures.Start(t, fixtures.Build(t, "sleepers.c"), "5")
	kernel, _ := fixtures.Tids(fx.Pid)
	other := kernel[len(kernel)-1]
	s := start(t, "attach", fmt.Sprint(fx.Pid))
	s.expect(`^Attached to process \d+ \(6 threads, all stopped\)`)
	if ok, m := fixtures.AllStopped(fx.Pid); !ok {
		t.Fatalf("not all stopped after attach: %v", m)
	}
	sp, pc, err := fixtures.SyscallSPPC(fx.Pid, other)
	if err != nil {
		t.Fatal(err)
	}
	s.send("threads")
	s.send(fmt.Sprintf("thread %d", other))
	s.send("regs")
	if code := s.end(); code != 0 {
		t.Fatalf("exit %d; output:\n%s", code, s.output())
	}
	out := s.output()
	if got := threadIDs(out); !slices.Equal(got, kernel) {
		t.Fatalf("threads lists %v, kernel %v\n%s", got, kernel, out)
	}
	if rip, rsp := regValue(t, out, "rip"), regValue(t, out, "rsp"); rip != pc || rsp != sp {
		t.Fatalf("thread %d: rip/rsp %#x/%#x, kernel %#x/%#x", other, rip, rsp, pc, sp)
	}
	if !strings.Contains(out, "Detached from process") {
		t.Fatalf("no detach message:\n%s", out)
	}
	checkRunning(t, fx.Pid)
}

func TestAttachChurnFiftyTimes(t *testing.T) {
	fx := fixtures.Start(t, fixtures.Build(t, "churn.c"), "4")
	for i := 0; i < 50; i++ {
		out, code := run(t, "threads\n", "attach", fmt.Sprint(fx.Pid))
		if code != 0 || !strings.Contains(out, "Attached to process") {
			t.Fatalf("attach #%d: exit %d\n%s", i, code, out)
		}
		checkRunning(t, fx.Pid)
	}
}

func TestAttachBadInput(t *testing.T) {
	fx := fixtures.Start(t, fixtures.Build(t, "sleepers.c"), "1")
	zombie := exec.Command("true")
	zombie.Start()
	defer zombie.Wait()
	for zombie.ProcessState == nil {
		if st, _ := os.ReadFile(fmt.Sprintf("/proc/%d/stat", zombie.Process.Pid)); strings.Contains(string(st), ") Z") {
			break
		}
	}
	holder := start(t, "attach", fmt.Sprint(fx.Pid))
	holder.expect("^Attached")
	tests := []struct {
		name string
		args []string
		want string
	}{
		{"not a number", []string{"attach", "abc"}, `"abc" is not a process id`},
		{"no such process", []string{"attach", "99999999"}, "cannot attach to process 99999999: no such process"},
		{"zombie", []string{"attach", fmt.Sprint(zombie.Process.Pid)}, "zombie"},
		{"already traced", []string{"attach", fmt.Sprint(fx.Pid)}, fmt.Sprintf("already traced by pid %d (godbg)", holder.cmd.Process.Pid)},
		{"no pid", []string{"attach"}, "accepts 1 arg"},
	}
	for _, tc := range tests {
		out, code := run(t, "", tc.args...)
		if code != 1 || !strings.Contains(out, tc.want) {
			t.Errorf("%s: exit %d, output %q; want exit 1 and %q", tc.name, code, out, tc.want)
		}
	}
	holder.end()
	checkRunning(t, fx.Pid)
}

func TestAttachPermissionDenied(t *testing.T) {
	if os.Geteuid() != 0 {
		t.Skip("needs root to run godbg as another user")
	}
	fx := fixtures.Start(t, fixtures.Build(t, "sleepers.c"), "1")
	cmd := exec.Command(godbgBin, "attach", fmt.Sprint(fx.Pid))
	cmd.SysProcAttr = &syscall.SysProcAttr{Credential: &syscall.Credential{Uid: 65534, Gid: 65534}}
	out, _ := cmd.CombinedOutput()
	if cmd.ProcessState.ExitCode() != 1 || !strings.Contains(string(out), "ptrace not permitted") ||
		!strings.Contains(string(out), "uid 0") {
		t.Fatalf("exit %d, output %q", cmd.ProcessState.ExitCode(), out)
	}
	checkRunning(t, fx.Pid)
}
