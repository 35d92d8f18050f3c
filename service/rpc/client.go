package rpc

import (
	"bufio"
	"encoding/json"
	"errors"
	"fmt"
	"net"
	"strings"
	"sync"
	"sync/atomic"
	"syscall"
	"time"

	"github.com/godbg/godbg/service"
	"github.com/godbg/godbg/service/api"
)

var _ service.Client = (*Client)(nil)

// DialConfig says how to connect.
type DialConfig struct {
	// Token is presented in the handshake (the server's --auth-token).
	Token string
	// OnEvent receives the events the server pushes, in order, before the
	// response they preceded (give it the terminal's SyncWriter.Event).
	OnEvent func(api.Event)
	// OnLost is called once if the connection ends before Close.
	OnLost func(error)
	// Timeout bounds the dial and the handshake; 0: 10s.
	Timeout time.Duration
	// PageSize is how many goroutines one Goroutines page holds; 0:
	// DefaultPageSize.
	PageSize int
}

// Client is a service.Client talking to a Server.
type Client struct {
	addr        string
	cfg         DialConfig
	nc          net.Conn
	multiclient bool

	wmu sync.Mutex
	enc *json.Encoder

	mu      sync.Mutex
	pending map[uint64]chan reply
	nextID  uint64
	lost    error         // why the connection ended; nil while it is up
	done    chan struct{} // closed when the reader ends

	closing  atomic.Bool // Close has begun: the end of the connection is expected
	shutdown atomic.Bool
	close    sync.Once
	closeErr error
}

// Dial connects to a server at addr ("host:port" or "unix:PATH") and
// performs the handshake.
func Dial(addr string, cfg DialConfig) (*Client, error) {
	if cfg.Timeout == 0 {
		cfg.Timeout = 10 * time.Second
	}
	if cfg.PageSize <= 0 {
		cfg.PageSize = DefaultPageSize
	}
	network, address := "tcp", addr
	if path, ok := strings.CutPrefix(addr, "unix:"); ok {
		network, address = "unix", path
	}
	nc, err := net.DialTimeout(network, address, cfg.Timeout)
	if err != nil {
		if errors.Is(err, syscall.ECONNREFUSED) || errors.Is(err, syscall.ENOENT) {
			return nil, fmt.Errorf("no godbg server is listening at %s (%w); start one with godbg exec|attach|debug --headless", addr, err)
		}
		return nil, fmt.Errorf("connecting to %s: %w", addr, err)
	}
	c := &Client{addr: addr, cfg: cfg, nc: nc, enc: json.NewEncoder(nc), pending: map[uint64]chan reply{}, done: make(chan struct{})}
	br := bufio.NewReader(nc)
	if err := c.handshake(br); err != nil {
		nc.Close()
		return nil, err
	}
	go c.read(br)
	return c, nil
}

func (c *Client) handshake(br *bufio.Reader) error {
	c.nc.SetDeadline(time.Now().Add(c.cfg.Timeout))
	defer c.nc.SetDeadline(time.Time{})
	// A server refusing the peer answers without reading the hello; a
	// failed write then still leaves its answer to read.
	werr := c.enc.Encode(hello{Godbg: protocolVersion, Token: c.cfg.Token})
	line, err := readLine(br, maxHandshake)
	if err != nil {
		if werr != nil {
			err = werr
		}
		return fmt.Errorf("%s did not answer as a godbg server (%v); is it one started with --headless?", c.addr, err)
	}
	var w welcome
	if err := json.Unmarshal(line, &w); err != nil {
		return fmt.Errorf("%s did not answer as a godbg server: %q", c.addr, line)
	}
	if w.Error != "" {
		return &RefusedError{Addr: c.addr, Reason: w.Error}
	}
	if !w.OK {
		return fmt.Errorf("%s did not answer as a godbg server: %q", c.addr, line)
	}
	c.multiclient = w.Multiclient
	return nil
}

// read delivers events and responses until the connection ends.
func (c *Client) read(br *bufio.Reader) {
	dec := json.NewDecoder(br)
	for {
		var r reply
		if err := dec.Decode(&r); err != nil {
			c.fail(err)
			return
		}
		if c.cfg.OnEvent != nil {
			for _, e := range r.Events {
				c.cfg.OnEvent(e)
			}
		}
		if r.ID == 0 {
			continue
		}
		c.mu.Lock()
		ch := c.pending[r.ID]
		delete(c.pending, r.ID)
		c.mu.Unlock()
		if ch != nil {
			ch <- r
		}
	}
}

