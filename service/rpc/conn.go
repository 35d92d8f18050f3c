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
	evReady chan struct{}
	closed  chan struct{}

	// runs counts requests in flight that resume the program.
	runs atomic.Int64

	stmu    sync.Mutex
	streams map[uint64]*goStream
}

// resumes are the methods that run the program until a stop; a client
// that leaves while one runs has it halted.
var resumes = map[string]bool{
	"Continue": true, "ContinueWithSignal": true, "Next": true, "Step": true,
	"StepOut": true, "StepInstruction": true, "FollowFork": true, "Restart": true,
}

// serve reads requests until the connection ends; each runs in its own
// goroutine.
func (c *conn) serve(br *bufio.Reader) {
	go c.pushEvents()
	dec := json.NewDecoder(br)
	for {
		var req request
		if err := dec.Decode(&req); err != nil {
			if !errors.Is(err, io.EOF) && !errors.Is(err, net.ErrClosed) {
				c.s.logf("client %s: %v; closing its connection", peerName(c.nc), err)
			}
			return
		}
		run := resumes[req.Method]
		if run {
			c.runs.Add(1)
		}
		go func() {
			if run {
				defer c.runs.Add(-1)
			}
			c.dispatch(req)
		}()
	}
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
// write deadline: a client stopped with Ctrl-Z must not lose its session;
// TCP keepalive finds a peer that is gone.
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
		c.nc.Close() // the reader ends, and the client leaves
		return err
	}
	return nil
}

func (c *conn) queueEvent(e api.Event) {
	c.evmu.Lock()
	c.events = append(c.events, e)
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

// goStream is a Goroutines listing read one page ahead of the client.
type goStream struct {
	id   uint64
	size int
	ch   chan api.Goroutine
	err  error // set before ch is closed
	stop chan struct{}
	once sync.Once
	idle *time.Timer
}

func (st *goStream) cancel() { st.once.Do(func() { close(st.stop) }) }

func (c *conn) startStream(raw json.RawMessage) (*goroutinePage, error) {
	var filters []api.GoroutineFilter
	var size int
	if err := params(raw, &filters, &size); err != nil {
		return nil, err
	}
	size = max(1, min(size, maxPageSize))
	st := &goStream{id: c.s.nextStream.Add(1), size: size, ch: make(chan api.Goroutine, size), stop: make(chan struct{})}
	go func() {
		st.err = c.s.backend.Goroutines(filters, func(g api.Goroutine) bool {
			select {
			case st.ch <- g:
				return true
			case <-st.stop:
				return false
			}
		})
		close(st.ch)
	}()
	st.idle = time.AfterFunc(streamIdle, st.cancel)
	c.stmu.Lock()
	c.streams[st.id] = st
	c.stmu.Unlock()
	select {
	case <-c.closed: // the client left meanwhile
		c.stopStream(st.id)
	default:
	}
	p := c.page(st)
	if p.Done && len(p.Goroutines) == 0 && p.Err != "" {
		return nil, errors.New(p.Err)
	}
	return p, nil
}

func (c *conn) nextPage(raw json.RawMessage) (*goroutinePage, error) {
	var id uint64
	if err := params(raw, &id); err != nil {
		return nil, err
	}
	c.stmu.Lock()
	st := c.streams[id]
	c.stmu.Unlock()
	if st == nil {
		return nil, fmt.Errorf("goroutine listing %d has ended (a minute without a request ends one); list again", id)
	}
	return c.page(st), nil
}

// page takes the next page of a stream; the last one ends it.
func (c *conn) page(st *goStream) *goroutinePage {
	st.idle.Stop()
	p := &goroutinePage{Stream: st.id, Goroutines: make([]api.Goroutine, 0, st.size)}
	for len(p.Goroutines) < st.size {
		g, ok := <-st.ch
		if !ok {
			p.Done = true
			if st.err != nil {
				p.Err = st.err.Error()
			}
			c.stopStream(st.id)
			return p
		}
		p.Goroutines = append(p.Goroutines, g)
	}
	st.idle.Reset(streamIdle)
	return p
}

func (c *conn) stopStream(id uint64) {
	c.stmu.Lock()
	st := c.streams[id]
	delete(c.streams, id)
	c.stmu.Unlock()
	if st != nil {
		st.idle.Stop()
		st.cancel()
	}
}

func (c *conn) stopStreams() {
	c.stmu.Lock()
	ids := make([]uint64, 0, len(c.streams))
	for id := range c.streams {
		ids = append(ids, id)
	}
	c.stmu.Unlock()
	for _, id := range ids {
		c.stopStream(id)
	}
}
