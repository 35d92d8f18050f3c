package main

import (
	"bufio"
	"net"
	"os"
	"os/exec"
	"path/filepath"
	"regexp"
	"strings"
	"syscall"
	"testing"
	"time"

	godap "github.com/google/go-dap"
)

// dapStart runs godbg dap with args and returns the address it prints.
func dapStart(t *testing.T, args ...string) (*exec.Cmd, string, *strings.Builder) {
	t.Helper()
	cmd := exec.Command(godbgBin, append([]string{"dap"}, args...)...)
	stdout, err := cmd.StdoutPipe()
	if err != nil {
		t.Fatal(err)
	}
	var stderr strings.Builder
	cmd.Stderr = &stderr
	if err := cmd.Start(); err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { cmd.Process.Kill(); cmd.Wait() })
	line := make(chan string, 1)
	go func() {
		l, _ := bufio.NewReader(stdout).ReadString('\n')
		line <- l
	}()
	select {
	case l := <-line:
		m := regexp.MustCompile(`^DAP server listening at: (\S+)\n$`).FindStringSubmatch(l)
		if m == nil {
			t.Fatalf("first line %q; stderr %s", l, stderr.String())
		}
		return cmd, m[1], &stderr
	case <-time.After(20 * time.Second):
		t.Fatalf("godbg dap printed no address; stderr %s", stderr.String())
	}
	return nil, "", nil
}

// dapRoundTrip connects, initializes and disconnects.
func dapRoundTrip(t *testing.T, network, addr string) {
	t.Helper()
	conn, err := net.Dial(network, addr)
	if err != nil {
		t.Fatal(err)
	}
	defer conn.Close()
	conn.SetDeadline(time.Now().Add(20 * time.Second))
	r := bufio.NewReader(conn)
	for i, body := range []string{
		`{"seq":1,"type":"request","command":"initialize","arguments":{"adapterID":"godbg"}}`,
		`{"seq":2,"type":"request","command":"disconnect"}`,
	} {
		if err := godap.WriteBaseMessage(conn, []byte(body)); err != nil {
			t.Fatal(err)
		}
		m, err := godap.ReadProtocolMessage(r)
		if err != nil {
			t.Fatal(err)
		}
		if resp, ok := m.(godap.ResponseMessage); !ok || !resp.GetResponse().Success || resp.GetResponse().RequestSeq != i+1 {
			t.Fatalf("answer to %s: %#v", body, m)
		}
	}
}

func waitExit(t *testing.T, cmd *exec.Cmd) int {
	t.Helper()
	done := make(chan struct{})
	go func() { cmd.Wait(); close(done) }()
	select {
	case <-done:
	case <-time.After(20 * time.Second):
		t.Fatalf("godbg dap did not exit")
	}
	return cmd.ProcessState.ExitCode()
}

func TestDapServesOneClient(t *testing.T) {
	cmd, addr, stderr := dapStart(t)
	if !regexp.MustCompile(`^127\.0\.0\.1:\d+$`).MatchString(addr) {
		t.Fatalf("address %q", addr)
	}
	dapRoundTrip(t, "tcp", addr)
	if code := waitExit(t, cmd); code != 0 {
		t.Fatalf("exit %d; stderr %s", code, stderr.String())
	}
}

func TestDapUnixSocket(t *testing.T) {
	sock := filepath.Join(t.TempDir(), "godbg.sock")
	cmd, addr, stderr := dapStart(t, "--listen", "unix:"+sock)
	if addr != "unix:"+sock {
		t.Fatalf("address %q", addr)
	}
	if fi, err := os.Stat(sock); err != nil || fi.Mode().Perm() != 0o600 {
		t.Fatalf("%s: %v %v", sock, fi.Mode(), err)
	}
	dapRoundTrip(t, "unix", sock)
	if code := waitExit(t, cmd); code != 0 {
		t.Fatalf("exit %d; stderr %s", code, stderr.String())
	}
}

func TestDapRemoteNeedsAllowRemote(t *testing.T) {
	for _, addr := range []string{":0", "0.0.0.0:0"} {
		out, code := run(t, "", "dap", "--listen", addr)
		if code != 1 || !strings.Contains(out, "--allow-remote") || strings.Contains(out, "listening at") {
			t.Errorf("dap --listen %s: exit %d\n%s", addr, code, out)
		}
	}
	cmd, addr, stderr := dapStart(t, "--listen", ":0", "--allow-remote")
	if !strings.HasPrefix(addr, "[::]:") && !strings.HasPrefix(addr, "0.0.0.0:") {
		t.Errorf("address %q", addr)
	}
	cmd.Process.Signal(syscall.SIGTERM)
	if code := waitExit(t, cmd); code != 0 {
		t.Errorf("exit %d after SIGTERM", code)
	}
	if !strings.Contains(stderr.String(), "warning:") || !strings.Contains(stderr.String(), "anyone who can connect") {
		t.Errorf("no warning on stderr: %q", stderr.String())
	}
}
