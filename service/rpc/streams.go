package rpc

import (
	"encoding/json"
	"errors"
	"fmt"
	"sync"
	"time"

	"github.com/godbg/godbg/service/api"
)

// goStream is a Goroutines listing served a page at a time. A pass (one
// backend call, in its own goroutine) lists into buf while the client
// takes pages; it never waits for the client: when streamAhead goroutines
// wait in buf it ends, and the next page that needs more starts a pass
// that skips what earlier ones listed (started early, when half of buf
// is taken). So the session is never held while
// a client reads, and a client that keeps up gets the listing in one pass.
type goStream struct {
	id      uint64
	size    int
	filters []api.GoroutineFilter
	idle    *time.Timer

	mu      sync.Mutex
	cond    *sync.Cond // buf grew, or a pass ended
	buf     []api.Goroutine
	listed  int  // goroutines passes put in buf so far
	next    int  // where a resumable backend goes on after them
	running bool // a pass runs
	done    bool // a pass reached the end (or an error)
	err     error
	stopped bool // the stream ended: a running pass stops
}

// ErrTooManyStreams is the answer to a Goroutines listing beyond
// maxStreams open ones on a connection.
var ErrTooManyStreams = fmt.Errorf("%d goroutine listings are open on this connection; finish or stop one first", maxStreams)

// errStreamStopped ends a listing stopped while a page was being taken.
var errStreamStopped = errors.New("the goroutine listing was stopped; list again")

func (c *conn) startStream(raw json.RawMessage) (*goroutinePage, error) {
	var filters []api.GoroutineFilter
	var size int
	if err := params(raw, &filters, &size); err != nil {
		return nil, err
	}
	size = max(1, min(size, maxPageSize))
	st := &goStream{id: c.s.nextStream.Add(1), size: size, filters: filters}
	st.cond = sync.NewCond(&st.mu)
	c.stmu.Lock()
	if len(c.streams) >= maxStreams {
		c.stmu.Unlock()
		return nil, ErrTooManyStreams
	}
	c.streams[st.id] = st
	c.stmu.Unlock()
	st.idle = time.AfterFunc(streamIdle, func() { c.stopStream(st.id) })
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

// page takes the next page of a stream, waiting for a pass to list it;
// the last one ends the stream.
func (c *conn) page(st *goStream) *goroutinePage {
	st.idle.Stop()
	st.mu.Lock()
	defer st.mu.Unlock()
	for len(st.buf) < st.size && !st.done && !st.stopped {
		if !st.running {
			c.pass(st)
		}
		st.cond.Wait()
	}
	n := min(st.size, len(st.buf))
	p := &goroutinePage{Stream: st.id, Goroutines: st.buf[:n:n]}
	st.buf = st.buf[n:]
	if len(st.buf) == 0 && (st.done || st.stopped) {
		p.Done = true
		if st.err != nil {
			p.Err = st.err.Error()
		} else if !st.done {
			p.Err = errStreamStopped.Error()
		}
		st.stopped = true
		c.forget(st.id)
		return p
	}
	if !st.running && !st.done && len(st.buf) < streamAhead/2 {
		c.pass(st) // the last pass filled buf: start the next one while the client takes the rest
	}
	st.idle.Reset(streamIdle)
	return p
}

// resumable is a backend whose listing can start past what an earlier
// pass listed without converting those goroutines (*debugger.Debugger);
// with another backend a pass skips them through the callback.
type resumable interface {
	GoroutinesFrom(start int, filters []api.GoroutineFilter, fn func(next int, g api.Goroutine) bool) error
}

// pass starts listing what earlier passes did not (st.mu held).
func (c *conn) pass(st *goStream) {
	st.running = true
	skip, from := st.listed, st.next
	go func() {
		full := false
		take := func(next int, g api.Goroutine) bool {
			st.mu.Lock()
			defer st.mu.Unlock()
			if st.stopped {
				return false
			}
			if len(st.buf) >= streamAhead {
				full = true // this one is listed again by the next pass
				return false
			}
			st.buf = append(st.buf, g)
			st.listed++
			st.next = next
			if len(st.buf) >= st.size { // a page waits for a full page
				st.cond.Broadcast()
			}
			return true
		}
		var err error
		if r, ok := c.s.backend.(resumable); ok {
			err = r.GoroutinesFrom(from, st.filters, take)
		} else {
			i := 0
			err = c.s.backend.Goroutines(st.filters, func(g api.Goroutine) bool {
				if i++; i <= skip {
					return true
				}
				return take(0, g)
			})
		}
		st.mu.Lock()
		defer st.mu.Unlock()
		st.running = false
		if !full && !st.stopped {
			st.done, st.err = true, err
		}
		st.cond.Broadcast()
	}()
}

// forget removes a stream from its connection.
func (c *conn) forget(id uint64) *goStream {
	c.stmu.Lock()
	st := c.streams[id]
	delete(c.streams, id)
	c.stmu.Unlock()
	if st != nil {
		st.idle.Stop()
	}
	return st
}

// stopStream ends a stream; a pass that runs stops at its next goroutine.
func (c *conn) stopStream(id uint64) {
	if st := c.forget(id); st != nil {
		st.mu.Lock()
		st.stopped = true
		st.cond.Broadcast()
		st.mu.Unlock()
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
