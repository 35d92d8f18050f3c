package rpc

import (
	"bufio"
	"crypto/sha256"
	"crypto/subtle"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"net"
	"sync"
	"sync/atomic"
	"time"

	"github.com/godbg/godbg/service"
	"github.com/godbg/godbg/service/api"
)

// ServerConfig says how a Server admits clients and ends.
type ServerConfig struct {
	// Multiclient keeps the server and the session when a client leaves;
	// without it the first client's departure ends both.
	Multiclient bool
	// Token, if set, must be presented in the handshake.
	Token string
	// Teardown ends the session when the server ends (kill launched,
	// detach attached, and say so); nil: the backend's Close.
	Teardown func(service.Client) error
	// Log receives a line for each refused connection and lost client;
	// nil: nowhere.
	Log io.Writer
	// DAP, if set, serves clients that speak the Debug Adapter Protocol
	// on the same listener (dap.go).
	DAP DAPHandler
}

// Server serves one debugging session to its clients.
type Server struct {
	cfg     ServerConfig
	backend service.Client

	mu     sync.Mutex
	conns  map[*conn]struct{}
	admits int
	ending bool

	// handshakes bounds the connections waiting for their handshake.
	handshakes chan struct{}

	nextStream atomic.Uint64
	// ended is closed when the teardown has run; finished when Serve may
	// return (after a Shutdown caller had its answer).
	endOnce    sync.Once
	ended      chan struct{}
	endErr     error
	finishOnce sync.Once
	finished   chan struct{}
}

const (
	handshakeTimeout = 10 * time.Second
	streamIdle       = time.Minute
	haltEvery        = 50 * time.Millisecond
)

// NewServer returns a server; Serve starts it.
func NewServer(cfg ServerConfig) *Server {
	return &Server{cfg: cfg, conns: map[*conn]struct{}{}, ended: make(chan struct{}), finished: make(chan struct{}),
		handshakes: make(chan struct{}, maxHandshakes)}
}

// Event sends an asynchronous event to every connected client (give it to
// debugger.Config.OnEvent). It only queues: quick, any goroutine. Events
// while no client is connected are dropped.
func (s *Server) Event(e api.Event) {
	s.mu.Lock()
	defer s.mu.Unlock()
	for c := range s.conns {
		c.queueEvent(e)
	}
}

// peerChecker is a listener that vets connections (Listener).
type peerChecker interface{ CheckPeer(net.Conn) error }

// Serve accepts clients on l for the session b until the session ends
// (see the package documentation), then closes l and every connection and
// returns the teardown's error.
func (s *Server) Serve(l net.Listener, b service.Client) error {
	s.backend = b
	go s.accept(l)
	<-s.finished
	l.Close()
	s.mu.Lock()
	for c := range s.conns {
		c.nc.Close()
	}
	s.mu.Unlock()
	return s.endErr
}

// Stop ends the session from outside (a signal): running requests are
// halted, the teardown runs and Serve returns.
func (s *Server) Stop() error {
	err := s.shutdown()
	s.finish()
	return err
}

func (s *Server) accept(l net.Listener) {
	for {
		nc, err := l.Accept()
		if errors.Is(err, net.ErrClosed) {
			return
		}
		if err != nil {
			s.logf("accepting a connection: %v", err)
			time.Sleep(100 * time.Millisecond)
			continue
		}
		select {
		case s.handshakes <- struct{}{}:
			go s.handle(nc, l)
		default: // answered without waiting for the peer
			nc.SetWriteDeadline(time.Now().Add(10 * time.Millisecond))
			json.NewEncoder(nc).Encode(welcome{Error: ErrTooManyHandshakes.Error()})
			nc.Close()
		}
	}
}

