package main

import (
	"bufio"
	"fmt"
	"net"
	"os"
	"path/filepath"
	"slices"
	"strconv"
	"strings"
	"sync/atomic"
	"testing"
	"time"

	"github.com/godbg/godbg/internal/fixtures"
	"github.com/godbg/godbg/service/api"
	"github.com/godbg/godbg/service/rpc"
)

// vmRSS is a process's resident set in bytes, from /proc.
func vmRSS(t *testing.T, pid int) int64 {
	t.Helper()
	b, err := os.ReadFile(fmt.Sprintf("/proc/%d/status", pid))
	if err != nil {
		t.Fatal(err)
	}
	for _, l := range strings.Split(string(b), "\n") {
		if f := strings.Fields(l); len(f) == 3 && f[0] == "VmRSS:" {
			kb, _ := strconv.ParseInt(f[1], 10, 64)
			return kb << 10
		}
	}
	t.Fatalf("no VmRSS for process %d", pid)
	return 0
}

// A client that floods the headless server with requests and never reads
// the replies (among them goroutine listings it leaves open after their
// first page): the server stays under 256 MiB, another client's State is
// answered within 100 ms meanwhile, and after the flooder leaves the
// program runs on to its normal end. (Before the limits, 445,000 requests
// in 9 s took the server to 2.2 GB and it answered State in 18 s.)
func TestHeadlessNonReadingFlood(t *testing.T) {
	const ceiling = 256 << 20
	bin := fixtures.Build(t, "stepfix")
	srv, addr := headless(t, "exec", "--headless", "--accept-multiclient", bin, "--", "goroutines")
	spid := srv.cmd.Process.Pid
	good, err := rpc.Dial(addr, rpc.DialConfig{})
	if err != nil {
		t.Fatal(err)
	}
	defer good.Close()
	if _, err := good.CreateBreakpoint("", "main.shared", ""); err != nil {
		t.Fatal(err)
	}
	if st, err := good.Continue(); err != nil || st.Reason != "breakpoint" {
		t.Fatalf("Continue = %+v, %v", st, err)
	}
	before := vmRSS(t, spid)

	nc, _ := rawConnect(t, addr)
	var flood strings.Builder
	for i := 0; i < 500; i++ {
		fmt.Fprintf(&flood, `{"id":%d,"method":"State"}`+"\n"+`{"id":%d,"method":"ListThreads"}`+"\n"+`{"id":%d,"method":"Goroutines","params":[null,1]}`+"\n", 3*i+1, 3*i+2, 3*i+3)
	}
	chunk := []byte(flood.String())
	end := time.Now().Add(3 * time.Second)
	sentc := make(chan int, 1)
	go func() {
		sent := 0
		for time.Now().Before(end) {
			nc.SetWriteDeadline(end)
			if _, err := nc.Write(chunk); err != nil {
				break
			}
			sent += 1500
		}
		sentc <- sent
	}()
	var lat []time.Duration
	peak := before
	for time.Now().Before(end) {
		t0 := time.Now()
		if _, err := good.State(); err != nil {
			t.Fatal(err)
		}
		lat = append(lat, time.Since(t0))
		peak = max(peak, vmRSS(t, spid))
		if peak > ceiling {
			break
		}
		time.Sleep(20 * time.Millisecond)
	}
	sent := <-sentc
	slices.Sort(lat)
	med, p95, worst := lat[len(lat)/2], lat[len(lat)*95/100], lat[len(lat)-1]
	t.Logf("flood: %d requests written in 3 s; server RSS %d MiB before, peak %d MiB; other client's State (%d calls) median %v, p95 %v, max %v (machine shared)",
		sent, before>>20, peak>>20, len(lat), med, p95, worst)
	if peak > ceiling {
		t.Fatalf("the server's RSS reached %d MiB under a non-reading flood", peak>>20)
	}
	// The median is the requirement; the tail is loose because the test
	// machine may be loaded (on main: median 1 s, p95 15 s).
	if med > 100*time.Millisecond || p95 > 500*time.Millisecond {
		t.Errorf("another client's State during the flood: median %v (want < 100 ms), p95 %v (want < 500 ms)", med, p95)
	}
	nc.Close()

	// The flooder left: its queued work is dropped, answers are prompt and
	// the program runs to its end.
	time.Sleep(200 * time.Millisecond)
	t0 := time.Now()
	if _, err := good.State(); err != nil {
		t.Fatal(err)
	}
	if d := time.Since(t0); d > 100*time.Millisecond {
		t.Errorf("State took %v after the flooder left", d)
	}
	after := vmRSS(t, spid)
	t.Logf("server RSS after the flooder left: %d MiB", after>>20)
	if after > before+64<<20 {
		t.Errorf("server RSS %d MiB after the flood, %d MiB before", after>>20, before>>20)
	}
	if _, err := good.ClearBreakpoint("1"); err != nil {
		t.Fatal(err)
	}
	if st, err := good.Continue(); err != nil || !st.Exited || st.ExitCode != 0 {
		t.Fatalf("the program after the flood: %+v, %v; want a normal exit", st, err)
	}
	good.SetShutdownOnClose(true)
	if err := good.Close(); err != nil {
		t.Fatal(err)
	}
	if code := waitEnd(t, srv); code != 0 {
		t.Fatalf("server exit %d\n%s", code, srv.output())
	}
	if !strings.Contains(srv.output(), "goroutines done") {
		t.Errorf("the program did not finish its work:\n%s", srv.output())
	}
}

