package dap_test

import (
	"bufio"
	"encoding/json"
	"fmt"
	"net"
	"os"
	"strings"
	"sync"
	"testing"
	"time"

	godap "github.com/google/go-dap"

	"github.com/godbg/godbg/service/dap"
)

// client is a DAP client for the tests: requests go out as JSON, and
// everything that comes back is read by one goroutine into a queue.
type client struct {
	t    testing.TB
	conn net.Conn
	seq  int
	pid  int  // the program's, from the process event (launchTo)
	dlv  bool // the server is dlv dap (benchmarks): no process event

	initialized bool // initialize was answered

	msgs    chan godap.Message // from the reader; closed at EOF
	pending []godap.Message    // read while waiting for something else
	readErr error

	mu     sync.Mutex
	output map[string]*strings.Builder // output events by category
}

// startServer listens on the default address and serves in the
// background until the test ends.
func startServer(t testing.TB) string {
	t.Helper()
	return startServerConfig(t, dap.Config{})
}

// startServerConfig is startServer with a configuration.
func startServerConfig(t testing.TB, cfg dap.Config) string {
	t.Helper()
	ln, err := dap.Listen("", false)
	if err != nil {
		t.Fatal(err)
	}
	srv := dap.NewServer(ln, cfg)
	done := make(chan error, 1)
	go func() { done <- srv.Serve() }()
	t.Cleanup(func() {
		srv.Stop()
		select {
		case err := <-done:
			if err != nil {
				t.Errorf("Serve: %v", err)
			}
		case <-time.After(15 * time.Second):
			t.Errorf("Serve did not return after Stop")
		}
	})
	return ln.Addr().String()
}

func dial(t testing.TB, network, addr string) *client {
	t.Helper()
	conn, err := net.Dial(network, addr)
	if err != nil {
		t.Fatal(err)
	}
	c := &client{t: t, conn: conn, msgs: make(chan godap.Message, 1<<16), output: map[string]*strings.Builder{}}
	go c.read()
	t.Cleanup(func() { conn.Close() })
	return c
}

func (c *client) read() {
	r := bufio.NewReader(c.conn)
	for {
		m, err := godap.ReadProtocolMessage(r)
		if err != nil {
			c.readErr = err
			close(c.msgs)
			return
		}
		if o, ok := m.(*godap.OutputEvent); ok {
			c.mu.Lock()
			b := c.output[o.Body.Category]
			if b == nil {
				b = &strings.Builder{}
				c.output[o.Body.Category] = b
			}
			b.WriteString(o.Body.Output)
			c.mu.Unlock()
		}
		c.msgs <- m
	}
}

// out returns what output events of a category said so far.
func (c *client) out(category string) string {
	c.mu.Lock()
	defer c.mu.Unlock()
	if b := c.output[category]; b != nil {
		return b.String()
	}
	return ""
}

// sendRaw writes bytes as they are.
func (c *client) sendRaw(b []byte) {
	c.t.Helper()
	if _, err := c.conn.Write(b); err != nil {
		c.t.Fatal(err)
	}
}

// send writes a request and returns its seq.
func (c *client) send(command string, args any) int {
	c.t.Helper()
	c.seq++
	m := map[string]any{"seq": c.seq, "type": "request", "command": command}
	if args != nil {
		m["arguments"] = args
	}
	b, err := json.Marshal(m)
	if err != nil {
		c.t.Fatal(err)
	}
	if err := godap.WriteBaseMessage(c.conn, b); err != nil {
		c.t.Fatal(err)
	}
	return c.seq
}

// next returns the next message, from the queue first.
func (c *client) next(timeout time.Duration, what string) godap.Message {
	c.t.Helper()
	select {
	case m, ok := <-c.msgs:
		if !ok {
			c.t.Fatalf("waiting for %s: connection ended (%v)", what, c.readErr)
		}
		return m
	case <-time.After(timeout):
		c.t.Fatalf("waiting for %s: nothing within %v", what, timeout)
	}
	return nil
}

// closed waits for the server to close the connection and returns what
// it sent before.
func (c *client) closed(timeout time.Duration) []godap.Message {
	c.t.Helper()
	got := c.pending
	c.pending = nil
	deadline := time.After(timeout)
	for {
		select {
		case m, ok := <-c.msgs:
			if !ok {
				return got
			}
			got = append(got, m)
		case <-deadline:
			c.t.Fatalf("the server did not close the connection within %v", timeout)
		}
	}
}

// response waits for the answer to request seq; other messages are kept.
func (c *client) response(seq int) godap.ResponseMessage {
	c.t.Helper()
	for i, m := range c.pending {
		if r, ok := m.(godap.ResponseMessage); ok && r.GetResponse().RequestSeq == seq {
			c.pending = append(c.pending[:i], c.pending[i+1:]...)
			return r
		}
	}
	for {
		m := c.next(30*time.Second, fmt.Sprintf("the response to request %d", seq))
		if r, ok := m.(godap.ResponseMessage); ok && r.GetResponse().RequestSeq == seq {
			return r
		}
		c.pending = append(c.pending, m)
	}
}

