package rpc

import (
	"bufio"
	"encoding/hex"
	"fmt"
	"io"
	"net"
	"net/netip"
	"os"
	"strconv"
	"strings"
)

// tcpPeerUID finds the owner of the other end of a loopback connection:
// the socket whose local address is our peer's and whose remote address
// is ours, in /proc/net/tcp or /proc/net/tcp6.
func tcpPeerUID(c *net.TCPConn) (int, error) {
	peer := c.RemoteAddr().(*net.TCPAddr).AddrPort()
	self := c.LocalAddr().(*net.TCPAddr).AddrPort()
	for _, file := range []string{"/proc/net/tcp", "/proc/net/tcp6"} {
		f, err := os.Open(file)
		if err != nil {
			continue
		}
		uid, ok, err := findSocketUID(f, peer, self)
		f.Close()
		if err != nil {
			return 0, fmt.Errorf("%s: %w", file, err)
		}
		if ok {
			return uid, nil
		}
	}
	return 0, fmt.Errorf("no socket for %s in /proc/net/tcp or tcp6", peer)
}

// findSocketUID scans a /proc/net/tcp table for the socket local → remote
// and returns its uid column.
func findSocketUID(r io.Reader, local, remote netip.AddrPort) (int, bool, error) {
	local = unmap(local)
	remote = unmap(remote)
	sc := bufio.NewScanner(r)
	sc.Scan() // the header
	for sc.Scan() {
		// sl local_address rem_address st tx:rx tr:when retrnsmt uid ...
		f := strings.Fields(sc.Text())
		if len(f) < 8 {
			continue
		}
		l, err := parseProcAddr(f[1])
		if err != nil || l != local {
			continue
		}
		if rem, err := parseProcAddr(f[2]); err != nil || rem != remote {
			continue
		}
		uid, err := strconv.Atoi(f[7])
		if err != nil {
			return 0, false, fmt.Errorf("bad uid column %q", f[7])
		}
		return uid, true, nil
	}
	return 0, false, sc.Err()
}

// parseProcAddr decodes "0100007F:1F90" (IPv4) or 32 hex digits and a
// port (IPv6): the address as the kernel's 32-bit words in host (little
// endian) order, the port in hex.
func parseProcAddr(s string) (netip.AddrPort, error) {
	ipHex, portHex, ok := strings.Cut(s, ":")
	if !ok {
		return netip.AddrPort{}, fmt.Errorf("bad address %q", s)
	}
	b, err := hex.DecodeString(ipHex)
	if err != nil || (len(b) != 4 && len(b) != 16) {
		return netip.AddrPort{}, fmt.Errorf("bad address %q", s)
	}
	for i := 0; i < len(b); i += 4 {
		b[i], b[i+1], b[i+2], b[i+3] = b[i+3], b[i+2], b[i+1], b[i]
	}
	port, err := strconv.ParseUint(portHex, 16, 16)
	if err != nil {
		return netip.AddrPort{}, fmt.Errorf("bad port in %q", s)
	}
	ip, _ := netip.AddrFromSlice(b)
	return unmap(netip.AddrPortFrom(ip, uint16(port))), nil
}

func unmap(a netip.AddrPort) netip.AddrPort { return netip.AddrPortFrom(a.Addr().Unmap(), a.Port()) }
