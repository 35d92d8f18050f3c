package main

import (
	"fmt"
	"os"
	"path/filepath"
	"strings"
	"syscall"
	"testing"

	"github.com/godbg/godbg/internal/fixtures"
)

// The token comes from $GODBG_AUTH_TOKEN (not inherited by the launched
// program) or a file only its owner reads; one on the command line draws
// a warning, a file others can read is refused.
func TestHeadlessTokenSources(t *testing.T) {
	bin := fixtures.Build(t, "bpfix.c")
	dir := t.TempDir()
	sock := filepath.Join(dir, "godbg.sock")
	t.Setenv("GODBG_AUTH_TOKEN", "from the environment")
	srv, addr := headless(t, "exec", "--headless", "--listen", "unix:"+sock, bin)
	if cl, _ := os.ReadFile(fmt.Sprintf("/proc/%d/cmdline", srv.cmd.Process.Pid)); strings.Contains(string(cl), "environment") {
		t.Fatalf("the token is on the server's command line: %q", cl)
	}
	os.Setenv("GODBG_AUTH_TOKEN", "wrong")
	if out, code := run(t, "", "connect", addr); code != 1 || !strings.Contains(out, "authentication failed") {
		t.Fatalf("connect with a wrong $GODBG_AUTH_TOKEN: exit %d, %q", code, out)
	}
	os.Setenv("GODBG_AUTH_TOKEN", "from the environment")
	c := start(t, "connect", addr)
	pid := launchedPid(t, c.expect(`^Process \d+ launched`)[0])
	env, err := os.ReadFile(fmt.Sprintf("/proc/%d/environ", pid))
	if err != nil || strings.Contains(string(env), "GODBG_AUTH_TOKEN") {
		t.Errorf("the launched program's environment holds the token (%v)", err)
	}
	c.send("exit")
	c.end()
	if code := waitEnd(t, srv); code != 0 {
		t.Fatalf("server exit %d\n%s", code, srv.output())
	}
	os.Unsetenv("GODBG_AUTH_TOKEN")

	open := filepath.Join(dir, "open-token")
	os.WriteFile(open, []byte("s3cret\n"), 0o644)
	for _, tc := range []struct {
		args []string
		want string
	}{
		{[]string{"connect", "127.0.0.1:1", "--auth-token", "s3cret"}, "warning: --auth-token on the command line is readable by every user"},
		{[]string{"connect", "127.0.0.1:1", "--auth-token-file", open}, "is readable by group or others (mode 0644)"},
		{[]string{"exec", "--headless", "--auth-token-file", open, bin}, "chmod 600 " + open},
	} {
		out, code := run(t, "", tc.args...)
		if code != 1 || !strings.Contains(out, tc.want) {
			t.Errorf("godbg %v: exit %d, %q; want exit 1 and %q", tc.args, code, out, tc.want)
		}
	}
}

// The unix socket goes with the server on SIGTERM; one left by a killed
// server is replaced at the next start; a path a server listens on is
// refused.
func TestHeadlessUnixSocketLifecycle(t *testing.T) {
	bin := fixtures.Build(t, "bpfix.c")
	sock := filepath.Join(t.TempDir(), "godbg.sock")
	srv, _ := headless(t, "exec", "--headless", "--listen", "unix:"+sock, bin)
	srv.cmd.Process.Signal(syscall.SIGTERM)
	waitEnd(t, srv)
	if _, err := os.Lstat(sock); err == nil {
		t.Fatalf("the server left %s after SIGTERM", sock)
	}

	srv, _ = headless(t, "exec", "--headless", "--listen", "unix:"+sock, bin)
	srv.cmd.Process.Kill()
	waitEnd(t, srv)
	if _, err := os.Lstat(sock); err != nil {
		t.Fatalf("after SIGKILL: %v; the test needs the stale socket", err)
	}
	srv, addr := headless(t, "exec", "--headless", "--listen", "unix:"+sock, bin)
	out, code := run(t, "", "exec", "--headless", "--listen", "unix:"+sock, bin)
	if code != 1 || !strings.Contains(out, "a server is listening on it") {
		t.Fatalf("a second server on %s: exit %d, %q", sock, code, out)
	}
	endServer(t, srv, addr)
	if _, err := os.Lstat(sock); err == nil {
		t.Fatalf("the server left %s at its end", sock)
	}
}
