package dap_test

import (
	"bufio"
	"fmt"
	"io"
	"os"
	"os/exec"
	"path/filepath"
	"runtime"
	"slices"
	"strings"
	"testing"
	"time"

	godap "github.com/google/go-dap"

	"github.com/godbg/godbg/internal/fixtures"
)

// launchTo launches bin with args, sets a function breakpoint and runs
// to it; it returns the stopped goroutine.
func launchTo(t testing.TB, c *client, bin string, fn string, args ...string) int {
	t.Helper()
	if !c.initialized {
		c.initialize()
	}
	c.ok("launch", map[string]any{"mode": "exec", "program": bin, "args": args})
	c.event("initialized", 10*time.Second)
	if !c.dlv {
		c.pid = c.event("process", 5*time.Second).(*godap.ProcessEvent).Body.SystemProcessId
	}
	bps := c.ok("setFunctionBreakpoints", map[string]any{"breakpoints": []map[string]any{{"name": fn}}}).(*godap.SetFunctionBreakpointsResponse)
	if len(bps.Body.Breakpoints) != 1 || !bps.Body.Breakpoints[0].Verified {
		t.Fatalf("breakpoint on %s: %+v", fn, bps.Body)
	}
	c.ok("configurationDone", nil)
	st := c.stopped()
	if st.Body.Reason != "breakpoint" && !(c.dlv && st.Body.Reason == "function breakpoint") {
		t.Fatalf("stopped: %+v", st.Body)
	}
	return st.Body.ThreadId
}

// round is what an editor asks at a stop: the stack, the scopes of a
// frame and its locals.
func round(t testing.TB, c *client, g, frame int) (frames []godap.StackFrame, locals []godap.Variable) {
	body := c.stack(g, 0, 0)
	return body.StackFrames, c.vars(c.scope(body.StackFrames[frame].Id, "Locals"), nil)
}

// TestDeepStackRound: a stackTrace + scopes + variables round on a
// 53-frame stack, timed (the first after the stop, and the median of
// later ones on an outer frame).
func TestDeepStackRound(t *testing.T) {
	c := dial(t, "tcp", startServer(t))
	g := launchTo(t, c, fixtures.Build(t, dapfix), "main.stop", "deep", "48")
	t0 := time.Now()
	frames, locals := round(t, c, g, 1)
	first := time.Since(t0)
	if len(frames) != 53 || frames[1].Name != "main.deep" || frames[49].Name != "main.deep" || frames[50].Name != "main.main" {
		var names []string
		for _, f := range frames {
			names = append(names, f.Name)
		}
		t.Fatalf("%d frames: %v", len(frames), names)
	}
	if v := find(t, locals, "local"); v.Value != "0" {
		t.Errorf("deep(0)'s local: %+v", v)
	}
	var times []time.Duration
	for i := 0; i < 15; i++ {
		t0 := time.Now()
		_, locals := round(t, c, g, 25)
		times = append(times, time.Since(t0))
		if v := find(t, locals, "local"); v.Value != "48" {
			t.Fatalf("frame 25's local: %+v", v)
		}
	}
	slices.Sort(times)
	median := times[len(times)/2]
	t.Logf("stackTrace(53 frames) + scopes + variables: first %v, median %v, max %v", first, median, times[len(times)-1])
	if (first > 20*time.Millisecond || median > 20*time.Millisecond) && !raceEnabled && !loaded(t) {
		t.Errorf("a round took %v (first) / %v (median); want ≤ 20ms", first, median)
	}
	c.ok("disconnect", nil)
	waitGone(t, c.pid)
}

// waitGone waits for a program to be killed (gone, or a zombie its
// parent has not reaped).
func waitGone(t testing.TB, pid int) {
	t.Helper()
	for i := 0; ; i++ {
		b, err := os.ReadFile(fmt.Sprintf("/proc/%d/stat", pid))
		if err != nil || strings.Contains(string(b), ") Z ") {
			return
		}
		if i == 500 {
			t.Fatalf("process %d still runs: %s", pid, b)
		}
		time.Sleep(10 * time.Millisecond)
	}
}

