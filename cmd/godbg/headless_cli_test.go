package main

import (
	"fmt"
	"net"
	"os"
	"os/exec"
	"path/filepath"
	"regexp"
	"slices"
	"strconv"
	"strings"
	"syscall"
	"testing"
	"time"

	"github.com/godbg/godbg/internal/fixtures"
)

// headless starts a godbg server and returns it and the address it printed.
func headless(t *testing.T, args ...string) (*session, string) {
	t.Helper()
	s := start(t, args...)
	return s, s.expect(`^API server listening at: (\S+)$`)[1]
}

// waitEnd waits for a godbg process to end by itself; its exit status.
func waitEnd(t *testing.T, s *session) int {
	t.Helper()
	deadline := time.After(30 * time.Second)
	for s.lines != nil {
		select {
		case _, ok := <-s.lines:
			if !ok {
				s.lines = nil
			}
		case <-deadline:
			t.Fatalf("godbg %v did not end; output:\n%s", s.cmd.Args[1:], s.output())
		}
	}
	for s.cmd.ProcessState == nil {
		time.Sleep(10 * time.Millisecond)
	}
	return s.cmd.ProcessState.ExitCode()
}

// gone waits for a process to be killed (gone or a zombie).
func gone(t *testing.T, pid int) {
	t.Helper()
	for i := 0; i < 500; i++ {
		st, err := os.ReadFile(fmt.Sprintf("/proc/%d/stat", pid))
		if err != nil || strings.Contains(string(st), ") Z") {
			return
		}
		time.Sleep(10 * time.Millisecond)
	}
	t.Fatalf("process %d survived the session", pid)
}

func launchedPid(t *testing.T, out string) int {
	t.Helper()
	m := regexp.MustCompile(`(?m)^Process (\d+) launched`).FindStringSubmatch(out)
	if m == nil {
		t.Fatalf("no launch line in:\n%s", out)
	}
	pid, _ := strconv.Atoi(m[1])
	return pid
}

var (
	eventLine = regexp.MustCompile(`^\[(new thread \d+|thread \d+ exited)\]$`)
	idWord    = regexp.MustCompile(`\b(thread|Thread|process|Process)([ (])\d+`)
	// otherThread is a threads line other than the current one: where the
	// runtime's idle threads wait differs from run to run.
	otherThread = regexp.MustCompile(`^  Thread \d+ at `)
)

// comparable drops event lines (their timing differs) and replaces thread
// and process ids.
func comparable(out string) string {
	var keep []string
	for _, l := range strings.Split(out, "\n") {
		if eventLine.MatchString(l) || otherThread.MatchString(l) {
			continue
		}
		keep = append(keep, idWord.ReplaceAllString(l, "$1${2}N"))
	}
	return strings.Join(keep, "\n")
}

func TestHeadlessSessionMatchesLocal(t *testing.T) {
	bin := fixtures.Build(t, "stepfix")
	cmds := strings.Join([]string{"break main.shared", "continue", "stack", "print id", "next", "next",
		"locals", "print x + id*10", "whatis x", "goroutines -with userloc main", "goroutine", "threads",
		"breakpoints", "list", "print nosuchvar", "step", "stepout"}, "\n") + "\n"
	local, code := run(t, cmds, "exec", bin)
	if code != 0 {
		t.Fatalf("local session: exit %d\n%s", code, local)
	}
	srv, addr := headless(t, "exec", "--headless", bin)
	remote, code := run(t, cmds, "connect", addr)
	if code != 0 {
		t.Fatalf("connect: exit %d\n%s", code, remote)
	}
	if comparable(local) != comparable(remote) {
		t.Fatalf("a connected session prints what a local one does; local:\n%s\nconnected:\n%s", local, remote)
	}
	for _, want := range []string{"> [Breakpoint 1] main.shared()", "Goroutine 1 - User:", "* Thread ", "Process "} {
		if !strings.Contains(remote, want) {
			t.Fatalf("no %q in:\n%s", want, remote)
		}
	}
	// The only client left: the server killed the program and ended.
	if code := waitEnd(t, srv); code != 0 {
		t.Fatalf("server exit %d\n%s", code, srv.output())
	}
	gone(t, launchedPid(t, remote))
	if !strings.Contains(remote, "Process "+strconv.Itoa(launchedPid(t, remote))+" killed") {
		t.Fatalf("the client does not say the program was killed:\n%s", remote)
	}
}

