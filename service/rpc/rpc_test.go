package rpc

import (
	"errors"
	"fmt"
	"net"
	"reflect"
	"strings"
	"sync"
	"sync/atomic"
	"testing"
	"time"

	"github.com/godbg/godbg/service"
	"github.com/godbg/godbg/service/api"
)

// fake is a backend with the few methods these tests call; the others are
// the nil embedded interface's and panic.
type fake struct {
	service.Client
	srv    *Server
	goros  int
	listed atomic.Int64 // goroutines handed to a Goroutines callback
	ended  chan struct{}
	halts  atomic.Int64
	halt   chan struct{}
	closes atomic.Int64
	thread atomic.Int64
	// sess is the session lock a Debugger holds in each call (State and
	// Goroutines take it here).
	sess sync.Mutex
}

func newFake() *fake {
	return &fake{ended: make(chan struct{}, 16), halt: make(chan struct{}, 1)}
}

func (f *fake) State() (*api.State, error) {
	f.sess.Lock()
	defer f.sess.Unlock()
	return &api.State{Pid: 42, Reason: "halted", CurrentThread: &api.Thread{ID: int(f.thread.Load())}}, nil
}

// Continue reports two events and blocks until halted.
func (f *fake) Continue() (*api.State, error) {
	f.srv.Event(api.Event{Kind: "new-thread", Pid: 42, Tid: 43})
	f.srv.Event(api.Event{Kind: "new-thread", Pid: 42, Tid: 44})
	<-f.halt
	return &api.State{Pid: 42, Reason: "halted"}, nil
}

func (f *fake) Halt() {
	f.halts.Add(1)
	select {
	case f.halt <- struct{}{}:
	default:
	}
}

func (f *fake) SwitchThread(tid int) (*api.Thread, error) {
	if tid <= 0 {
		return nil, fmt.Errorf("no thread %d; threads lists them", tid)
	}
	f.thread.Store(int64(tid))
	return &api.Thread{ID: tid}, nil
}

func (f *fake) SetVariable(lhs, rhs string) error {
	if lhs != "x" || rhs != "1" {
		return fmt.Errorf("got %q = %q", lhs, rhs)
	}
	return nil
}

func (f *fake) ReadMemory(addr uint64, n int) ([]byte, error) {
	b := make([]byte, n)
	for i := range b {
		b[i] = byte(addr) + byte(i)
	}
	return b, nil
}

func (f *fake) ForkSettings() api.ForkSettings { return api.ForkSettings{FollowForkMode: "child"} }

func (f *fake) Goroutines(filters []api.GoroutineFilter, fn func(api.Goroutine) bool) error {
	f.sess.Lock()
	defer f.sess.Unlock()
	defer func() { f.ended <- struct{}{} }()
	if len(filters) > 0 && filters[0].Kind == "bogus" {
		return errors.New("unknown filter bogus")
	}
	for i := 1; i <= f.goros; i++ {
		f.listed.Add(1)
		if !fn(api.Goroutine{ID: int64(i), Status: "waiting"}) {
			return nil
		}
	}
	return nil
}

func (f *fake) Close() error {
	f.closes.Add(1)
	return nil
}

// sizeListener records the largest single write the server makes.
type sizeListener struct {
	net.Listener
	max atomic.Int64
}

type sizeConn struct {
	net.Conn
	l *sizeListener
}

func (l *sizeListener) Accept() (net.Conn, error) {
	c, err := l.Listener.Accept()
	if err != nil {
		return nil, err
	}
	return &sizeConn{c, l}, nil
}

func (c *sizeConn) Write(b []byte) (int, error) {
	for {
		m := c.l.max.Load()
		if int64(len(b)) <= m || c.l.max.CompareAndSwap(m, int64(len(b))) {
			break
		}
	}
	return c.Conn.Write(b)
}

// serve starts a server for b on a loopback port; the returned channel
// yields Serve's result.
func serve(t *testing.T, cfg ServerConfig, b *fake) (*Server, *sizeListener, chan error) {
	t.Helper()
	l, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	sl := &sizeListener{Listener: l}
	srv := NewServer(cfg)
	b.srv = srv
	done := make(chan error, 1)
	go func() { done <- srv.Serve(sl, b) }()
	t.Cleanup(func() { srv.Stop() })
	return srv, sl, done
}

func dial(t *testing.T, l net.Listener, cfg DialConfig) *Client {
	t.Helper()
	c, err := Dial(l.Addr().String(), cfg)
	if err != nil {
		t.Fatal(err)
	}
	return c
}

func waitDone(t *testing.T, done chan error) {
	t.Helper()
	select {
	case <-done:
	case <-time.After(10 * time.Second):
		t.Fatal("Serve did not return")
	}
}