func (c *Client) fail(err error) {
	closing := c.closing.Load()
	c.mu.Lock()
	c.lost = fmt.Errorf("lost the connection to the godbg server at %s (%v); exit, and connect again if it still runs", c.addr, err)
	c.mu.Unlock()
	close(c.done)
	if !closing && c.cfg.OnLost != nil {
		c.cfg.OnLost(c.lost)
	}
}

// Addr is the server's address as dialled.
func (c *Client) Addr() string { return c.addr }

// Multiclient reports whether the server was started with
// --accept-multiclient: Close then leaves the session to the next client.
func (c *Client) Multiclient() bool { return c.multiclient }

// SetShutdownOnClose makes Close end the server and its session (kill a
// launched program, detach an attached one) even on a multiclient server:
// the terminal's exit -k.
func (c *Client) SetShutdownOnClose(on bool) { c.shutdown.Store(on) }

// LeavesOnClose reports whether Close will leave the server and the
// program as they are.
func (c *Client) LeavesOnClose() bool { return c.multiclient && !c.shutdown.Load() }

// Close leaves the server. A single-client server, or any server after
// SetShutdownOnClose, ends its session first (kill launched, detach
// attached) and Close returns once it has; a multiclient server keeps the
// session, stopped, for the next client.
func (c *Client) Close() error {
	c.close.Do(func() {
		leave := c.LeavesOnClose()
		c.closing.Store(true)
		if !leave {
			_, c.closeErr = c.do("Shutdown")
		}
		c.nc.Close()
		<-c.done
	})
	return c.closeErr
}

// send writes one request.
func (c *Client) send(req request) error {
	c.wmu.Lock()
	defer c.wmu.Unlock()
	return c.enc.Encode(req)
}

// do calls method with args and returns its raw result.
func (c *Client) do(method string, args ...any) (json.RawMessage, error) {
	req := request{Method: method}
	if len(args) > 0 {
		raw, err := json.Marshal(args)
		if err != nil {
			return nil, fmt.Errorf("%s: encoding the arguments: %w", method, err)
		}
		req.Params = raw
	}
	ch := make(chan reply, 1)
	c.mu.Lock()
	if c.lost != nil {
		c.mu.Unlock()
		return nil, c.lost
	}
	c.nextID++
	req.ID = c.nextID
	c.pending[req.ID] = ch
	c.mu.Unlock()
	if err := c.send(req); err != nil {
		c.mu.Lock()
		delete(c.pending, req.ID)
		c.mu.Unlock()
		c.nc.Close() // the reader ends and says why
		<-c.done
		return nil, c.lost
	}
	var r reply
	select {
	case r = <-ch:
	case <-c.done:
		select {
		case r = <-ch:
		default:
			return nil, c.lost
		}
	}
	if r.Error != "" {
		return nil, errors.New(r.Error)
	}
	return r.Result, nil
}

// call is do with the result decoded into R.
func call[R any](c *Client, method string, args ...any) (R, error) {
	var res R
	raw, err := c.do(method, args...)
	if err != nil {
		return res, err
	}
	if err := json.Unmarshal(raw, &res); err != nil {
		return res, fmt.Errorf("%s: the server's answer does not decode: %w", method, err)
	}
	return res, nil
}

// Halt sends a halt without waiting for its answer: it works while a
// Continue is in flight on the same connection.
func (c *Client) Halt() {
	c.mu.Lock()
	if c.lost != nil {
		c.mu.Unlock()
		return
	}
	c.nextID++
	id := c.nextID
	c.mu.Unlock()
	c.send(request{ID: id, Method: "Halt"})
}

// Goroutines lists the goroutines a page at a time; fn may call the
// client (the server does not hold the session between pages).
func (c *Client) Goroutines(filters []api.GoroutineFilter, fn func(api.Goroutine) bool) error {
	p, err := call[*goroutinePage](c, "Goroutines", filters, c.cfg.PageSize)
	for err == nil {
		if p == nil {
			return errors.New("goroutines: the server sent no page")
		}
		for _, g := range p.Goroutines {
			if !fn(g) {
				if !p.Done {
					c.do("GoroutinesStop", p.Stream)
				}
				return nil
			}
		}
		if p.Done {
			if p.Err != "" {
				return errors.New(p.Err)
			}
			return nil
		}
		p, err = call[*goroutinePage](c, "GoroutinesNext", p.Stream)
	}
	return err
}