func TestHeadlessEventsAndHalt(t *testing.T) {
	bin := fixtures.Build(t, "churn.c")
	srv, addr := headless(t, "exec", "--headless", bin, "--", "2")
	c := start(t, "connect", addr)
	pid := launchedPid(t, c.expect(`^Process \d+ launched`)[0])
	c.send("continue")
	c.expect(`^\[new thread \d+\]`) // events reach the client
	for i := 0; i < 3; i++ {
		time.Sleep(30 * time.Millisecond)
		c.cmd.Process.Signal(syscall.SIGINT) // Ctrl-C in the client halts the server's program
		c.expect(`^Process \d+ halted`)
		if ok, st := fixtures.AllStopped(pid); !ok {
			t.Fatalf("halt %d: not all stopped: %v", i, st)
		}
		kernel, _ := fixtures.Tids(pid)
		mark := len(c.output())
		c.send("threads")
		c.send("thread 0") // its error line marks the end of the listing
		c.expect(`thread needs a thread id`)
		if got := threadIDs(c.output()[mark:]); !slices.Equal(got, kernel) {
			t.Fatalf("threads lists %v, kernel %v", got, kernel)
		}
		c.send("continue")
		c.expect(`^\[new thread \d+\]`)
	}
	c.cmd.Process.Signal(syscall.SIGINT)
	c.expect(`^Process \d+ halted`)
	c.send("exit")
	if code := c.end(); code != 0 {
		t.Fatalf("connect exit %d\n%s", code, c.output())
	}
	if code := waitEnd(t, srv); code != 0 {
		t.Fatalf("server exit %d\n%s", code, srv.output())
	}
	gone(t, pid)
}

func TestHeadlessMulticlient(t *testing.T) {
	bin := fixtures.Build(t, "stepfix")
	srv, addr := headless(t, "exec", "--headless", "--accept-multiclient", bin, "--", "goroutines")
	stop := regexp.MustCompile(`(?m)^> \[Breakpoint 1\] main\.shared\(\) .*\(thread (\d+)\)$`)
	first, code := run(t, "break main.shared\ncontinue\nexit\n", "connect", addr)
	m := stop.FindStringSubmatch(first)
	if code != 0 || m == nil || !strings.Contains(first, "Left the session") {
		t.Fatalf("first client: exit %d\n%s", code, first)
	}
	pid := launchedPid(t, first)
	// The tracer is one of the server's threads.
	tp, _ := fixtures.TracerPid(pid)
	if _, err := os.Stat(fmt.Sprintf("/proc/%d/task/%d", srv.cmd.Process.Pid, tp)); tp == 0 || err != nil {
		t.Fatalf("after the first client left, process %d is traced by %d, not by the server %d", pid, tp, srv.cmd.Process.Pid)
	}
	if ok, st := fixtures.AllStopped(pid); !ok {
		t.Fatalf("the program runs between clients: %v", st)
	}
	second, code := run(t, "threads\nexit\n", "connect", addr)
	if code != 0 || !strings.Contains(second, m[0]) {
		t.Fatalf("second client: exit %d; want the same stop %q:\n%s", code, m[0], second)
	}
	if !regexp.MustCompile(`(?m)^\* Thread ` + m[1] + ` at .* main\.shared\(\) `).MatchString(second) {
		t.Fatalf("thread %s is not current in main.shared for the second client:\n%s", m[1], second)
	}
	last, code := run(t, "exit\n", "connect", "--shutdown-on-exit", addr)
	if code != 0 || !strings.Contains(last, fmt.Sprintf("Process %d killed", pid)) {
		t.Fatalf("ending client: exit %d\n%s", code, last)
	}
	if code := waitEnd(t, srv); code != 0 {
		t.Fatalf("server exit %d\n%s", code, srv.output())
	}
	gone(t, pid)
}

func TestHeadlessClientLostKills(t *testing.T) {
	bin := fixtures.Build(t, "churn.c")
	srv, addr := headless(t, "exec", "--headless", bin, "--", "2")
	c := start(t, "connect", addr)
	pid := launchedPid(t, c.expect(`^Process \d+ launched`)[0])
	c.send("continue")
	c.expect(`^\[new thread \d+\]`)
	c.cmd.Process.Kill() // the connection is lost while the program runs
	if code := waitEnd(t, srv); code != 0 {
		t.Fatalf("server exit %d\n%s", code, srv.output())
	}
	gone(t, pid)
}