func TestEveryClientMethodIsServed(t *testing.T) {
	own := map[string]bool{"Goroutines": true, "Halt": true, "Close": true}
	it := reflect.TypeFor[service.Client]()
	for i := 0; i < it.NumMethod(); i++ {
		name := it.Method(i).Name
		if _, ok := methods[name]; !ok && !own[name] {
			t.Errorf("service.Client.%s has no handler in methods", name)
		}
	}
	for name := range methods {
		if _, ok := it.MethodByName(name); !ok {
			t.Errorf("methods has %s, which service.Client lacks", name)
		}
	}
}

func TestCallsErrorsAndResults(t *testing.T) {
	b := newFake()
	_, l, _ := serve(t, ServerConfig{Multiclient: true}, b)
	c := dial(t, l, DialConfig{})
	defer c.Close()
	if th, err := c.SwitchThread(7); err != nil || th.ID != 7 {
		t.Fatalf("SwitchThread(7) = %v, %v", th, err)
	}
	if st, err := c.State(); err != nil || st.CurrentThread.ID != 7 {
		t.Fatalf("State = %+v, %v", st, err)
	}
	if _, err := c.SwitchThread(-1); err == nil || err.Error() != "no thread -1; threads lists them" {
		t.Fatalf("error not passed as is: %v", err)
	}
	if err := c.SetVariable("x", "1"); err != nil {
		t.Fatal(err)
	}
	if m, err := c.ReadMemory(0x10, 4); err != nil || string(m) != "\x10\x11\x12\x13" {
		t.Fatalf("ReadMemory = %x, %v", m, err)
	}
	if fs := c.ForkSettings(); fs.FollowForkMode != "child" {
		t.Fatalf("ForkSettings = %+v", fs)
	}
	if _, err := c.do("NoSuchMethod"); err == nil || !strings.Contains(err.Error(), `no method "NoSuchMethod"`) {
		t.Fatalf("unknown method: %v", err)
	}
	if _, err := c.do("SwitchThread", "seven"); err == nil || !strings.Contains(err.Error(), "param 1") {
		t.Fatalf("bad params: %v", err)
	}
}

func TestGoroutinesArePaged(t *testing.T) {
	b := newFake()
	b.goros = 100000
	_, l, _ := serve(t, ServerConfig{Multiclient: true}, b)
	c := dial(t, l, DialConfig{})
	defer c.Close()
	var got int64
	if err := c.Goroutines(nil, func(g api.Goroutine) bool {
		got++
		if g.ID != got {
			t.Fatalf("goroutine %d where %d was due", g.ID, got)
		}
		return true
	}); err != nil {
		t.Fatal(err)
	}
	if got != 100000 {
		t.Fatalf("%d goroutines, want 100000", got)
	}
	// A page of 1000 small goroutines is well under a megabyte; the whole
	// listing would be about 50.
	if m := l.max.Load(); m > 1<<20 {
		t.Fatalf("largest message %d bytes: not paged", m)
	}
	for len(b.ended) > 0 {
		<-b.ended
	}

	// Stopping early ends the listing on the server: it listed at most
	// streamAhead beyond what the client took, and no pass runs on.
	b.listed.Store(0)
	n := 0
	if err := c.Goroutines(nil, func(api.Goroutine) bool { n++; return n < 1500 }); err != nil {
		t.Fatal(err)
	}
	select {
	case <-b.ended:
	case <-time.After(5 * time.Second):
		t.Fatal("the server's listing did not end after the client stopped")
	}
	if x := b.listed.Load(); x > int64(streamAhead+2*DefaultPageSize+1) {
		t.Fatalf("the server listed %d goroutines for a client that took 1500", x)
	}
	// An error before any goroutine is the call's error.
	err := c.Goroutines([]api.GoroutineFilter{{Kind: "bogus"}}, func(api.Goroutine) bool { return true })
	if err == nil || err.Error() != "unknown filter bogus" {
		t.Fatalf("filter error: %v", err)
	}
}

func TestHaltWhileContinueAndEventsFirst(t *testing.T) {
	b := newFake()
	_, l, _ := serve(t, ServerConfig{Multiclient: true}, b)
	var mu sync.Mutex
	var order []string
	c := dial(t, l, DialConfig{OnEvent: func(e api.Event) {
		mu.Lock()
		order = append(order, fmt.Sprintf("%s %d", e.Kind, e.Tid))
		mu.Unlock()
	}})
	defer c.Close()
	done := make(chan *api.State, 1)
	go func() {
		st, err := c.Continue()
		if err != nil {
			t.Error(err)
		}
		mu.Lock()
		order = append(order, "stop")
		mu.Unlock()
		done <- st
	}()
	time.Sleep(100 * time.Millisecond)
	select {
	case <-done:
		t.Fatal("Continue returned before Halt")
	default:
	}
	c.Halt()
	select {
	case st := <-done:
		if st.Reason != "halted" {
			t.Fatalf("reason %q", st.Reason)
		}
	case <-time.After(5 * time.Second):
		t.Fatal("Halt did not reach the server while Continue ran")
	}
	mu.Lock()
	defer mu.Unlock()
	if got := strings.Join(order, ", "); got != "new-thread 43, new-thread 44, stop" {
		t.Fatalf("order %q: events must come before the stop", got)
	}
}

