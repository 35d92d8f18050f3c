package dap

import (
	"bufio"
	"encoding/hex"
	"errors"
	"fmt"
	"net"
	"os"
	"strconv"
	"strings"

	"golang.org/x/sys/unix"
)

// errNotOurs is why a connection from another user is closed.
var errNotOurs = errors.New("connection from another user refused")

// checkPeer accepts a connection only from a process of our own uid: for
// a unix socket the kernel says who connected (SO_PEERCRED); for TCP the
// client's socket is looked up in /proc/net/tcp{,6} by its address and
// port, and its uid column compared. A client on another host (possible
// only with --allow-remote) has no entry there and is let in.
func checkPeer(c net.Conn) error {
	me := uint32(os.Getuid())
	switch c := c.(type) {
	case *net.UnixConn:
		uid, err := unixPeerUID(c)
		if err != nil {
			return fmt.Errorf("reading the peer's credentials: %w", err)
		}
		if uid != me {
			return fmt.Errorf("%w: uid %d is not %d", errNotOurs, uid, me)
		}
		return nil
	case *net.TCPConn:
		peer, _ := c.RemoteAddr().(*net.TCPAddr)
		local, _ := c.LocalAddr().(*net.TCPAddr)
		if peer == nil || local == nil {
			return fmt.Errorf("%w: no TCP addresses", errNotOurs)
		}
		uid, found, err := tcpSocketUID(peer, local)
		if err != nil {
			return err
		}
		if !found {
			if peer.IP.IsLoopback() {
				return fmt.Errorf("%w: the socket of %s is not in /proc/net/tcp", errNotOurs, peer)
			}
			return nil
		}
		if uid != me {
			return fmt.Errorf("%w: %s belongs to uid %d, not %d", errNotOurs, peer, uid, me)
		}
		return nil
	}
	return nil
}

func unixPeerUID(c *net.UnixConn) (uint32, error) {
	raw, err := c.SyscallConn()
	if err != nil {
		return 0, err
	}
	var cred *unix.Ucred
	var cerr error
	if err := raw.Control(func(fd uintptr) {
		cred, cerr = unix.GetsockoptUcred(int(fd), unix.SOL_SOCKET, unix.SO_PEERCRED)
	}); err != nil {
		return 0, err
	}
	if cerr != nil {
		return 0, cerr
	}
	return cred.Uid, nil
}

// tcpSocketUID finds the socket whose local end is at and whose remote end
// is to, in /proc/net/tcp and /proc/net/tcp6, and returns its owner.
func tcpSocketUID(at, to *net.TCPAddr) (uid uint32, found bool, err error) {
	for _, name := range []string{"/proc/net/tcp", "/proc/net/tcp6"} {
		f, err := os.Open(name)
		if err != nil {
			if errors.Is(err, os.ErrNotExist) {
				continue // no IPv6
			}
			return 0, false, err
		}
		uid, found, err = scanTCP(f, at, to)
		f.Close()
		if err != nil || found {
			return uid, found, err
		}
	}
	return 0, false, nil
}

// scanTCP reads one /proc/net/tcp table:
//
//	sl  local_address rem_address   st tx_queue rx_queue tr tm->when retrnsmt   uid ...
//	 0: 0100007F:A5F2 0100007F:1F90 01 00000000:00000000 00:00000000 00000000     0 ...
func scanTCP(f *os.File, at, to *net.TCPAddr) (uint32, bool, error) {
	sc := bufio.NewScanner(f)
	sc.Scan() // the header
	for sc.Scan() {
		fs := strings.Fields(sc.Text())
		if len(fs) < 8 {
			continue
		}
		l, lok := parseProcAddr(fs[1])
		r, rok := parseProcAddr(fs[2])
		if !lok || !rok || !sameAddr(l, at) || !sameAddr(r, to) {
			continue
		}
		uid, err := strconv.ParseUint(fs[7], 10, 32)
		if err != nil {
			return 0, false, fmt.Errorf("/proc/net/tcp: bad uid %q", fs[7])
		}
		return uint32(uid), true, nil
	}
	return 0, false, sc.Err()
}

func sameAddr(a, b *net.TCPAddr) bool { return a.Port == b.Port && a.IP.Equal(b.IP) }

// parseProcAddr decodes "0100007F:1F90": the address as the kernel's
// 32-bit words in host (little-endian) order, the port in hex.
func parseProcAddr(s string) (*net.TCPAddr, bool) {
	h, p, ok := strings.Cut(s, ":")
	if !ok || (len(h) != 8 && len(h) != 32) {
		return nil, false
	}
	b, err := hex.DecodeString(h)
	if err != nil {
		return nil, false
	}
	for i := 0; i < len(b); i += 4 {
		b[i], b[i+1], b[i+2], b[i+3] = b[i+3], b[i+2], b[i+1], b[i]
	}
	port, err := strconv.ParseUint(p, 16, 16)
	if err != nil {
		return nil, false
	}
	return &net.TCPAddr{IP: net.IP(b), Port: int(port)}, true
}
