package rpc

import (
	"bufio"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"net"
	"sync"
	"sync/atomic"
	"time"

	"github.com/godbg/godbg/service/api"
)

// conn is one admitted client on the server side.
type conn struct {
	s  *Server
	nc net.Conn

	wmu sync.Mutex // one message at a time; events before responses
	enc *json.Encoder

	evmu    sync.Mutex
	events  []api.Event
	dropped int // events dropped since the last notice
	evReady chan struct{}
	closed  chan struct{}

	// slots bounds the requests in flight: the reader stops reading when
	// they are all taken (by requests running, or by replies the client
	// does not read).
	slots chan struct{}
	// dead is closed when the connection is unusable (a read or write
	// failed, or the client broke the protocol): queued work is skipped.
	dead     chan struct{}
	deadOnce sync.Once

	// runs counts requests in flight that resume the program.
	runs atomic.Int64

	stmu    sync.Mutex
	streams map[uint64]*goStream
}

func newConn(s *Server, nc net.Conn) *conn {
	return &conn{s: s, nc: nc, enc: json.NewEncoder(nc), evReady: make(chan struct{}, 1),
		closed: make(chan struct{}), slots: make(chan struct{}, maxInFlight),
		dead: make(chan struct{}), streams: map[uint64]*goStream{}}
}

// resumes are the methods that run the program until a stop; a client
// that leaves while one runs has it halted.
var resumes = map[string]bool{
	"Continue": true, "ContinueWithSignal": true, "Next": true, "Step": true,
	"StepOut": true, "StepInstruction": true, "FollowFork": true, "Restart": true,
}

// ErrTooLarge is the answer to a message longer than maxMessage; the
// connection is closed after it.
var ErrTooLarge = fmt.Errorf("a request longer than %d MiB; closing the connection", maxMessage>>20)

// serve reads requests until the connection ends; each runs in its own
// goroutine, at most maxInFlight at a time.
func (c *conn) serve(br *bufio.Reader) {
	go c.pushEvents()
	defer c.kill()
	for {
		line, err := readMessage(br, maxMessage)
		if errors.Is(err, ErrTooLarge) {
			c.s.logf("client %s: %v", peerName(c.nc), err)
			c.nc.SetWriteDeadline(time.Now().Add(time.Second))
			c.write(reply{Error: err.Error()})
			lingerClose(c.nc, br)
			return
		}
		if err != nil {
			if !errors.Is(err, io.EOF) && !errors.Is(err, net.ErrClosed) {
				c.s.logf("client %s: %v; closing its connection", peerName(c.nc), err)
			}
			return
		}
		if len(line) == 0 {
			continue
		}
		select {
		case c.slots <- struct{}{}:
		case <-c.dead:
			return
		}
		var req request
		if err := json.Unmarshal(line, &req); err != nil {
			go func() {
				defer func() { <-c.slots }()
				c.respond(0, nil, fmt.Errorf("malformed request (%v): send one JSON object per line, {\"id\":N,\"method\":\"State\"}", err))
			}()
			continue
		}
		run := resumes[req.Method]
		if run {
			c.runs.Add(1)
		}
		go func() {
			defer func() { <-c.slots }()
			if run {
				defer c.runs.Add(-1)
			}
			select {
			case <-c.dead: // the client is gone: its queued work is not done
				return
			default:
			}
			c.dispatch(req)
		}()
	}
}

// lingerClose ends the sending side and reads a little more of what the
// peer sent, so that closing with unread data (a reset) does not destroy
// the error just written before the peer reads it.
func lingerClose(nc net.Conn, r io.Reader) {
	if cw, ok := nc.(interface{ CloseWrite() error }); ok {
		cw.CloseWrite()
		nc.SetReadDeadline(time.Now().Add(time.Second))
		io.Copy(io.Discard, io.LimitReader(r, 1<<20))
	}
}

// kill closes the connection once: the reader ends and the client leaves.
func (c *conn) kill() {
	c.deadOnce.Do(func() {
		close(c.dead)
		c.nc.Close()
	})
}

func (c *conn) dispatch(req request) {
	var res any
	var err error
	switch req.Method {
	case "Halt":
		c.s.backend.Halt()
		res = struct{}{}
	case "Goroutines":
		res, err = c.startStream(req.Params)
	case "GoroutinesNext":
		res, err = c.nextPage(req.Params)
	case "GoroutinesStop":
		var id uint64
		if err = params(req.Params, &id); err == nil {
			c.stopStream(id)
			res = struct{}{}
		}
	case "Shutdown":
		err = c.s.shutdown()
		c.respond(req.ID, struct{}{}, err)
		c.s.finish()
		return
	default:
		h, ok := methods[req.Method]
		if !ok {
			err = fmt.Errorf("no method %q in this godbg server (protocol %d)", req.Method, protocolVersion)
			break
		}
		res, err = h(c.s.backend, req.Params)
	}
	c.respond(req.ID, res, err)
}

func (c *conn) respond(id uint64, res any, err error) {
	r := reply{ID: id}
	if err == nil {
		r.Result, err = json.Marshal(res)
	}
	if err != nil {
		r.Error = err.Error()
		r.Result = nil
	}
	c.write(r)
}

// write sends one message, after the events queued so far. There is no
// write deadline: a client stopped with Ctrl-Z must not lose its session
// (while it does not read, its requests in flight fill up and the server
// stops reading from it); TCP keepalive finds a peer that is gone.
func (c *conn) write(msg any) error {
	c.wmu.Lock()
	defer c.wmu.Unlock()
	if err := c.flushEventsLocked(); err != nil {
		return err
	}
	return c.encodeLocked(msg)
}

func (c *conn) encodeLocked(msg any) error {
	if err := c.enc.Encode(msg); err != nil {
		c.kill()
		return err
	}
	return nil
}

// queueEvent queues e for the client; when maxQueuedEvents wait already
// (the client does not read), e is dropped and counted, and the client
// gets an "events-lost" event saying how many once it reads again.
func (c *conn) queueEvent(e api.Event) {
	c.evmu.Lock()
	if len(c.events) >= maxQueuedEvents {
		c.dropped++
	} else {
		c.events = append(c.events, e)
	}
	c.evmu.Unlock()
	select {
	case c.evReady <- struct{}{}:
	default:
	}
}

// pushEvents writes queued events as they come.
func (c *conn) pushEvents() {
	for {
		select {
		case <-c.evReady:
			c.wmu.Lock()
			c.flushEventsLocked()
			c.wmu.Unlock()
		case <-c.closed:
			return
		}
	}
}

func (c *conn) flushEventsLocked() error {
	c.evmu.Lock()
	evs := c.events
	if c.dropped > 0 {
		evs = append(evs, lostEvent(c.dropped))
		c.dropped = 0
	}
	c.events = nil
	c.evmu.Unlock()
	for len(evs) > 0 {
		n := min(len(evs), maxEventBatch)
		if err := c.encodeLocked(reply{Events: evs[:n]}); err != nil {
			return err
		}
		evs = evs[n:]
	}
	return nil
}

// lostEvent tells a client how many events it did not get.
func lostEvent(n int) api.Event {
	return api.Event{Kind: "events-lost", Text: fmt.Sprintf("%d events lost: this client did not read them in time", n)}
}
