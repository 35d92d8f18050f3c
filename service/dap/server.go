package dap

import (
	"bufio"
	"errors"
	"fmt"
	"io"
	"log/slog"
	"net"
	"strconv"
	"strings"
	"sync"
)

// Config configures a Server.
type Config struct {
	// Log receives what the server does (refused connections, requests
	// at debug level), with a layer=dap attribute; nil: nothing.
	Log *slog.Logger
}

// Server serves one DAP client on a listener.
type Server struct {
	ln  net.Listener
	log *slog.Logger

	mu      sync.Mutex
	sess    *session
	stopped bool
}

// NewServer makes a server for ln; Serve runs it.
func NewServer(ln net.Listener, cfg Config) *Server {
	log := cfg.Log
	if log == nil {
		log = slog.New(slog.DiscardHandler)
	}
	return &Server{ln: ln, log: log.With("layer", "dap")}
}

// Addr is the listener's address.
func (s *Server) Addr() net.Addr { return s.ln.Addr() }

// Serve accepts connections until one comes from a process of our own
// user, closes the listener, serves that client until it disconnects or
// the connection ends, and returns. Other users' connections are closed
// at once. At the end the program is killed if it was launched and left
// running if it was attached (unless the client said otherwise).
func (s *Server) Serve() error {
	defer s.ln.Close()
	for {
		c, err := s.ln.Accept()
		if err != nil {
			s.mu.Lock()
			stopped := s.stopped
			s.mu.Unlock()
			if stopped {
				return nil
			}
			return err
		}
		if err := checkPeer(c); err != nil {
			s.log.Warn("refused a connection", "peer", c.RemoteAddr().String(), "err", err)
			c.Close()
			continue
		}
		s.ln.Close() // one client per server
		sess := newSession(c, s.log)
		s.mu.Lock()
		if s.stopped {
			s.mu.Unlock()
			c.Close()
			return nil
		}
		s.sess = sess
		s.mu.Unlock()
		s.log.Info("client connected", "peer", c.RemoteAddr().String())
		sess.serve()
		return nil
	}
}

// Stop ends the server as a client's disconnect would: a launched
// program is killed, an attached one left running untraced; Serve
// returns.
func (s *Server) Stop() {
	s.mu.Lock()
	s.stopped = true
	sess := s.sess
	s.mu.Unlock()
	s.ln.Close()
	if sess != nil {
		sess.shutdown()
	}
}

// Framing: "Content-Length: N\r\n\r\n" and N bytes of JSON.

const (
	maxContent  = 64 << 20
	maxBadInRow = 64 // bad frames in a row before the client is dropped
)

// frameError is a header that is not DAP's; the bytes are skipped.
type frameError struct{ msg string }

func (e *frameError) Error() string { return e.msg }

// readFrame reads one message body. A line that is not a header, before
// a Content-Length, comes back at once as a *frameError (so that the
// client hears of it, and the stream resynchronises at the next header);
// junk glued to the front of a header ("xyzContent-Length: 5") is
// reported in skipped and the message read.
func readFrame(r *bufio.Reader) (body []byte, skipped, err error) {
	length := -1
	for {
		line, err := readLine(r)
		if err != nil {
			return nil, skipped, err
		}
		i := indexFold(line, "content-length:")
		switch {
		case i >= 0:
			n, err := strconv.Atoi(strings.TrimSpace(line[i+len("content-length:"):]))
			if err != nil || n < 0 {
				return nil, skipped, &frameError{fmt.Sprintf("bad header %q: Content-Length must be a number of bytes", trim(line))}
			}
			length = n
			if i > 0 {
				skipped = &frameError{fmt.Sprintf("ignored %d bytes before a header: %q", i, trim(line[:i]))}
			}
		case line == "" && length >= 0:
			body, err := readBody(r, length)
			return body, skipped, err
		case length < 0:
			return nil, skipped, &frameError{fmt.Sprintf("not a DAP header: %q; messages are \"Content-Length: N\\r\\n\\r\\n\" and N bytes of JSON", trim(line))}
		}
		// Another header after Content-Length (Content-Type): ignored.
	}
}

func readBody(r *bufio.Reader, n int) ([]byte, error) {
	if n > maxContent {
		if _, err := io.CopyN(io.Discard, r, int64(n)); err != nil {
			return nil, err
		}
		return nil, &frameError{fmt.Sprintf("message of %d bytes is over the limit of %d", n, maxContent)}
	}
	b := make([]byte, n)
	if _, err := io.ReadFull(r, b); err != nil {
		return nil, err
	}
	return b, nil
}

// readLine reads a header line without its "\r\n"; an over-long line
// comes back in pieces (each is junk).
func readLine(r *bufio.Reader) (string, error) {
	b, err := r.ReadSlice('\n')
	if errors.Is(err, bufio.ErrBufferFull) {
		return string(b), nil
	}
	if err != nil {
		return "", err
	}
	return strings.TrimRight(string(b), "\r\n"), nil
}

// indexFold is strings.Index ignoring ASCII case (of an ASCII sub).
func indexFold(s, sub string) int {
	for i := 0; i+len(sub) <= len(s); i++ {
		if strings.EqualFold(s[i:i+len(sub)], sub) {
			return i
		}
	}
	return -1
}

func trim(s string) string {
	if len(s) > 60 {
		return s[:60] + "..."
	}
	return s
}
