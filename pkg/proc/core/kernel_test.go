package core

import (
	"bufio"
	"bytes"
	"fmt"
	"os"
	"os/exec"
	"path/filepath"
	"strconv"
	"strings"
	"syscall"
	"testing"

	"github.com/godbg/godbg/internal/fixtures"
)

// kernelCorePath returns where the kernel writes the core of pid (comm
// name) started in dir, or a reason it cannot tell.
func kernelCorePath(dir string, pid int, comm string) (string, string) {
	b, err := os.ReadFile("/proc/sys/kernel/core_pattern")
	if err != nil {
		return "", err.Error()
	}
	pat := strings.TrimSpace(string(b))
	if strings.HasPrefix(pat, "|") {
		return "", "core_pattern pipes cores to a program: " + pat
	}
	var out strings.Builder
	for i := 0; i < len(pat); i++ {
		if pat[i] != '%' || i+1 == len(pat) {
			out.WriteByte(pat[i])
			continue
		}
		i++
		switch pat[i] {
		case 'p', 'P':
			out.WriteString(strconv.Itoa(pid))
		case 'e':
			out.WriteString(strings.ReplaceAll(comm, "/", "!"))
		case '%':
			out.WriteByte('%')
		default:
			return "", "core_pattern " + pat + " uses %" + string(pat[i])
		}
	}
	p := out.String()
	if usePid, _ := os.ReadFile("/proc/sys/kernel/core_uses_pid"); strings.TrimSpace(string(usePid)) == "1" && !strings.Contains(pat, "%p") {
		p += "." + strconv.Itoa(pid)
	}
	if !filepath.IsAbs(p) {
		p = filepath.Join(dir, p)
	}
	return p, ""
}

// kernelCore crashes corefix under GOTRACEBACK=crash and returns the
// kernel's core, the binary, the fixture's pid and its global's address.
func kernelCore(t *testing.T) (core, bin string, pid int, global uint64) {
	bin = fixtures.Build(t, "corefix")
	dir := t.TempDir()
	cmd := exec.Command("sh", "-c", `ulimit -c unlimited || exit 99; exec "$0" crash`, bin)
	cmd.Dir = dir
	cmd.Env = append(os.Environ(), "GOTRACEBACK=crash")
	var stdout bytes.Buffer
	cmd.Stdout = &stdout
	err := cmd.Run()
	if cmd.ProcessState.ExitCode() == 99 {
		t.Skip("cannot raise the core size limit (ulimit -c unlimited failed)")
	}
	ws, _ := cmd.ProcessState.Sys().(syscall.WaitStatus)
	if !ws.Signaled() || ws.Signal() != syscall.SIGABRT {
		t.Fatalf("corefix crash: %v (status %v), want SIGABRT\n%s", err, ws, stdout.String())
	}
	sc := bufio.NewScanner(&stdout)
	for sc.Scan() {
		f := strings.Fields(sc.Text())
		switch {
		case len(f) == 2 && f[0] == "ready":
			pid, _ = strconv.Atoi(f[1])
		case len(f) >= 3 && f[0] == "addrs":
			global, _ = strconv.ParseUint(f[1], 0, 64)
		}
	}
	comm := filepath.Base(bin)
	if len(comm) > 15 {
		comm = comm[:15]
	}
	core, why := kernelCorePath(dir, cmd.Process.Pid, comm)
	if why != "" {
		t.Skip(why)
	}
	if !ws.CoreDump() {
		t.Skipf("the kernel wrote no core for pid %d (core_pattern, limits or a container policy)", pid)
	}
	if _, err := os.Stat(core); err != nil {
		t.Skipf("the kernel reports a core dump, but not at %s: %v", core, err)
	}
	return core, bin, pid, global
}

func TestKernelCore(t *testing.T) {
	core, bin, pid, global := kernelCore(t)
	p := openCoreOf(t, bin, core)
	if p.Pid() != pid || len(p.Threads()) < 2 {
		t.Fatalf("pid %d with %d threads, want pid %d with several", p.Pid(), len(p.Threads()), pid)
	}
	st := StopOf(p)
	if st == nil || st.Signal != int(syscall.SIGABRT) {
		t.Fatalf("StopOf = %+v, want SIGABRT", st)
	}
	th, ok := p.Thread(st.Tid)
	if !ok || th.State() != "signal SIGABRT" {
		t.Fatalf("current thread %d: %v", st.Tid, th)
	}
	r, _ := th.Registers()
	code := make([]byte, 16)
	if _, err := p.ReadMemory(r.PC(), code); err != nil {
		t.Errorf("code at the crashing pc %#x: %v", r.PC(), err)
	}
	buf := make([]byte, 64)
	if _, err := p.ReadMemory(global, buf); err != nil {
		t.Fatal(err)
	}
	if want := fmt.Sprintf("corefix marker pid=%d variant=plain", pid); !strings.HasPrefix(string(buf), want) {
		t.Errorf("global marker = %q, want %q", buf, want)
	}
	l := &live{bin: bin}
	checkText(t, l, p, "main.main", 0) // not in a kernel core: read from the executable
	out := gdbOn(t, bin, core, "info threads")
	checkGdbOutput(t, bin, out, len(p.Threads()))
}
