package rpc

import (
	"bufio"
	"encoding/json"
	"fmt"
	"net"
	"regexp"
	"runtime"
	"slices"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/godbg/godbg/service/api"
)

// rawClient connects and shakes hands without a Client: it sends and
// reads what a test wants, or nothing.
func rawClient(t *testing.T, l net.Listener) (net.Conn, *bufio.Reader) {
	t.Helper()
	nc, err := net.Dial("tcp", l.Addr().String())
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { nc.Close() })
	fmt.Fprintf(nc, "{\"godbg\":%d}\n", protocolVersion)
	br := bufio.NewReader(nc)
	line, err := br.ReadString('\n')
	if err != nil || !strings.Contains(line, `"ok":true`) {
		t.Fatalf("handshake: %q, %v", line, err)
	}
	return nc, br
}

// readReply reads the next message that is not only events.
func readReply(t *testing.T, nc net.Conn, br *bufio.Reader) reply {
	t.Helper()
	nc.SetReadDeadline(time.Now().Add(10 * time.Second))
	for {
		line, err := br.ReadBytes('\n')
		if err != nil {
			t.Fatalf("reading a reply: %v", err)
		}
		var r reply
		if err := json.Unmarshal(line, &r); err != nil {
			t.Fatalf("reply %q: %v", line, err)
		}
		if r.ID != 0 || r.Error != "" {
			return r
		}
	}
}

// A malformed line is answered with an error and the session goes on,
// even on a single-client server (it used to end the session).
func TestMalformedLineKeepsTheSession(t *testing.T) {
	b := newFake()
	_, l, done := serve(t, ServerConfig{}, b)
	nc, br := rawClient(t, l)
	for _, bad := range []string{`{"id":1,"method":`, `not json at all`, `[1,2,3]`, `{"id":"x"}`} {
		fmt.Fprintln(nc, bad)
		r := readReply(t, nc, br)
		if !strings.Contains(r.Error, "malformed request") {
			t.Fatalf("%s: reply %+v; want a malformed-request error", bad, r)
		}
	}
	fmt.Fprintln(nc, `{"id":9,"method":"State"}`)
	if r := readReply(t, nc, br); r.ID != 9 || r.Error != "" {
		t.Fatalf("State after malformed lines: %+v", r)
	}
	select {
	case <-done:
		t.Fatal("the session ended")
	default:
	}
	if b.closes.Load() != 0 {
		t.Fatal("the teardown ran")
	}
}

// A message longer than maxMessage is answered with an error and closes
// that connection without being buffered; other clients go on.
func TestOversizeMessageClosesTheConnection(t *testing.T) {
	b := newFake()
	_, l, _ := serve(t, ServerConfig{Multiclient: true}, b)
	other := dial(t, l, DialConfig{})
	defer other.Close()
	nc, br := rawClient(t, l)
	chunk := []byte(`{"id":1,"method":"State","params":["` + strings.Repeat("x", 1<<20))
	sent := 0
	var werr error
	for sent <= maxMessage+4<<20 && werr == nil {
		nc.SetWriteDeadline(time.Now().Add(10 * time.Second))
		_, werr = nc.Write(chunk)
		sent += len(chunk)
		chunk = chunk[:1<<20]
		copy(chunk, strings.Repeat("x", 1<<20))
	}
	r := readReply(t, nc, br)
	if !strings.Contains(r.Error, "longer than 64 MiB") {
		t.Fatalf("reply %+v", r)
	}
	nc.SetReadDeadline(time.Now().Add(5 * time.Second))
	if _, err := br.ReadByte(); err == nil {
		t.Fatal("the connection stays open after an oversize message")
	}
	if _, err := other.State(); err != nil {
		t.Fatalf("another client after the oversize message: %v", err)
	}
}

// Events for a client that does not read are queued up to a bound; the
// rest are counted and reported in one "events-lost" event.
func TestEventsForANonReadingClientAreBounded(t *testing.T) {
	b := newFake()
	srv, l, _ := serve(t, ServerConfig{Multiclient: true}, b)
	nc, br := rawClient(t, l)
	const n = 200000
	for i := 0; i < n; i++ {
		srv.Event(api.Event{Kind: "new-thread", Pid: 42, Tid: i})
	}
	srv.mu.Lock()
	for c := range srv.conns {
		c.evmu.Lock()
		if q := len(c.events); q > maxQueuedEvents {
			t.Errorf("%d events queued for a client that does not read", q)
		}
		c.evmu.Unlock()
	}
	srv.mu.Unlock()
	fmt.Fprintln(nc, `{"id":5,"method":"State"}`)
	got, lost := 0, 0
	lostRx := regexp.MustCompile(`^(\d+) events lost`)
	nc.SetReadDeadline(time.Now().Add(10 * time.Second))
	for {
		line, err := br.ReadBytes('\n')
		if err != nil {
			t.Fatal(err)
		}
		var r reply
		json.Unmarshal(line, &r)
		for _, e := range r.Events {
			if e.Kind == "events-lost" {
				m := lostRx.FindStringSubmatch(e.Text)
				if m == nil {
					t.Fatalf("events-lost text %q", e.Text)
				}
				k, _ := strconv.Atoi(m[1])
				lost += k
			} else {
				got++
			}
		}
		if r.ID == 5 {
			break
		}
	}
	if got+lost != n || lost == 0 {
		t.Fatalf("%d events delivered + %d counted lost, want %d with some lost", got, lost, n)
	}
}

