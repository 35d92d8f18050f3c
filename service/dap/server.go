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
	"time"
)

// Config configures a Server.
type Config struct {
	// Log receives what the server does (refused connections, requests
	// at debug level), with a layer=dap attribute; nil: nothing.
	Log *slog.Logger
	// InitTimeout is how long a client may stay connected without
	// sending initialize before it is dropped and the next client
	// accepted; 0: DefaultInitTimeout.
	InitTimeout time.Duration
	// Console runs terminal commands typed in the debug console as
	// "godbg CMD"; nil: none.
	Console NewConsole
	// Relay joins an editor's terminal to a launched program (launch
	// option console: integratedTerminal); nil: not offered.
	Relay Relay
}

// DefaultInitTimeout is how long a connection may go without initialize.
const DefaultInitTimeout = 30 * time.Second

// Server serves one DAP client on a listener.
type Server struct {
	ln          net.Listener
	log         *slog.Logger
	initTimeout time.Duration
	console     NewConsole
	relay       Relay

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
	it := cfg.InitTimeout
	if it <= 0 {
		it = DefaultInitTimeout
	}
	return &Server{ln: ln, log: log.With("layer", "dap"), initTimeout: it, console: cfg.Console, relay: cfg.Relay}
}

// Addr is the listener's address.
func (s *Server) Addr() net.Addr { return s.ln.Addr() }

// Serve accepts connections until one comes from a process of our own
// user and serves that client until it disconnects or the connection
// ends, and returns. Other users' connections are closed at once. A
// client that sends no initialize within the Config's InitTimeout is
// dropped and the next one accepted; once a client has initialized, the
// listener is closed (one client per server). At the end the program is
// killed if it was launched and left running if it was attached (unless
// the client said otherwise).
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
		if s.ServeConn(c) {
			return nil
		}
	}
}

// ServeConn serves one connection already accepted (and checked) by
// the caller, as Serve does; it reports whether the client initialized
// (false: it was dropped before initialize, and the caller may accept
// another).
func (s *Server) ServeConn(c net.Conn) (initialized bool) {
	sess := newSession(c, s.log)
	sess.initTimeout, sess.newConsole, sess.relay = s.initTimeout, s.console, s.relay
	sess.onInit = func() { s.ln.Close() } // one client per server
	s.mu.Lock()
	if s.stopped {
		s.mu.Unlock()
		c.Close()
		return true
	}
	s.sess = sess
	s.mu.Unlock()
	s.log.Info("client connected", "peer", c.RemoteAddr().String())
	sess.serve()
	s.mu.Lock()
	s.sess = nil
	s.mu.Unlock()
	return sess.initialized
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

// errTooLong is a Content-Length over maxContent: the connection is
// closed at once, without reading the body.
var errTooLong = errors.New("message too long")

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
			if errors.Is(err, strconv.ErrRange) && n > 0 {
				return nil, skipped, fmt.Errorf("%w: Content-Length %s is over the limit of %d bytes; closing the connection", errTooLong, strings.TrimSpace(line[i+len("content-length:"):]), maxContent)
			}
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
		return nil, fmt.Errorf("%w: Content-Length %d is over the limit of %d bytes; closing the connection", errTooLong, n, maxContent)
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
