package rpc

import (
	"bufio"
	"net"
	"strings"
	"time"

	"github.com/godbg/godbg/service"
)

// DAPHandler serves a Debug Adapter Protocol client that connected to a
// headless server's listener, for the session b the server owns, until
// the client leaves (cmd/godbg wires service/dap's ServeRemote here).
type DAPHandler func(nc net.Conn, r *bufio.Reader, b service.Client)

// serveDAP serves a connection whose first bytes are a DAP header
// ("Content-Length:"; a godbg client's handshake starts with "{") with
// the DAPHandler, admitted as any client is (one client unless
// multiclient; its departure ends a single-client server). It reports
// whether the connection was DAP's.
func (s *Server) serveDAP(nc net.Conn, br *bufio.Reader) bool {
	if s.cfg.DAP == nil || !sniffDAP(br) {
		return false
	}
	nc.SetReadDeadline(time.Time{}) // the DAP server times out its own first request
	c, err := s.admit(nc)
	if err != nil {
		s.logf("refused a DAP connection from %s: %v", peerName(nc), err)
		nc.Close()
		return true
	}
	// The DAP session reports the program's events itself.
	s.mu.Lock()
	delete(s.conns, c)
	s.mu.Unlock()
	s.cfg.DAP(nc, br, s.backend)
	s.leave(c)
	return true
}

// sniffDAP reports whether the first bytes are "Content-Length:" (any
// case), without consuming them.
func sniffDAP(br *bufio.Reader) bool {
	const h = "content-length:"
	if b, err := br.Peek(1); err != nil || (b[0] != 'C' && b[0] != 'c') {
		return false
	}
	b, err := br.Peek(len(h))
	return err == nil && strings.EqualFold(string(b), h)
}
