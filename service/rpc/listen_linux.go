package rpc

import (
	"errors"
	"fmt"
	"net"
	"os"
	"strings"
	"syscall"
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
// closes the window between bind and chmod).
func listenUnix(path string) (*Listener, error) {
	if path == "" {
		return nil, errors.New("--listen unix: needs a path: unix:/tmp/godbg.sock")
	}
	old := syscall.Umask(0o177)
	l, err := net.Listen("unix", path)
	syscall.Umask(old)
	if err != nil {
		if errors.Is(err, syscall.EADDRINUSE) {
			return nil, fmt.Errorf("--listen unix:%s: the file exists; remove it if no server uses it", path)
		}
		return nil, fmt.Errorf("--listen unix:%s: %w", path, err)
	}
	if err := os.Chmod(path, 0o600); err != nil {
		l.Close()
		return nil, fmt.Errorf("--listen unix:%s: %w", path, err)
	}
	return &Listener{Listener: l, unixPath: path, uid: os.Geteuid()}, nil
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