func TestHeadlessAttachDetachesAtDisconnect(t *testing.T) {
	fx := fixtures.Start(t, fixtures.Build(t, "sleepers.c"), "2")
	srv, addr := headless(t, "attach", "--headless", fmt.Sprint(fx.Pid))
	out, code := run(t, "threads\n", "connect", addr)
	if code != 0 || !strings.Contains(out, "Attached to process") || len(threadIDs(out)) != 3 ||
		!strings.Contains(out, fmt.Sprintf("Detached from process %d; it keeps running", fx.Pid)) {
		t.Fatalf("exit %d\n%s", code, out)
	}
	if code := waitEnd(t, srv); code != 0 {
		t.Fatalf("server exit %d\n%s", code, srv.output())
	}
	checkRunning(t, fx.Pid)
}

// endServer ends a single-client server by connecting and exiting.
func endServer(t *testing.T, srv *session, addr string, args ...string) {
	t.Helper()
	out, code := run(t, "exit\n", append([]string{"connect", addr}, args...)...)
	if code != 0 {
		t.Fatalf("connect %s: exit %d\n%s", addr, code, out)
	}
	if code := waitEnd(t, srv); code != 0 {
		t.Fatalf("server exit %d\n%s", code, srv.output())
	}
}

func TestHeadlessListensOnLoopbackOnly(t *testing.T) {
	bin := fixtures.Build(t, "bpfix.c")
	srv, addr := headless(t, "exec", "--headless", bin)
	_, port, _ := net.SplitHostPort(addr)
	p, _ := strconv.Atoi(port)
	if !strings.HasPrefix(addr, "127.0.0.1:") {
		t.Fatalf("default address %s", addr)
	}
	tab, _ := os.ReadFile("/proc/net/tcp")
	listen := regexp.MustCompile(fmt.Sprintf(`(?m)^\s*\d+: ([0-9A-F]{8}):%04X 00000000:0000 0A `, p)).FindAllStringSubmatch(string(tab), -1)
	if len(listen) != 1 || listen[0][1] != "0100007F" {
		t.Fatalf("listening sockets on port %d: %v; want one on 127.0.0.1 (0100007F)", p, listen)
	}
	// A second client of a single-client server is turned away.
	c := start(t, "connect", addr)
	c.expect(`^Process \d+ launched`)
	out, code := run(t, "", "connect", addr)
	if code != 1 || !strings.Contains(out, "serving another client") {
		t.Fatalf("second client: exit %d, %q", code, out)
	}
	c.send("exit")
	c.end()
	waitEnd(t, srv)

	out, code = run(t, "", "exec", "--headless", "--listen", ":0", bin)
	if code != 1 || !strings.Contains(out, "--allow-remote") {
		t.Fatalf("--listen :0 without --allow-remote: exit %d, %q", code, out)
	}
	srv, addr = headless(t, "exec", "--headless", "--listen", ":0", "--allow-remote", bin)
	if !strings.Contains(srv.output(), "warning: the API server at") || !strings.Contains(srv.output(), "controls the program") {
		t.Fatalf("no warning for a remote listener:\n%s", srv.output())
	}
	_, port, _ = net.SplitHostPort(addr)
	endServer(t, srv, "127.0.0.1:"+port)
}

func TestHeadlessUnixSocketAndToken(t *testing.T) {
	bin := fixtures.Build(t, "bpfix.c")
	dir := t.TempDir()
	sock := filepath.Join(dir, "godbg.sock")
	tokenFile := filepath.Join(dir, "token")
	os.WriteFile(tokenFile, []byte("correct horse\n"), 0o600)
	srv, addr := headless(t, "exec", "--headless", "--listen", "unix:"+sock, "--auth-token-file", tokenFile, bin)
	if addr != "unix:"+sock {
		t.Fatalf("address %s", addr)
	}
	fi, err := os.Stat(sock)
	if err != nil || fi.Mode().Perm() != 0o600 || fi.Mode()&os.ModeSocket == 0 {
		t.Fatalf("socket %v, %v; want mode 0600", fi.Mode(), err)
	}
	for _, args := range [][]string{{}, {"--auth-token", "wrong"}, {"--auth-token", "correct horsE"}} {
		out, code := run(t, "threads\n", append([]string{"connect", addr}, args...)...)
		if code != 1 || !strings.Contains(out, "refused the connection: authentication failed") {
			t.Fatalf("connect %v: exit %d, %q", args, code, out)
		}
	}
	out, code := run(t, "threads\n", "connect", addr, "--auth-token", "correct horse")
	if code != 0 || len(threadIDs(out)) != 1 {
		t.Fatalf("connect with the token: exit %d\n%s", code, out)
	}
	if code := waitEnd(t, srv); code != 0 {
		t.Fatalf("server exit %d\n%s", code, srv.output())
	}
	if _, err := os.Stat(sock); err == nil {
		t.Fatalf("the server left %s behind", sock)
	}
}