// TestManyGoroutines: threads answers within 200 ms with 10,000
// goroutines, capped, and the stopped goroutine among them.
func TestManyGoroutines(t *testing.T) {
	c := dial(t, "tcp", startServer(t))
	g := launchTo(t, c, fixtures.Build(t, "gorofix"), "main.stopHere", "10000", "quiet")
	var ths []godap.Thread
	var took time.Duration
	for try := 0; try < 3; try++ { // a loaded machine: the best of 3
		t0 := time.Now()
		ths = c.threads()
		took = time.Since(t0)
		t.Logf("threads with 10,000 goroutines: %d listed in %v", len(ths), took)
		if took <= 200*time.Millisecond {
			break
		}
	}
	if took > 200*time.Millisecond && !raceEnabled {
		t.Errorf("threads took %v; want ≤ 200ms", took)
	}
	if len(ths) < 1000 || len(ths) > 1001 {
		t.Errorf("%d threads listed; want the cap of 1000 (+1 for the stopped one)", len(ths))
	}
	var found bool
	for _, th := range ths {
		found = found || th.Id == g && strings.HasPrefix(th.Name, fmt.Sprintf("[Go %d] main.stopHere ", g))
	}
	if !found {
		t.Errorf("the stopped goroutine %d is not listed", g)
	}
	if !strings.Contains(c.out("console"), "More than 1000 goroutines") {
		t.Errorf("no note about the cap in the console: %q", c.out("console"))
	}
	// Another goroutine's stack, by its thread id.
	other := ths[0].Id
	if other == g {
		other = ths[1].Id
	}
	if body := c.stack(other, 0, 5); len(body.StackFrames) == 0 {
		t.Errorf("no stack for goroutine %d", other)
	}
	// Disconnect while it runs: halted, then killed.
	c.ok("continue", nil)
	time.Sleep(20 * time.Millisecond)
	c.ok("disconnect", nil)
	waitGone(t, c.pid)
}

// TestBigValues pages through a slice of 10,000 and a map of 2,000, and
// expands an error and a struct held in interfaces.
func TestBigValues(t *testing.T) {
	c := dial(t, "tcp", startServer(t))
	g := launchTo(t, c, fixtures.Build(t, dapfix), "main.stop", "big")
	frames := c.stack(g, 0, 2).StackFrames
	if frames[1].Name != "main.big" {
		t.Fatalf("frames: %+v", frames)
	}
	locals := c.vars(c.scope(frames[1].Id, "Locals"), nil)
	nums := find(t, locals, "nums")
	if nums.IndexedVariables != 10000 {
		t.Fatalf("nums: %+v", nums)
	}
	t0 := time.Now()
	page := c.vars(nums.VariablesReference, map[string]any{"filter": "indexed", "start": 9900, "count": 100})
	t.Logf("nums[9900:10000]: %v", time.Since(t0))
	if len(page) != 100 || page[0].Name != "[9900]" || page[0].Value != "29700" || page[99].Value != "29997" || page[99].EvaluateName != "nums[9999]" {
		t.Fatalf("page: %d elements, first %+v", len(page), page[0])
	}
	m := find(t, locals, "m")
	if m.IndexedVariables != 2000 {
		t.Fatalf("m: %+v", m)
	}
	seen := map[string]bool{}
	for start := 0; start < 2000; start += 500 {
		for _, e := range c.vars(m.VariablesReference, map[string]any{"filter": "indexed", "start": start, "count": 500}) {
			seen[e.Name] = true
			if e.Name == "[1234]" && (e.Value != `"v1234"` || e.EvaluateName != "m[1234]") {
				t.Errorf("m[1234]: %+v", e)
			}
		}
	}
	if len(seen) != 2000 {
		t.Errorf("%d distinct map entries over the pages, want 2000", len(seen))
	}
	if ev := c.eval("m[1999]", frames[1].Id, "watch"); ev.Result != `"v1999"` {
		t.Errorf("m[1999]: %+v", ev)
	}
	errv := find(t, locals, "err")
	if kids := c.vars(errv.VariablesReference, nil); len(kids) == 0 {
		t.Errorf("err has no children")
	} else {
		t.Logf("err's children: %+v", kids)
	}
	shape := find(t, locals, "shape")
	kids := c.vars(shape.VariablesReference, nil)
	if v := find(t, kids, "B"); v.Value != `"one"` || !throughIface(v.EvaluateName, "shape") {
		t.Errorf("shape.B: %+v", v)
	}
	p := find(t, locals, "p")
	if v := find(t, c.vars(p.VariablesReference, nil), "A"); v.Value != "2" {
		t.Errorf("p.A: %+v", v)
	}
	c.ok("disconnect", nil)
}

// BenchmarkStopRound measures the stack + scopes + locals round on the
// 53-frame stack.
func BenchmarkStopRound(b *testing.B) {
	c := dial(b, "tcp", startServer(b))
	g := launchTo(b, c, fixtures.Build(b, dapfix), "main.stop", "deep", "48")
	b.ResetTimer()
	for i := 0; i < b.N; i++ {
		round(b, c, g, i%50)
	}
	b.StopTimer()
	c.ok("disconnect", nil)
}