// handle vets, admits and then serves one connection.
func (s *Server) handle(nc net.Conn, l net.Listener) {
	release := sync.OnceFunc(func() { <-s.handshakes })
	defer release()
	if pc, ok := l.(peerChecker); ok {
		if err := pc.CheckPeer(nc); err != nil {
			s.refuse(nc, err)
			return
		}
	}
	br := bufio.NewReader(nc)
	nc.SetReadDeadline(time.Now().Add(handshakeTimeout))
	if s.serveDAP(nc, br) {
		return
	}
	line, err := readLine(br, maxHandshake)
	release()
	if err != nil {
		s.logf("connection from %s ended before its handshake: %v", peerName(nc), err)
		nc.Close()
		return
	}
	var h hello
	if err := json.Unmarshal(line, &h); err != nil || h.Godbg != protocolVersion {
		s.refuse(nc, fmt.Errorf("not a godbg client (protocol %d expected); use godbg connect", protocolVersion))
		return
	}
	if s.cfg.Token != "" && !sameToken(h.Token, s.cfg.Token) {
		s.refuse(nc, ErrAuth)
		return
	}
	nc.SetReadDeadline(time.Time{})
	c, err := s.admit(nc)
	if err != nil {
		s.refuse(nc, err)
		return
	}
	// Not c.write: events queued since admit must follow the welcome.
	c.wmu.Lock()
	err = c.encodeLocked(welcome{OK: true, Multiclient: s.cfg.Multiclient})
	c.wmu.Unlock()
	if err != nil {
		s.leave(c)
		return
	}
	c.serve(br)
	s.leave(c)
}

func (s *Server) admit(nc net.Conn) (*conn, error) {
	s.mu.Lock()
	defer s.mu.Unlock()
	if s.ending {
		return nil, ErrEnding
	}
	if !s.cfg.Multiclient && s.admits > 0 {
		return nil, ErrBusy
	}
	if len(s.conns) >= maxClients {
		return nil, ErrTooManyClients
	}
	s.admits++
	c := newConn(s, nc)
	s.conns[c] = struct{}{}
	return c, nil
}

// refuse answers the handshake with an error and closes the connection
// without losing that answer to a reset.
func (s *Server) refuse(nc net.Conn, why error) {
	s.logf("refused a connection from %s: %v", peerName(nc), why)
	nc.SetWriteDeadline(time.Now().Add(handshakeTimeout))
	json.NewEncoder(nc).Encode(welcome{Error: why.Error()})
	lingerClose(nc, io.LimitReader(nc, 1<<16))
	nc.Close()
}

// leave forgets a client whose connection ended: its streams end, what it
// left running is halted, and a single-client server ends.
func (s *Server) leave(c *conn) {
	s.mu.Lock()
	delete(s.conns, c)
	s.mu.Unlock()
	c.kill()
	close(c.closed)
	c.stopStreams()
	s.haltWhile(func() bool { return c.runs.Load() > 0 })
	if !s.cfg.Multiclient {
		s.shutdown()
		s.finish()
	}
}

// haltWhile halts the backend until cond is false: a halt that comes
// before a resume has started is a no-op, so it is repeated.
func (s *Server) haltWhile(cond func() bool) {
	for cond() {
		s.backend.Halt()
		time.Sleep(haltEvery)
	}
}

// shutdown runs the teardown once, halting whatever runs meanwhile.
func (s *Server) shutdown() error {
	s.endOnce.Do(func() {
		s.mu.Lock()
		s.ending = true
		conns := make([]*conn, 0, len(s.conns))
		for c := range s.conns {
			conns = append(conns, c)
		}
		s.mu.Unlock()
		for _, c := range conns {
			c.stopStreams()
		}
		done := make(chan struct{})
		go func() {
			defer close(done)
			teardown := s.cfg.Teardown
			if teardown == nil {
				teardown = service.Client.Close
			}
			s.endErr = teardown(s.backend)
		}()
		for {
			s.backend.Halt()
			select {
			case <-done:
				close(s.ended)
				return
			case <-time.After(haltEvery):
			}
		}
	})
	<-s.ended
	return s.endErr
}

// sameToken compares in constant time, lengths included (the digests
// have one length).
func sameToken(got, want string) bool {
	g, w := sha256.Sum256([]byte(got)), sha256.Sum256([]byte(want))
	return subtle.ConstantTimeCompare(g[:], w[:]) == 1
}

// peerName names a peer in the log; unix socket peers have no address.
func peerName(nc net.Conn) string {
	if a := nc.RemoteAddr(); a != nil && a.String() != "" && a.String() != "@" {
		return a.String()
	}
	return "a process on unix:" + nc.LocalAddr().String()
}

func (s *Server) finish() { s.finishOnce.Do(func() { close(s.finished) }) }

func (s *Server) logf(format string, args ...any) {
	if s.cfg.Log != nil {
		fmt.Fprintf(s.cfg.Log, "godbg: "+format+"\n", args...)
	}
}