// asNobody runs godbg as uid 65534.
func asNobody(args ...string) (string, int) {
	cmd := exec.Command(godbgBin, args...)
	cmd.SysProcAttr = &syscall.SysProcAttr{Credential: &syscall.Credential{Uid: 65534, Gid: 65534}}
	out, _ := cmd.CombinedOutput()
	return string(out), cmd.ProcessState.ExitCode()
}

func TestHeadlessRefusesOtherUsers(t *testing.T) {
	if os.Geteuid() != 0 {
		t.Skip("needs root to run a client as another user")
	}
	bin := fixtures.Build(t, "bpfix.c")
	srv, addr := headless(t, "exec", "--headless", bin)
	out, code := asNobody("connect", addr)
	if code != 1 || !strings.Contains(out, "refused the connection: the peer runs as uid 65534") {
		t.Fatalf("loopback connection from uid 65534: exit %d, %q", code, out)
	}
	endServer(t, srv, addr) // the refused peer did not count as the client

	dir, err := os.MkdirTemp("", "godbg-sock-")
	if err != nil {
		t.Fatal(err)
	}
	defer os.RemoveAll(dir)
	os.Chmod(dir, 0o755)
	sock := filepath.Join(dir, "godbg.sock")
	srv, addr = headless(t, "exec", "--headless", "--listen", "unix:"+sock, bin)
	if out, code := asNobody("connect", addr); code != 1 || !strings.Contains(out, "permission denied") {
		t.Fatalf("uid 65534 opened the 0600 socket: exit %d, %q", code, out)
	}
	os.Chmod(sock, 0o666) // past the file mode, SO_PEERCRED still refuses
	if out, code := asNobody("connect", addr); code != 1 || !strings.Contains(out, "the peer runs as uid 65534") {
		t.Fatalf("uid 65534 on the unix socket: exit %d, %q", code, out)
	}
	endServer(t, srv, addr)
}

func TestHeadlessBadInput(t *testing.T) {
	bin := fixtures.Build(t, "bpfix.c")
	initFile := filepath.Join(t.TempDir(), "init")
	os.WriteFile(initFile, []byte("threads\n"), 0o644)
	notGodbg, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	defer notGodbg.Close()
	go func() {
		for {
			c, err := notGodbg.Accept()
			if err != nil {
				return
			}
			c.Write([]byte("SSH-2.0-OpenSSH_9.6\r\n"))
			c.Close()
		}
	}()
	for _, tc := range []struct {
		args []string
		want string
	}{
		{[]string{"connect", "127.0.0.1:1"}, "no godbg server is listening at 127.0.0.1:1"},
		{[]string{"connect", "unix:/nonexistent/godbg.sock"}, "no godbg server is listening at unix:/nonexistent/godbg.sock"},
		{[]string{"connect", notGodbg.Addr().String()}, "did not answer as a godbg server"},
		{[]string{"connect"}, "accepts 1 arg"},
		{[]string{"connect", "127.0.0.1:1", "--auth-token", "a", "--auth-token-file", initFile}, "not both"},
		{[]string{"connect", "127.0.0.1:1", "--auth-token-file", "/nonexistent"}, "--auth-token-file"},
		{[]string{"exec", "--listen", "127.0.0.1:0", bin}, "go with --headless"},
		{[]string{"exec", "--headless", "--init", initFile, bin}, "godbg connect --init"},
		{[]string{"exec", "--headless", "--listen", "nonsense", bin}, "give host:port"},
		{[]string{"exec", "--headless", "--listen", "0.0.0.0:0", bin}, "--allow-remote"},
	} {
		out, code := run(t, "", tc.args...)
		if code != 1 || !strings.Contains(out, tc.want) {
			t.Errorf("godbg %v: exit %d, %q; want exit 1 and %q", tc.args, code, out, tc.want)
		}
	}
}