// TestStackOfOneAmongMany: with 1,250 goroutines, the stack of the
// goroutine that stopped, the first stackTrace after each stop (and
// threads), and of another one take ≤ 1 ms (median): only that goroutine is unwound, only
// as deep as asked.
func TestStackOfOneAmongMany(t *testing.T) {
	c := dial(t, "tcp", startServer(t))
	g := launchTo(t, c, fixtures.Build(t, dapfix), "main.stop", "many", "1250")
	// The goal is ≤ 1 ms (met on an idle machine, see the benchmark);
	// the test allows 3 ms, in the best of 3 rounds, so that a loaded
	// machine does not fail it, and still catches a whole-program unwind
	// (13 ms before).
	var first, other time.Duration
	for round := 0; round < 3; round++ {
		first, other = stackRound(t, c, g)
		t.Logf("stackTrace among 1,250 goroutines: the stopped one's, first after the stop: median %v; another's: median %v", first, other)
		if raceEnabled || first <= 3*time.Millisecond && other <= 3*time.Millisecond {
			break
		}
	}
	if !raceEnabled && (first > 3*time.Millisecond || other > 3*time.Millisecond) {
		t.Errorf("median stackTrace %v / %v; want ≤ 1ms (3ms allowed for a loaded machine)", first, other)
	}
	c.ok("disconnect", nil)
	waitGone(t, c.pid)
}

// stackRound times, at 21 stops, the stopped goroutine's stack (the
// first request after the stop and threads) and another's; the medians.
func stackRound(t *testing.T, c *client, g int) (first, other time.Duration) {
	var firsts, others []time.Duration
	for i := 0; i < 21; i++ {
		ths := c.threads() // as editors do at every stop
		if len(ths) < 1000 {
			t.Fatalf("%d threads", len(ths))
		}
		t0 := time.Now()
		body := c.stack(g, 0, 20)
		firsts = append(firsts, time.Since(t0))
		if body.StackFrames[0].Name != "main.stop" {
			t.Fatalf("frames: %+v", body.StackFrames)
		}
		th := ths[100+i].Id
		t0 = time.Now()
		if body := c.stack(th, 0, 20); len(body.StackFrames) == 0 {
			t.Fatalf("goroutine %d: no frames", th)
		}
		others = append(others, time.Since(t0))
		c.ok("continue", nil)
		if st := c.stopped(); st.Body.ThreadId != g {
			t.Fatalf("stopped: %+v", st.Body)
		}
	}
	slices.Sort(firsts)
	slices.Sort(others)
	return firsts[len(firsts)/2], others[len(others)/2]
}

// dapfixSource is the fixture's main.go.
func dapfixSource() string {
	return filepath.Join(fixtures.Root(), "service", "dap", "testdata", "dapfix", "main.go")
}

// firstSetBreakpoints launches bin and times the first setBreakpoints,
// sent as soon as the initialized event comes, as editors do.
func firstSetBreakpoints(t testing.TB, bin string) time.Duration {
	return firstSetBreakpointsAt(t, startServer(t), bin)
}

func firstSetBreakpointsAt(t testing.TB, addr, bin string) time.Duration {
	c := dial(t, "tcp", addr)
	c.dlv = strings.HasPrefix(t.Name(), "BenchmarkDlv")
	c.initialize()
	c.ok("launch", map[string]any{"mode": "exec", "program": bin, "args": []string{"loop"}})
	c.event("initialized", 10*time.Second)
	src := dapfixSource()
	t0 := time.Now()
	r := c.ok("setBreakpoints", map[string]any{"source": map[string]any{"path": src},
		"breakpoints": []map[string]any{{"line": lineOf(t, src, "MARK:loopline")}}}).(*godap.SetBreakpointsResponse)
	took := time.Since(t0)
	if len(r.Body.Breakpoints) != 1 || !r.Body.Breakpoints[0].Verified {
		t.Fatalf("setBreakpoints: %+v", r.Body)
	}
	c.ok("disconnect", nil)
	if !c.dlv {
		waitGone(t, c.pid)
	}
	return took
}

