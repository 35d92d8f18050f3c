package rpc

import (
	"bufio"
	"encoding/json"
	"errors"
	"fmt"

	"github.com/godbg/godbg/service/api"
)

// protocolVersion is the "godbg" field of the handshake.
const protocolVersion = 1

// hello is the client's first line.
type hello struct {
	Godbg int    `json:"godbg"`
	Token string `json:"token,omitempty"`
}

// welcome is the server's answer to hello.
type welcome struct {
	OK          bool   `json:"ok,omitempty"`
	Multiclient bool   `json:"multiclient,omitempty"`
	Error       string `json:"error,omitempty"`
}

// request is one call.
type request struct {
	ID     uint64          `json:"id"`
	Method string          `json:"method"`
	Params json.RawMessage `json:"params,omitempty"`
}

// reply is what the server writes: a response (ID set) or pushed events.
type reply struct {
	ID     uint64          `json:"id,omitempty"`
	Result json.RawMessage `json:"result,omitempty"`
	Error  string          `json:"error,omitempty"`
	Events []api.Event     `json:"events,omitempty"`
}

// goroutinePage is one page of a Goroutines stream.
type goroutinePage struct {
	Stream     uint64          `json:"stream"`
	Goroutines []api.Goroutine `json:"goroutines"`
	Done       bool            `json:"done,omitempty"`
	// Err is the error that ended the listing early (with Done).
	Err string `json:"err,omitempty"`
}

const (
	// maxHandshake bounds the handshake line.
	maxHandshake = 4096
	// DefaultPageSize is how many goroutines one Goroutines page holds.
	DefaultPageSize = 1000
	maxPageSize     = 10000
	// maxEventBatch bounds the events of one pushed message.
	maxEventBatch = 4096

	// maxMessage bounds one request line (as the DAP server bounds a
	// message); a longer one closes the connection.
	maxMessage = 64 << 20
	// maxClients bounds the clients connected at once, maxHandshakes the
	// connections waiting for their handshake (10 s at most each).
	maxClients    = 16
	maxHandshakes = 32
	// maxInFlight bounds a client's requests being run or answered; the
	// server stops reading from a client that has this many.
	maxInFlight = 16
	// maxQueuedEvents bounds the events waiting for a client that does
	// not read; more are dropped and counted ("events-lost").
	maxQueuedEvents = 8192
	// maxStreams bounds a client's open Goroutines listings.
	maxStreams = 2
)

// streamAhead bounds the goroutines a listing holds that the client has
// not taken (about 25 MiB); a pass ends there and the next one resumes
// after it. A variable for the tests.
var streamAhead = 100000

var (
	// ErrAuth is the handshake's answer to a missing or wrong token.
	ErrAuth = errors.New("authentication failed: the server needs the token it was started with (--auth-token or --auth-token-file)")
	// ErrBusy is the answer of a single-client server that has a client.
	ErrBusy = errors.New("the server is serving another client; a server started with --accept-multiclient takes several")
	// ErrTooManyClients is the answer of a server that has maxClients.
	ErrTooManyClients = fmt.Errorf("the server has %d clients connected; one must leave first", maxClients)
	// ErrTooManyHandshakes is the answer to a connection while
	// maxHandshakes others wait for their handshake.
	ErrTooManyHandshakes = fmt.Errorf("%d connections are waiting for their handshake; try again", maxHandshakes)
	// ErrEnding is the answer of a server that is shutting down.
	ErrEnding = errors.New("the server is ending its session")
)

// RefusedError is a server's refusal of a connection, as the client sees
// it.
type RefusedError struct {
	Addr   string
	Reason string
}

func (e *RefusedError) Error() string {
	return fmt.Sprintf("the godbg server at %s refused the connection: %s", e.Addr, e.Reason)
}

// readLine reads the handshake line.
func readLine(r *bufio.Reader, max int) ([]byte, error) {
	line, err := readMessage(r, max)
	if errors.Is(err, ErrTooLarge) {
		return nil, fmt.Errorf("handshake line longer than %d bytes", max)
	}
	return line, err
}

// readMessage reads one line of at most max bytes (without the newline);
// a longer one is ErrTooLarge, read no further than max.
func readMessage(r *bufio.Reader, max int) ([]byte, error) {
	var line []byte
	for {
		chunk, isPrefix, err := r.ReadLine()
		if err != nil {
			return nil, err
		}
		line = append(line, chunk...)
		if len(line) > max {
			return nil, ErrTooLarge
		}
		if !isPrefix {
			return line, nil
		}
	}
}