// An open goroutine listing does not hold the session: another client's
// State is answered while the first client sits on its first page.
func TestOpenGoroutineListingDoesNotBlockOthers(t *testing.T) {
	b := newFake()
	b.goros = 3 * DefaultPageSize
	_, l, _ := serve(t, ServerConfig{Multiclient: true}, b)
	c1 := dial(t, l, DialConfig{})
	defer c1.Close()
	c2 := dial(t, l, DialConfig{})
	defer c2.Close()
	first := true
	n := 0
	err := c1.Goroutines(nil, func(api.Goroutine) bool {
		n++
		if first {
			first = false
			ans := make(chan error, 1)
			start := time.Now()
			go func() { _, err := c2.State(); ans <- err }()
			select {
			case err := <-ans:
				if err != nil {
					t.Error(err)
				}
				t.Logf("State answered in %v during an open listing", time.Since(start))
			case <-time.After(2 * time.Second):
				t.Error("another client's State waited for the open goroutine listing")
				<-ans
			}
		}
		return true
	})
	if err != nil || n != b.goros {
		t.Fatalf("listing: %d goroutines, %v", n, err)
	}
}

// A client that sends requests without reading the replies gets at most
// maxInFlight of them run; the server stops reading from it, its memory
// stays bounded, and other clients are answered meanwhile.
func TestFloodingClientIsBounded(t *testing.T) {
	b := newFake()
	_, l, _ := serve(t, ServerConfig{Multiclient: true}, b)
	other := dial(t, l, DialConfig{})
	defer other.Close()
	base := runtime.NumGoroutine()
	nc, _ := rawClient(t, l)
	req := []byte(strings.Repeat(`{"id":1,"method":"ReadMemory","params":[4096,4096]}`+"\n", 1000))
	stop := time.Now().Add(time.Second)
	flooded := make(chan int, 1)
	go func() {
		sent := 0
		for time.Now().Before(stop) {
			nc.SetWriteDeadline(stop)
			if _, err := nc.Write(req); err != nil {
				break
			}
			sent += 1000
		}
		flooded <- sent
	}()
	var lat []time.Duration
	for time.Now().Before(stop) {
		t0 := time.Now()
		if _, err := other.State(); err != nil {
			t.Fatal(err)
		}
		lat = append(lat, time.Since(t0))
		time.Sleep(20 * time.Millisecond)
	}
	sent := <-flooded
	var ms runtime.MemStats
	runtime.GC()
	runtime.ReadMemStats(&ms)
	extra := runtime.NumGoroutine() - base
	slices.Sort(lat)
	med := lat[len(lat)/2]
	t.Logf("flood: %d requests sent in 1s; %d extra goroutines; heap %d MiB; other client's State median %v, max %v", sent, extra, ms.HeapInuse>>20, med, lat[len(lat)-1])
	if extra > maxInFlight+8 {
		t.Errorf("%d goroutines for one flooding client", extra)
	}
	if ms.HeapInuse > 64<<20 {
		t.Errorf("heap %d MiB during the flood", ms.HeapInuse>>20)
	}
	if med > 100*time.Millisecond {
		t.Errorf("another client's State took %v (median) during the flood", med)
	}
	nc.Close()
	deadline := time.Now().Add(5 * time.Second)
	for runtime.NumGoroutine() > base+2 && time.Now().Before(deadline) {
		time.Sleep(20 * time.Millisecond)
	}
	if g := runtime.NumGoroutine(); g > base+2 {
		t.Errorf("%d goroutines remain after the flooding client left (%d before)", g, base)
	}
}

// A multiclient server takes at most maxClients at once.
func TestClientsAreBounded(t *testing.T) {
	b := newFake()
	_, l, _ := serve(t, ServerConfig{Multiclient: true}, b)
	var cs []*Client
	for i := 0; i < maxClients; i++ {
		cs = append(cs, dial(t, l, DialConfig{}))
	}
	if _, err := Dial(l.Addr().String(), DialConfig{}); err == nil || !strings.Contains(err.Error(), ErrTooManyClients.Error()) {
		t.Fatalf("client %d: %v", maxClients+1, err)
	}
	cs[0].Close()
	for i := 0; ; i++ { // the server sees the departure a moment later
		c, err := Dial(l.Addr().String(), DialConfig{})
		if err == nil {
			cs[0] = c
			break
		}
		if i == 100 {
			t.Fatalf("a client after one left: %v", err)
		}
		time.Sleep(10 * time.Millisecond)
	}
	for _, c := range cs {
		c.Close()
	}
}

// Connections that never finish their handshake hold at most
// maxHandshakes places; later ones are turned away at once, and a client
// gets in when they time out or leave.
func TestSilentConnectionsAreBounded(t *testing.T) {
	b := newFake()
	_, l, _ := serve(t, ServerConfig{Multiclient: true}, b)
	var silent []net.Conn
	for i := 0; i < maxHandshakes; i++ {
		nc, err := net.Dial("tcp", l.Addr().String())
		if err != nil {
			t.Fatal(err)
		}
		silent = append(silent, nc)
	}
	time.Sleep(100 * time.Millisecond) // the server accepts them
	if _, err := Dial(l.Addr().String(), DialConfig{Timeout: 2 * time.Second}); err == nil || !strings.Contains(err.Error(), "waiting for their handshake") {
		t.Fatalf("a client behind %d silent connections: %v", maxHandshakes, err)
	}
	for _, nc := range silent {
		nc.Close()
	}
	for i := 0; ; i++ {
		c, err := Dial(l.Addr().String(), DialConfig{})
		if err == nil {
			c.Close()
			break
		}
		if i == 100 {
			t.Fatalf("a client after the silent ones left: %v", err)
		}
		time.Sleep(10 * time.Millisecond)
	}
}
