package rpc

import (
	"errors"
	"fmt"
	"net"
	"os"
	"strings"
	"syscall"
	"time"
)

// ListenConfig says where a server listens.
type ListenConfig struct {
	// Addr is "host:port" or "unix:PATH"; "" is 127.0.0.1:0 (a free
	// loopback port).
	Addr string
	// AllowRemote permits a host-less or non-loopback address.
	AllowRemote bool
}

// Listener is a server's listening socket; it vets each peer (CheckPeer).
type Listener struct {
	net.Listener
	remote   bool
	unixPath string
	uid      int
}

// ErrRemote is Listen's refusal of an address other hosts can reach.
var ErrRemote = errors.New("other hosts can reach it, and anyone who connects controls the program (and can run code as you)")

// Listen opens the socket: a unix socket only its owner may open, or a
// TCP one on loopback (anything else needs AllowRemote).
func Listen(cfg ListenConfig) (*Listener, error) {
	addr := cfg.Addr
	if addr == "" {
		addr = "127.0.0.1:0"
	}
	if path, ok := strings.CutPrefix(addr, "unix:"); ok {
		return listenUnix(path)
	}
	host, _, err := net.SplitHostPort(addr)
	if err != nil {
		return nil, fmt.Errorf("--listen %s: %v; give host:port (127.0.0.1:0 for a free port) or unix:PATH", addr, err)
	}
	remote, err := reachable(host)
	if err != nil {
		return nil, fmt.Errorf("--listen %s: %w", addr, err)
	}
	if remote && !cfg.AllowRemote {
		return nil, fmt.Errorf("--listen %s: %w; listen on 127.0.0.1:PORT or unix:PATH, or add --allow-remote if you mean it", addr, ErrRemote)
	}
	l, err := net.Listen("tcp", addr)
	if err != nil {
		return nil, fmt.Errorf("--listen %s: %w", addr, err)
	}
	return &Listener{Listener: l, remote: remote, uid: os.Geteuid()}, nil
}

// reachable reports whether a listening host other hosts can reach: none
// (every interface), or an address or name that is not loopback.
func reachable(host string) (bool, error) {
	if host == "" {
		return true, nil
	}
	if ip := net.ParseIP(host); ip != nil {
		return !ip.IsLoopback(), nil
	}
	ips, err := net.LookupIP(host)
	if err != nil {
		return false, err
	}
	for _, ip := range ips {
		if !ip.IsLoopback() {
			return true, nil
		}
	}
	return false, nil
}

// listenUnix creates a socket file of mode 0600 from the start (the umask
// closes the window between bind and chmod). A socket file left by a
// server that is gone (killed) is replaced; one a server listens on, or
// anything that is not a socket, is refused. Close removes the file.
func listenUnix(path string) (*Listener, error) {
	if path == "" {
		return nil, errors.New("--listen unix: needs a path: unix:/tmp/godbg.sock")
	}
	l, err := bindUnix(path)
	if errors.Is(err, syscall.EADDRINUSE) {
		if err = removeStale(path); err != nil {
			return nil, fmt.Errorf("--listen unix:%s: %w", path, err)
		}
		l, err = bindUnix(path)
	}
	if err != nil {
		return nil, fmt.Errorf("--listen unix:%s: %w", path, err)
	}
	if err := os.Chmod(path, 0o600); err != nil {
		l.Close()
		return nil, fmt.Errorf("--listen unix:%s: %w", path, err)
	}
	return &Listener{Listener: l, unixPath: path, uid: os.Geteuid()}, nil
}

func bindUnix(path string) (net.Listener, error) {
	old := syscall.Umask(0o177)
	defer syscall.Umask(old)
	return net.Listen("unix", path)
}

// ErrInUse is the refusal of a unix socket path a server listens on.
var ErrInUse = errors.New("a server is listening on it; end that server or choose another path")

// removeStale removes the socket file at path if nobody listens on it.
func removeStale(path string) error {
	st, err := os.Lstat(path)
	if err != nil {
		return err
	}
	if st.Mode()&os.ModeSocket == 0 {
		return fmt.Errorf("the file exists and is not a socket (%v); remove it or choose another path", st.Mode().Type())
	}
	c, err := net.DialTimeout("unix", path, time.Second)
	if err == nil {
		c.Close()
		return ErrInUse
	}
	if !errors.Is(err, syscall.ECONNREFUSED) {
		return fmt.Errorf("the socket file exists and cannot tell whether a server uses it (%v); remove it if none does", err)
	}
	return os.Remove(path)
}

// Address is where clients connect: "127.0.0.1:PORT" or "unix:PATH".
func (l *Listener) Address() string {
	if l.unixPath != "" {
		return "unix:" + l.unixPath
	}
	return l.Listener.Addr().String()
}

// Remote reports whether other hosts can reach the listener.
func (l *Listener) Remote() bool { return l.remote }

// CheckPeer refuses a peer that runs as another user: on a unix socket by
// SO_PEERCRED, on loopback TCP by its socket's owner in /proc/net/tcp.
// Remote listeners check nothing (the token is their protection).
func (l *Listener) CheckPeer(c net.Conn) error {
	var uid int
	var err error
	switch nc := c.(type) {
	case *net.UnixConn:
		uid, err = unixPeerUID(nc)
	case *net.TCPConn:
		if l.remote {
			return nil
		}
		uid, err = tcpPeerUID(nc)
	default:
		return nil
	}
	if err != nil {
		return fmt.Errorf("cannot tell which user the peer runs as (%v), so it is refused", err)
	}
	if uid != l.uid {
		return fmt.Errorf("the peer runs as uid %d, not as the server's user (uid %d)", uid, l.uid)
	}
	return nil
}

func unixPeerUID(c *net.UnixConn) (int, error) {
	rc, err := c.SyscallConn()
	if err != nil {
		return 0, err
	}
	var cred *syscall.Ucred
	var cerr error
	if err := rc.Control(func(fd uintptr) {
		cred, cerr = syscall.GetsockoptUcred(int(fd), syscall.SOL_SOCKET, syscall.SO_PEERCRED)
	}); err != nil {
		return 0, err
	}
	if cerr != nil {
		return 0, fmt.Errorf("SO_PEERCRED: %w", cerr)
	}
	return int(cred.Uid), nil
}
