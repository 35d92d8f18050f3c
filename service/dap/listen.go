package dap

import (
	"errors"
	"fmt"
	"net"
	"os"
	"strings"
	"syscall"
)

// DefaultAddr is where a server listens when no address is given.
const DefaultAddr = "127.0.0.1:0"

// ErrRemote is returned by Listen for an address other hosts could reach.
var ErrRemote = errors.New("address is reachable from other hosts")

// Listen opens the server's socket. addr is "host:port" (empty:
// DefaultAddr) or "unix:/path" for a unix socket made with mode 0600. A
// host that is not a loopback address, or no host (":4711", all
// interfaces), is refused unless allowRemote: whoever can connect
// controls the debugged program.
func Listen(addr string, allowRemote bool) (net.Listener, error) {
	if addr == "" {
		addr = DefaultAddr
	}
	if path, ok := strings.CutPrefix(addr, "unix:"); ok {
		return listenUnix(path)
	}
	host, _, err := net.SplitHostPort(addr)
	if err != nil {
		return nil, fmt.Errorf("--listen %s: %v; give host:port (127.0.0.1:4711) or unix:/path", addr, err)
	}
	if !allowRemote && !loopbackHost(host) {
		where := "every interface"
		if host != "" {
			where = host
		}
		return nil, fmt.Errorf("--listen %s: %w (%s): anyone who can connect controls the debugged program; "+
			"listen on 127.0.0.1:PORT or unix:/path, or add --allow-remote if you mean it", addr, ErrRemote, where)
	}
	return net.Listen("tcp", addr)
}

// loopbackHost reports whether host names only this machine's loopback.
func loopbackHost(host string) bool {
	if host == "localhost" {
		return true
	}
	ip := net.ParseIP(strings.Trim(host, "[]"))
	return ip != nil && ip.IsLoopback()
}

// IsLoopback reports whether a listener's address is reachable only from
// this machine (loopback TCP or a unix socket).
func IsLoopback(a net.Addr) bool {
	switch a := a.(type) {
	case *net.TCPAddr:
		return a.IP.IsLoopback()
	case *net.UnixAddr:
		return true
	}
	return false
}

// AddrString is the address as a client gives it: host:port, or
// unix:/path.
func AddrString(a net.Addr) string {
	if u, ok := a.(*net.UnixAddr); ok {
		return "unix:" + u.Name
	}
	return a.String()
}

// listenUnix makes a unix socket only its owner may connect to. The umask
// makes the socket 0600 from the start (no window in which another user
// could connect); the chmod makes sure of it.
func listenUnix(path string) (net.Listener, error) {
	if path == "" {
		return nil, fmt.Errorf("--listen unix: needs a path: unix:/tmp/godbg.sock")
	}
	if _, err := os.Lstat(path); err == nil {
		return nil, fmt.Errorf("--listen unix:%s: the file exists; remove it or pick another path", path)
	}
	old := syscall.Umask(0o177)
	ln, err := net.Listen("unix", path)
	syscall.Umask(old)
	if err != nil {
		return nil, err
	}
	if err := os.Chmod(path, 0o600); err != nil {
		ln.Close()
		return nil, err
	}
	return ln, nil
}