// TestFirstSetBreakpoints: the first setBreakpoints after launch takes
// ≤ 5 ms (median of 5 launches, best of 3 rounds): it does not wait for the loading of
// variable, type or frame information (37 ms before).
func TestFirstSetBreakpoints(t *testing.T) {
	bin := fixtures.Build(t, dapfix)
	var median time.Duration
	for round := 0; round < 3; round++ { // the best of 3 rounds: a loaded machine
		var times []time.Duration
		for i := 0; i < 5; i++ {
			times = append(times, firstSetBreakpoints(t, bin))
		}
		slices.Sort(times)
		median = times[2]
		t.Logf("first setBreakpoints after launch: median %v, max %v", times[2], times[4])
		if median <= 5*time.Millisecond {
			break
		}
	}
	if !raceEnabled && median > 5*time.Millisecond {
		t.Errorf("first setBreakpoints: median %v; want ≤ 5ms", median)
	}
}

// BenchmarkFirstSetBreakpoints: go test -run X -bench FirstSetBreakpoints ./service/dap
func BenchmarkFirstSetBreakpoints(b *testing.B) {
	bin := fixtures.Build(b, dapfix)
	var total time.Duration
	for i := 0; i < b.N; i++ {
		total += firstSetBreakpoints(b, bin)
	}
	b.ReportMetric(float64(total.Microseconds())/float64(b.N), "µs/setBreakpoints")
}

// BenchmarkStackOfOneAmongMany: stackTrace (levels 20) of another
// goroutine among 1,250, each asked once per stop.
func BenchmarkStackOfOneAmongMany(b *testing.B) {
	stackOfOneAmongMany(b, startServer(b))
}

func stackOfOneAmongMany(b *testing.B, addr string) {
	c := dial(b, "tcp", addr)
	c.dlv = strings.HasPrefix(b.Name(), "BenchmarkDlv")
	g := launchTo(b, c, fixtures.Build(b, dapfix), "main.stop", "many", "1250")
	ths := c.threads()
	var total time.Duration
	for i := 0; i < b.N; i++ {
		t0 := time.Now()
		c.stack(ths[100+i%900].Id, 0, 20)
		total += time.Since(t0)
		if i%10 == 9 {
			c.ok("continue", nil)
			if st := c.stopped(); st.Body.ThreadId != g {
				b.Fatalf("stopped: %+v", st.Body)
			}
			ths = c.threads()
		}
	}
	b.ReportMetric(float64(total.Microseconds())/float64(b.N), "µs/stackTrace")
	c.ok("disconnect", nil)
}

// Delve's figures from the same run, when dlv is on PATH (optional):
// go test -run X -bench Dlv ./service/dap

// dlvServer starts dlv dap (one client) and returns its address.
func dlvServer(b *testing.B) string {
	dlv, err := exec.LookPath("dlv")
	if err != nil {
		b.Skip("dlv is not on PATH (go install github.com/go-delve/delve/cmd/dlv@v1.27.2 to compare)")
	}
	cmd := exec.Command(dlv, "dap", "--listen", "127.0.0.1:0")
	out, err := cmd.StdoutPipe()
	if err != nil {
		b.Fatal(err)
	}
	if err := cmd.Start(); err != nil {
		b.Fatal(err)
	}
	b.Cleanup(func() { cmd.Process.Kill(); cmd.Wait() })
	line, err := bufio.NewReader(out).ReadString('\n')
	addr, ok := strings.CutPrefix(strings.TrimSpace(line), "DAP server listening at: ")
	if err != nil || !ok {
		b.Fatalf("dlv dap said %q (%v)", line, err)
	}
	go io.Copy(io.Discard, out)
	return addr
}

func BenchmarkDlvFirstSetBreakpoints(b *testing.B) {
	bin := fixtures.Build(b, dapfix)
	var total time.Duration
	for i := 0; i < b.N; i++ {
		total += firstSetBreakpointsAt(b, dlvServer(b), bin)
	}
	b.ReportMetric(float64(total.Microseconds())/float64(b.N), "µs/setBreakpoints")
}

func BenchmarkDlvStackOfOneAmongMany(b *testing.B) {
	stackOfOneAmongMany(b, dlvServer(b))
}

// loaded reports (and logs) a machine so busy (1-minute load over twice
// the CPUs) that a one-off timing cannot be judged.
func loaded(t testing.TB) bool {
	b, err := os.ReadFile("/proc/loadavg")
	var load float64
	if err != nil || len(strings.Fields(string(b))) == 0 {
		return false
	}
	fmt.Sscan(strings.Fields(string(b))[0], &load)
	if load > 2*float64(runtime.NumCPU()) {
		t.Logf("load average %.1f on %d CPUs: the timing is not checked", load, runtime.NumCPU())
		return true
	}
	return false
}