func TestSingleClientLeavingEndsTheSession(t *testing.T) {
	for _, how := range []string{"close", "lost"} {
		t.Run(how, func(t *testing.T) {
			b := newFake()
			_, l, done := serve(t, ServerConfig{}, b)
			c := dial(t, l, DialConfig{})
			if _, err := Dial(l.Addr().String(), DialConfig{}); err == nil || !strings.Contains(err.Error(), ErrBusy.Error()) {
				t.Fatalf("a second client: %v, want %v", err, ErrBusy)
			}
			// A Continue in flight is halted before the teardown.
			go c.Continue()
			time.Sleep(50 * time.Millisecond)
			if how == "close" {
				if err := c.Close(); err != nil {
					t.Fatal(err)
				}
				if b.closes.Load() != 1 {
					t.Fatal("Close returned before the teardown")
				}
			} else {
				c.nc.Close()
			}
			waitDone(t, done)
			if b.closes.Load() != 1 || b.halts.Load() == 0 {
				t.Fatalf("teardowns %d, halts %d; want 1 teardown after a halt", b.closes.Load(), b.halts.Load())
			}
		})
	}
}

func TestMulticlientKeepsTheSession(t *testing.T) {
	b := newFake()
	_, l, done := serve(t, ServerConfig{Multiclient: true}, b)
	c1 := dial(t, l, DialConfig{})
	if !c1.Multiclient() || !c1.LeavesOnClose() {
		t.Fatal("a multiclient server's client must leave on Close")
	}
	c1.SwitchThread(9)
	stopped := make(chan struct{})
	go func() { c1.Continue(); close(stopped) }()
	time.Sleep(50 * time.Millisecond)
	c1.Close()
	select {
	case <-stopped:
	case <-time.After(5 * time.Second):
		t.Fatal("the leaving client's Continue was not halted")
	}
	c2 := dial(t, l, DialConfig{})
	if st, err := c2.State(); err != nil || st.CurrentThread.ID != 9 {
		t.Fatalf("second client State = %+v, %v; want thread 9", st, err)
	}
	if b.closes.Load() != 0 {
		t.Fatal("a leaving client ended the session")
	}
	c2.SetShutdownOnClose(true)
	if err := c2.Close(); err != nil {
		t.Fatal(err)
	}
	waitDone(t, done)
	if b.closes.Load() != 1 {
		t.Fatalf("%d teardowns, want 1", b.closes.Load())
	}
	if _, err := Dial(l.Addr().String(), DialConfig{Timeout: time.Second}); err == nil {
		t.Fatal("the server still accepts clients after Shutdown")
	}
}

func TestToken(t *testing.T) {
	b := newFake()
	_, l, _ := serve(t, ServerConfig{Multiclient: true, Token: "s3cret"}, b)
	for _, tok := range []string{"", "s3cre", "s3cret!", "wrong"} {
		_, err := Dial(l.Addr().String(), DialConfig{Token: tok})
		var re *RefusedError
		if !errors.As(err, &re) || re.Reason != ErrAuth.Error() {
			t.Errorf("token %q: %v, want a refusal: %v", tok, err, ErrAuth)
		}
	}
	c := dial(t, l, DialConfig{Token: "s3cret"})
	if _, err := c.State(); err != nil {
		t.Fatal(err)
	}
	c.Close()
}

func TestLostConnection(t *testing.T) {
	b := newFake()
	srv, l, _ := serve(t, ServerConfig{Multiclient: true}, b)
	lost := make(chan error, 1)
	c := dial(t, l, DialConfig{OnLost: func(err error) { lost <- err }})
	srv.Stop()
	select {
	case err := <-lost:
		if !strings.Contains(err.Error(), "lost the connection") {
			t.Fatalf("OnLost(%v)", err)
		}
	case <-time.After(5 * time.Second):
		t.Fatal("OnLost not called")
	}
	if _, err := c.State(); err == nil || !strings.Contains(err.Error(), "lost the connection") {
		t.Fatalf("a call after the loss: %v", err)
	}
	c.Halt() // must not block or panic
}

func TestNotAServer(t *testing.T) {
	l, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	defer l.Close()
	go func() {
		c, err := l.Accept()
		if err == nil {
			c.Write([]byte("HTTP/1.0 400 Bad Request\r\n\r\n"))
			c.Close()
		}
	}()
	_, err = Dial(l.Addr().String(), DialConfig{Timeout: 2 * time.Second})
	if err == nil || !strings.Contains(err.Error(), "did not answer as a godbg server") {
		t.Fatalf("Dial to a non-godbg server: %v", err)
	}
}