// rawConnect opens a connection to a headless server and shakes hands.
func rawConnect(t *testing.T, addr string) (net.Conn, *bufio.Reader) {
	t.Helper()
	network, address := "tcp", addr
	if path, ok := strings.CutPrefix(addr, "unix:"); ok {
		network, address = "unix", path
	}
	nc, err := net.Dial(network, address)
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { nc.Close() })
	fmt.Fprintln(nc, `{"godbg":1}`)
	br := bufio.NewReader(nc)
	if l, err := br.ReadString('\n'); err != nil || !strings.Contains(l, `"ok":true`) {
		t.Fatalf("handshake: %q, %v", l, err)
	}
	return nc, br
}

// A client that reads no events while a thread-churning program runs:
// the server's queue for it is bounded, and when it reads it is told how
// many events it lost. (On a unix socket: the kernel buffers less of
// what the client does not read than on loopback TCP.)
func TestHeadlessEventsLostForNonReader(t *testing.T) {
	bin := fixtures.Build(t, "churn.c")
	sock := filepath.Join(t.TempDir(), "godbg.sock")
	srv, addr := headless(t, "exec", "--headless", "--accept-multiclient", "--listen", "unix:"+sock, bin, "--", "4")
	spid := srv.cmd.Process.Pid
	var seen atomic.Int64 // events the reading client got
	good, err := rpc.Dial(addr, rpc.DialConfig{OnEvent: func(api.Event) { seen.Add(1) }})
	if err != nil {
		t.Fatal(err)
	}
	defer good.Close()
	nc, br := rawConnect(t, addr)
	before := vmRSS(t, spid)
	stopped := make(chan error, 1)
	go func() { _, err := good.Continue(); stopped <- err }()
	// Enough events that the queue (8192) and the socket's buffers
	// cannot hold them all, however slowly the loaded machine runs churn.
	start := time.Now()
	for seen.Load() < 40000 && time.Since(start) < 30*time.Second {
		time.Sleep(50 * time.Millisecond)
	}
	peak := vmRSS(t, spid)
	good.Halt()
	if err := <-stopped; err != nil {
		t.Fatal(err)
	}
	fmt.Fprintln(nc, `{"id":7,"method":"State"}`)
	events, lost := 0, ""
	nc.SetReadDeadline(time.Now().Add(30 * time.Second))
	for {
		line, err := br.ReadString('\n')
		if err != nil {
			t.Fatalf("after %d events: %v", events, err)
		}
		if strings.HasPrefix(line, `{"id":7,`) {
			break
		}
		events += strings.Count(line, `"kind":`)
		if i := strings.Index(line, `"text":"`); i >= 0 && strings.Contains(line, `"events-lost"`) {
			lost = line[i+8 : i+8+strings.Index(line[i+8:], `"`)]
		}
	}
	t.Logf("server RSS %d MiB before, %d MiB after %v of a non-reading client (another client got %d events); it then read %d events; %q",
		before>>20, peak>>20, time.Since(start).Round(time.Millisecond), seen.Load(), events, lost)
	if lost == "" {
		t.Errorf("no events-lost notice after %d events of thread churn (%d events read)", seen.Load(), events)
	}
	if peak > before+64<<20 {
		t.Errorf("server RSS grew from %d to %d MiB", before>>20, peak>>20)
	}
	good.SetShutdownOnClose(true)
	good.Close()
	waitEnd(t, srv)
}

// A malformed line on a single-client server is answered with an error;
// the session, and the launched program, go on.
func TestHeadlessMalformedLine(t *testing.T) {
	bin := fixtures.Build(t, "bpfix.c")
	srv, addr := headless(t, "exec", "--headless", bin)
	nc, br := rawConnect(t, addr)
	fmt.Fprintln(nc, `{"id":1,"method":"State"`)
	nc.SetReadDeadline(time.Now().Add(10 * time.Second))
	if l, err := br.ReadString('\n'); err != nil || !strings.Contains(l, "malformed request") {
		t.Fatalf("reply to a malformed line: %q, %v", l, err)
	}
	fmt.Fprintln(nc, `{"id":2,"method":"State"}`)
	l, err := br.ReadString('\n')
	if err != nil || !strings.Contains(l, `"id":2,"result":{`) {
		t.Fatalf("State after a malformed line: %q, %v", l, err)
	}
	nc.Close()
	if code := waitEnd(t, srv); code != 0 || !strings.Contains(srv.output(), "killed") {
		t.Fatalf("server exit %d\n%s", code, srv.output())
	}
}
