package rpc

import (
	"errors"
	"net"
	"net/netip"
	"os"
	"path/filepath"
	"strings"
	"testing"
)

func TestFindSocketUID(t *testing.T) {
	const tcp = `  sl  local_address rem_address   st tx_queue rx_queue tr tm->when retrnsmt   uid  timeout inode
   0: 0100007F:8639 00000000:0000 0A 00000000:00000000 00:00000000 00000000     0        0 1 1 0000000000000000 100 0 0 10 0
   1: 0100007F:AB68 0100007F:8639 01 00000000:00000000 00:00000000 00000000 65534        0 2 1 0000000000000000 20 4 30 10 -1
   2: 0100007F:8639 0100007F:AB68 01 00000000:00000000 00:00000000 00000000     0        0 3 1 0000000000000000 20 4 30 10 -1
`
	const tcp6 = `  sl  local_address                         remote_address                        st tx_queue rx_queue tr tm->when retrnsmt   uid  timeout inode
   0: 00000000000000000000000001000000:C350 00000000000000000000000001000000:1F90 01 00000000:00000000 00:00000000 00000000  1000        0 4 1 0000000000000000 20 4 30 10 -1
   1: 0000000000000000FFFF00000100007F:C351 0000000000000000FFFF00000100007F:1F90 01 00000000:00000000 00:00000000 00000000  1001        0 5 1 0000000000000000 20 4 30 10 -1
`
	ap := netip.MustParseAddrPort
	for _, tc := range []struct {
		name, table   string
		local, remote string
		uid           int
		found         bool
	}{
		{"v4 client", tcp, "127.0.0.1:43880", "127.0.0.1:34361", 65534, true},
		{"v4 server side", tcp, "127.0.0.1:34361", "127.0.0.1:43880", 0, true},
		{"v4 other port", tcp, "127.0.0.1:43881", "127.0.0.1:34361", 0, false},
		{"v6 loopback", tcp6, "[::1]:50000", "[::1]:8080", 1000, true},
		{"v4-mapped", tcp6, "127.0.0.1:50001", "127.0.0.1:8080", 1001, true},
		{"v4-mapped given as v6", tcp6, "[::ffff:127.0.0.1]:50001", "[::ffff:127.0.0.1]:8080", 1001, true},
	} {
		uid, found, err := findSocketUID(strings.NewReader(tc.table), ap(tc.local), ap(tc.remote))
		if err != nil || found != tc.found || uid != tc.uid {
			t.Errorf("%s: uid %d found %v err %v; want %d %v", tc.name, uid, found, err, tc.uid, tc.found)
		}
	}
}

func TestListenAddresses(t *testing.T) {
	for _, tc := range []struct {
		cfg    ListenConfig
		remote bool
		err    string
	}{
		{ListenConfig{}, false, ""},
		{ListenConfig{Addr: "127.0.0.1:0"}, false, ""},
		{ListenConfig{Addr: "localhost:0"}, false, ""},
		{ListenConfig{Addr: ":0"}, false, ErrRemote.Error()},
		{ListenConfig{Addr: "0.0.0.0:0"}, false, ErrRemote.Error()},
		{ListenConfig{Addr: "[::]:0"}, false, ErrRemote.Error()},
		{ListenConfig{Addr: ":0", AllowRemote: true}, true, ""},
		{ListenConfig{Addr: "127.0.0.1"}, false, "give host:port"},
		{ListenConfig{Addr: "unix:"}, false, "needs a path"},
	} {
		l, err := Listen(tc.cfg)
		if tc.err != "" {
			if err == nil || !strings.Contains(err.Error(), tc.err) {
				t.Errorf("Listen(%+v) = %v, want %q", tc.cfg, err, tc.err)
			}
			if err == nil {
				l.Close()
			}
			continue
		}
		if err != nil {
			t.Errorf("Listen(%+v): %v", tc.cfg, err)
			continue
		}
		if l.Remote() != tc.remote {
			t.Errorf("Listen(%+v).Remote() = %v", tc.cfg, l.Remote())
		}
		l.Close()
	}
}

func TestUnixSocketIsOwnersOnly(t *testing.T) {
	path := filepath.Join(t.TempDir(), "g.sock")
	l, err := Listen(ListenConfig{Addr: "unix:" + path})
	if err != nil {
		t.Fatal(err)
	}
	if fi, err := os.Stat(path); err != nil || fi.Mode().Perm() != 0o600 || fi.Mode()&os.ModeSocket == 0 {
		t.Fatalf("socket %v, %v; want a socket of mode 0600", fi.Mode(), err)
	}
	if l.Address() != "unix:"+path {
		t.Fatalf("Address() = %q", l.Address())
	}
	if _, err := Listen(ListenConfig{Addr: "unix:" + path}); err == nil || !strings.Contains(err.Error(), "a server is listening on it") {
		t.Fatalf("second Listen on %s: %v", path, err)
	}
	checkOwnPeer(t, l, "unix", path)
	l.Close()
	if _, err := os.Stat(path); !errors.Is(err, os.ErrNotExist) {
		t.Fatalf("Close left %s: %v", path, err)
	}
}

func TestLoopbackPeerIsOurs(t *testing.T) {
	l, err := Listen(ListenConfig{})
	if err != nil {
		t.Fatal(err)
	}
	defer l.Close()
	if !strings.HasPrefix(l.Address(), "127.0.0.1:") {
		t.Fatalf("default address %q", l.Address())
	}
	checkOwnPeer(t, l, "tcp", l.Address())
}

// checkOwnPeer connects to l from this process: CheckPeer must accept it.
func checkOwnPeer(t *testing.T, l *Listener, network, addr string) {
	t.Helper()
	accepted := make(chan net.Conn, 1)
	go func() {
		c, err := l.Accept()
		if err != nil {
			t.Error(err)
		}
		accepted <- c
	}()
	c, err := net.Dial(network, addr)
	if err != nil {
		t.Fatal(err)
	}
	defer c.Close()
	sc := <-accepted
	if sc == nil {
		return
	}
	defer sc.Close()
	if err := l.CheckPeer(sc); err != nil {
		t.Fatalf("CheckPeer of our own connection: %v", err)
	}
}

// A socket file nobody listens on (left by a killed server) is replaced;
// a file that is not a socket is refused and left alone.
func TestUnixSocketStaleIsReplaced(t *testing.T) {
	path := filepath.Join(t.TempDir(), "g.sock")
	old, err := net.ListenUnix("unix", &net.UnixAddr{Name: path, Net: "unix"})
	if err != nil {
		t.Fatal(err)
	}
	old.SetUnlinkOnClose(false)
	old.Close()
	l, err := Listen(ListenConfig{Addr: "unix:" + path})
	if err != nil {
		t.Fatalf("Listen over a stale socket: %v", err)
	}
	checkOwnPeer(t, l, "unix", path)
	l.Close()

	if err := os.WriteFile(path, []byte("data"), 0o600); err != nil {
		t.Fatal(err)
	}
	if _, err := Listen(ListenConfig{Addr: "unix:" + path}); err == nil || !strings.Contains(err.Error(), "not a socket") {
		t.Fatalf("Listen over a regular file: %v", err)
	}
	if b, _ := os.ReadFile(path); string(b) != "data" {
		t.Fatal("the regular file was replaced")
	}
}