// ok sends a request and fails the test unless it succeeds.
func (c *client) ok(command string, args any) godap.ResponseMessage {
	c.t.Helper()
	r := c.response(c.send(command, args))
	if !r.GetResponse().Success {
		c.t.Fatalf("%s %v: %s", command, args, errText(r))
	}
	return r
}

// fail sends a request and fails the test unless it is refused with an
// error containing want.
func (c *client) fail(command string, args any, want string) *godap.ErrorResponse {
	c.t.Helper()
	r := c.response(c.send(command, args))
	er, ok := r.(*godap.ErrorResponse)
	if !ok || r.GetResponse().Success {
		c.t.Fatalf("%s %v: succeeded (%T), want an error with %q", command, args, r, want)
	}
	if !strings.Contains(errText(r), want) {
		c.t.Fatalf("%s %v: error %q, want %q", command, args, errText(r), want)
	}
	return er
}

func errText(r godap.ResponseMessage) string {
	if er, ok := r.(*godap.ErrorResponse); ok && er.Body.Error != nil {
		return er.Body.Error.Format
	}
	return r.GetResponse().Message
}

// event waits for an event by name; other messages are kept.
func (c *client) event(name string, timeout time.Duration) godap.EventMessage {
	c.t.Helper()
	for i, m := range c.pending {
		if e, ok := m.(godap.EventMessage); ok && e.GetEvent().Event == name {
			c.pending = append(c.pending[:i], c.pending[i+1:]...)
			return e
		}
	}
	deadline := time.Now().Add(timeout)
	for {
		m := c.next(time.Until(deadline), "a "+name+" event")
		if e, ok := m.(godap.EventMessage); ok && e.GetEvent().Event == name {
			return e
		}
		c.pending = append(c.pending, m)
	}
}

func (c *client) stopped() *godap.StoppedEvent {
	c.t.Helper()
	return c.event("stopped", 30*time.Second).(*godap.StoppedEvent)
}

// Typed helpers.

func (c *client) threads() []godap.Thread {
	c.t.Helper()
	return c.ok("threads", nil).(*godap.ThreadsResponse).Body.Threads
}

func (c *client) stack(thread, start, levels int) godap.StackTraceResponseBody {
	c.t.Helper()
	return c.ok("stackTrace", map[string]any{"threadId": thread, "startFrame": start, "levels": levels}).(*godap.StackTraceResponse).Body
}

func (c *client) scopes(frame int) []godap.Scope {
	c.t.Helper()
	return c.ok("scopes", map[string]any{"frameId": frame}).(*godap.ScopesResponse).Body.Scopes
}

func (c *client) vars(ref int, extra map[string]any) []godap.Variable {
	c.t.Helper()
	args := map[string]any{"variablesReference": ref}
	for k, v := range extra {
		args[k] = v
	}
	return c.ok("variables", args).(*godap.VariablesResponse).Body.Variables
}

func (c *client) eval(expr string, frame int, context string) godap.EvaluateResponseBody {
	c.t.Helper()
	return c.ok("evaluate", map[string]any{"expression": expr, "frameId": frame, "context": context}).(*godap.EvaluateResponse).Body
}

// scope returns the reference of the named scope of a frame.
func (c *client) scope(frame int, name string) int {
	c.t.Helper()
	for _, s := range c.scopes(frame) {
		if s.Name == name {
			return s.VariablesReference
		}
	}
	c.t.Fatalf("frame %d has no %s scope", frame, name)
	return 0
}

// initialize starts a session the way an editor does.
func (c *client) initialize() godap.Capabilities {
	c.t.Helper()
	r := c.ok("initialize", map[string]any{"clientID": "test", "adapterID": "godbg", "linesStartAt1": true, "columnsStartAt1": true, "pathFormat": "path"})
	c.initialized = true
	return r.(*godap.InitializeResponse).Body
}

// find returns the variable called name.
func find(t testing.TB, vs []godap.Variable, name string) godap.Variable {
	t.Helper()
	for _, v := range vs {
		if v.Name == name {
			return v
		}
	}
	var names []string
	for _, v := range vs {
		names = append(names, v.Name)
	}
	t.Fatalf("no variable %q among %v", name, names)
	return godap.Variable{}
}

// lineOf returns the line of file holding marker.
func lineOf(t testing.TB, file, marker string) int {
	t.Helper()
	b, err := os.ReadFile(file)
	if err != nil {
		t.Fatal(err)
	}
	for i, l := range strings.Split(string(b), "\n") {
		if strings.Contains(l, marker) {
			return i + 1
		}
	}
	t.Fatalf("%s: no line with %q", file, marker)
	return 0
}
