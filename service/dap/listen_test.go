package dap_test

import (
	"bufio"
	"errors"
	"fmt"
	"io"
	"net"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"syscall"
	"testing"
	"time"

	godap "github.com/google/go-dap"

	"github.com/godbg/godbg/service/dap"
)

// dialEnv makes the test binary a one-shot client (see TestMain): it
// dials the address, asks initialize and prints what happened.
const dialEnv = "GODBG_DAP_TEST_DIAL"

func TestMain(m *testing.M) {
	if addr := os.Getenv(dialEnv); addr != "" {
		fmt.Println(dialOnce(addr))
		os.Exit(0)
	}
	os.Exit(m.Run())
}

// dialOnce reports "answered" if the server answered initialize, else
// "refused: <why>".
func dialOnce(addr string) string {
	conn, err := net.Dial("tcp", addr)
	if err != nil {
		return "refused: " + err.Error()
	}
	defer conn.Close()
	conn.SetDeadline(time.Now().Add(10 * time.Second))
	body := `{"seq":1,"type":"request","command":"initialize","arguments":{"adapterID":"x"}}`
	if err := godap.WriteBaseMessage(conn, []byte(body)); err != nil {
		return "refused: " + err.Error()
	}
	if _, err := godap.ReadProtocolMessage(bufio.NewReader(conn)); err != nil {
		return "refused: " + err.Error()
	}
	return "answered"
}

// TestListenAddresses: the default is loopback on a free port; addresses
// other hosts can reach need allowRemote; a unix socket is 0600.
func TestListenAddresses(t *testing.T) {
	ln, err := dap.Listen("", false)
	if err != nil {
		t.Fatal(err)
	}
	a := ln.Addr().(*net.TCPAddr)
	if !a.IP.Equal(net.IPv4(127, 0, 0, 1)) || a.Port == 0 || !dap.IsLoopback(a) {
		t.Errorf("default address %v", a)
	}
	if want := fmt.Sprintf("0100007F:%04X 00000000:0000 0A", a.Port); !strings.Contains(readFile(t, "/proc/net/tcp"), want) {
		t.Errorf("/proc/net/tcp has no listening 127.0.0.1:%d (%q)", a.Port, want)
	}
	ln.Close()

	for _, addr := range []string{":0", "0.0.0.0:0", "[::]:0", "example.com:4711"} {
		if ln, err := dap.Listen(addr, false); !errors.Is(err, dap.ErrRemote) {
			if ln != nil {
				ln.Close()
			}
			t.Errorf("Listen(%q) without allowRemote: %v, want ErrRemote", addr, err)
		}
	}
	if _, err := dap.Listen("nonsense", false); err == nil || !strings.Contains(err.Error(), "host:port") {
		t.Errorf("Listen(nonsense): %v", err)
	}
	ln, err = dap.Listen(":0", true)
	if err != nil {
		t.Fatalf("Listen(:0, allowRemote): %v", err)
	}
	if dap.IsLoopback(ln.Addr()) {
		t.Errorf("%v is said to be loopback", ln.Addr())
	}
	ln.Close()
	if ln, err := dap.Listen("localhost:0", false); err != nil {
		t.Errorf("localhost: %v", err)
	} else {
		ln.Close()
	}

	sock := filepath.Join(t.TempDir(), "dap.sock")
	ln, err = dap.Listen("unix:"+sock, false)
	if err != nil {
		t.Fatal(err)
	}
	fi, err := os.Stat(sock)
	if err != nil {
		t.Fatal(err)
	}
	if fi.Mode()&os.ModeSocket == 0 || fi.Mode().Perm() != 0o600 {
		t.Errorf("%s: mode %v, want a socket with 0600", sock, fi.Mode())
	}
	if got := dap.AddrString(ln.Addr()); got != "unix:"+sock {
		t.Errorf("AddrString %q", got)
	}
	if _, err := dap.Listen("unix:"+sock, false); err == nil || !strings.Contains(err.Error(), "exists") {
		t.Errorf("a second listen on %s: %v", sock, err)
	}
	srv := dap.NewServer(ln, dap.Config{})
	done := make(chan error, 1)
	go func() { done <- srv.Serve() }()
	c := dial(t, "unix", sock)
	c.initialize()
	c.ok("disconnect", nil)
	if err := <-done; err != nil {
		t.Fatal(err)
	}
	if _, err := os.Stat(sock); !errors.Is(err, os.ErrNotExist) {
		t.Errorf("the socket is left behind: %v", err)
	}
}

// TestOtherUserRefused: a client of another uid is dropped without an
// answer over loopback TCP; ours is then served.
func TestOtherUserRefused(t *testing.T) {
	if os.Geteuid() != 0 {
		t.Skip("needs root to run a client as another user")
	}
	addr := startServer(t)
	// The test binary sits in a directory only root can enter; copy it
	// where uid 65534 can run it.
	self, err := os.Executable()
	if err != nil {
		t.Fatal(err)
	}
	dir, err := os.MkdirTemp("", "godbg-dap-test-")
	if err != nil {
		t.Fatal(err)
	}
	defer os.RemoveAll(dir)
	os.Chmod(dir, 0o755)
	bin := filepath.Join(dir, "dap.test")
	copyFile(t, self, bin)
	cmd := exec.Command(bin)
	cmd.Env = append(os.Environ(), dialEnv+"="+addr)
	cmd.SysProcAttr = &syscall.SysProcAttr{Credential: &syscall.Credential{Uid: 65534, Gid: 65534}}
	out, err := cmd.CombinedOutput()
	if err != nil {
		t.Fatalf("client as uid 65534: %v\n%s", err, out)
	}
	t.Logf("uid 65534: %s", strings.TrimSpace(string(out)))
	if !strings.HasPrefix(string(out), "refused: ") {
		t.Fatalf("a client of uid 65534 was served: %s", out)
	}
	if got := dialOnce(addr); got != "answered" {
		t.Fatalf("our own client after the refusal: %s", got)
	}
}

func copyFile(t *testing.T, from, to string) {
	t.Helper()
	in, err := os.Open(from)
	if err != nil {
		t.Fatal(err)
	}
	defer in.Close()
	out, err := os.OpenFile(to, os.O_CREATE|os.O_WRONLY, 0o755)
	if err != nil {
		t.Fatal(err)
	}
	if _, err := io.Copy(out, in); err != nil {
		t.Fatal(err)
	}
	if err := out.Close(); err != nil {
		t.Fatal(err)
	}
}

func readFile(t *testing.T, name string) string {
	t.Helper()
	b, err := os.ReadFile(name)
	if err != nil {
		t.Fatal(err)
	}
	return string(b)
}
