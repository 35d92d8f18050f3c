package rpc

import (
	"encoding/json"
	"errors"
	"fmt"
	"sync"
	"time"

	"github.com/godbg/godbg/service/api"
)

// goStream is a Goroutines listing served a page at a time. The listing
// is read in passes of up to streamAhead goroutines, each within one
// backend call, so the session is never held while the client reads; a
// later pass skips what earlier ones listed.
type goStream struct {
	id      uint64
	size    int
	filters []api.GoroutineFilter
	idle    *time.Timer

	mu     sync.Mutex // one page at a time
	buf    []api.Goroutine
	listed int  // goroutines listed by the passes so far
	done   bool // a pass reached the end (or an error)
	err    error
}

// ErrTooManyStreams is the answer to a Goroutines listing beyond
// maxStreams open ones on a connection.
var ErrTooManyStreams = fmt.Errorf("%d goroutine listings are open on this connection; finish or stop one first", maxStreams)

func (c *conn) startStream(raw json.RawMessage) (*goroutinePage, error) {
	var filters []api.GoroutineFilter
	var size int
	if err := params(raw, &filters, &size); err != nil {
		return nil, err
	}
	size = max(1, min(size, maxPageSize))
	st := &goStream{id: c.s.nextStream.Add(1), size: size, filters: filters}
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

// page takes the next page of a stream, listing more first if needed;
// the last page ends it.
func (c *conn) page(st *goStream) *goroutinePage {
	st.idle.Stop()
	st.mu.Lock()
	defer st.mu.Unlock()
	if len(st.buf) < st.size && !st.done {
		c.fill(st)
	}
	n := min(st.size, len(st.buf))
	p := &goroutinePage{Stream: st.id, Goroutines: st.buf[:n:n]}
	st.buf = st.buf[n:]
	if len(st.buf) == 0 && st.done {
		p.Done = true
		if st.err != nil {
			p.Err = st.err.Error()
		}
		c.stopStream(st.id)
		return p
	}
	st.idle.Reset(streamIdle)
	return p
}

// fill runs one pass: it skips what was listed before and lists up to
// streamAhead more (one more tells that the listing goes on).
func (c *conn) fill(st *goStream) {
	skip, want := st.listed, max(streamAhead, st.size)
	var more []api.Goroutine
	i := 0
	err := c.s.backend.Goroutines(st.filters, func(g api.Goroutine) bool {
		i++
		if i <= skip {
			return true
		}
		more = append(more, g)
		return len(more) <= want
	})
	st.listed += len(more)
	st.buf = append(st.buf, more...)
	if err != nil || len(more) <= want {
		st.done, st.err = true, err
	}
}

func (c *conn) stopStream(id uint64) {
	c.stmu.Lock()
	st := c.streams[id]
	delete(c.streams, id)
	c.stmu.Unlock()
	if st != nil {
		st.idle.Stop()
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
