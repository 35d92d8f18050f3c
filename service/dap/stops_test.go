package dap_test

import (
	"fmt"
	"strings"
	"testing"
	"time"

	godap "github.com/google/go-dap"

	"github.com/godbg/godbg/internal/fixtures"
)

// launchRun launches bin with args and runs it with no breakpoints.
func launchRun(t *testing.T, c *client, bin string, args ...string) {
	t.Helper()
	c.initialize()
	c.ok("launch", map[string]any{"mode": "exec", "program": bin, "args": args})
	c.event("initialized", 10*time.Second)
	c.pid = c.event("process", 5*time.Second).(*godap.ProcessEvent).Body.SystemProcessId
	c.ok("configurationDone", nil)
}

// waitOutput waits for a program's stdout to contain want.
func waitOutput(t *testing.T, c *client, want string) string {
	t.Helper()
	for i := 0; i < 1000; i++ {
		if o := c.out("stdout"); strings.Contains(o, want) {
			return o
		}
		time.Sleep(10 * time.Millisecond)
	}
	t.Fatalf("stdout has no %q: %q", want, c.out("stdout"))
	return ""
}

// TestRuntimeBreakpoint: runtime.Breakpoint() stops with reason
// "breakpoint", in main.main, and continue goes on after it.
func TestRuntimeBreakpoint(t *testing.T) {
	c := dial(t, "tcp", startServer(t))
	launchRun(t, c, fixtures.Build(t, "bpgo"), "breakpoint")
	st := c.stopped()
	if st.Body.Reason != "breakpoint" {
		t.Fatalf("stopped: %+v, want reason breakpoint", st.Body)
	}
	frames := c.stack(st.Body.ThreadId, 0, 5).StackFrames
	var names []string
	for _, f := range frames {
		names = append(names, f.Name)
	}
	if !strings.Contains(strings.Join(names, " "), "main.main") {
		t.Errorf("frames: %v", names)
	}
	c.ok("continue", nil)
	c.event("exited", 30*time.Second)
	waitOutput(t, c, "after runtime.Breakpoint")
	c.ok("disconnect", nil)
}

// TestPauseUserGoroutine: pause reports the goroutine running user code
// (gorofix's spinner), not a thread idle in the scheduler, every time.
func TestPauseUserGoroutine(t *testing.T) {
	c := dial(t, "tcp", startServer(t))
	launchRun(t, c, fixtures.Build(t, "gorofix"), "20")
	out := waitOutput(t, c, "ready")
	var spin int
	for _, l := range strings.Split(out, "\n") {
		fmt.Sscanf(l, "spin %d", &spin)
	}
	if spin == 0 {
		t.Fatalf("no spin line: %q", out)
	}
	for i := 0; i < 5; i++ {
		c.ok("pause", map[string]any{"threadId": 1})
		st := c.stopped()
		if st.Body.Reason != "pause" || st.Body.ThreadId != spin {
			t.Fatalf("pause %d: %+v; want the spinning goroutine %d", i, st.Body, spin)
		}
		var names []string
		for _, f := range c.stack(spin, 0, 30).StackFrames { // it may be in a signal handler or being preempted
			names = append(names, f.Name)
		}
		// Caught while being preempted, on the system stack, the
		// unwind may end at runtime.mcall, before main.spin.
		if j := strings.Join(names, " "); !strings.Contains(j, "main.spin") && !strings.HasSuffix(j, "runtime.mcall") {
			t.Fatalf("pause %d: frames %v", i, names)
		}
		c.ok("continue", nil)
		time.Sleep(20 * time.Millisecond)
	}
	c.ok("disconnect", nil)
	waitGone(t, c.pid)
}

// TestStepOutReturnValues: after a step out of deep(1) the value it
// returned (2) is first among the Locals of the caller's frame.
func TestStepOutReturnValues(t *testing.T) {
	c := dial(t, "tcp", startServer(t))
	c.initialize()
	c.ok("launch", map[string]any{"mode": "exec", "program": fixtures.Build(t, dapfix), "args": []string{"deep", "3"}})
	c.event("initialized", 10*time.Second)
	c.ok("setFunctionBreakpoints", map[string]any{"breakpoints": []map[string]any{{"name": "main.deep", "condition": "n == 1"}}})
	c.ok("configurationDone", nil)
	st := c.stopped()
	c.ok("setFunctionBreakpoints", map[string]any{"breakpoints": []any{}})
	c.ok("stepOut", map[string]any{"threadId": st.Body.ThreadId})
	if st2 := c.stopped(); st2.Body.Reason != "step" {
		t.Fatalf("step out: %+v", st2.Body)
	}
	top := c.stack(st.Body.ThreadId, 0, 1).StackFrames[0]
	locals := c.vars(c.scope(top.Id, "Locals"), nil)
	if len(locals) == 0 || !strings.HasPrefix(locals[0].Name, "returned ") || locals[0].Value != "2" {
		t.Fatalf("locals after step out of deep(1): %+v", locals)
	}
	c.ok("disconnect", nil)
}

// TestHideSystemGoroutines: with hideSystemGoroutines threads leaves out
// the runtime's own goroutines (the GC's, finalizers, ...) and keeps the
// program's 23 and main.
func TestHideSystemGoroutines(t *testing.T) {
	count := map[bool]int{}
	for _, hide := range []bool{false, true} {
		c := dial(t, "tcp", startServer(t))
		c.initialize()
		c.ok("launch", map[string]any{"mode": "exec", "program": fixtures.Build(t, "gorofix"), "args": []string{"20", "quiet"}, "hideSystemGoroutines": hide})
		c.event("initialized", 10*time.Second)
		c.ok("setFunctionBreakpoints", map[string]any{"breakpoints": []map[string]any{{"name": "main.stopHere"}}})
		c.ok("configurationDone", nil)
		st := c.stopped()
		ths := c.threads()
		count[hide] = len(ths)
		var stopped bool
		for _, th := range ths {
			stopped = stopped || th.Id == st.Body.ThreadId
		}
		if !stopped {
			t.Errorf("hide %v: the stopped goroutine is not listed: %+v", hide, ths)
		}
		c.ok("disconnect", nil)
	}
	// 20 + labeled + spin + syscall + caller + main.
	if count[true] != 25 || count[false] <= count[true] {
		t.Errorf("threads: %d with system goroutines, %d without; want 25 without", count[false], count[true])
	}
}

// TestGoroutineFilters: goroutineFilters keeps only matching goroutines
// in threads (and the stopped one); a bad filter is refused at launch.
func TestGoroutineFilters(t *testing.T) {
	bin := fixtures.Build(t, "gorofix")
	c := dial(t, "tcp", startServer(t))
	c.initialize()
	c.fail("launch", map[string]any{"mode": "exec", "program": bin, "goroutineFilters": "-with"}, "needs what to match")
	c.fail("launch", map[string]any{"mode": "exec", "program": bin, "goroutineFilters": "user"}, "give -with or -without")
	c.ok("launch", map[string]any{"mode": "exec", "program": bin, "args": []string{"20", "quiet"}, "goroutineFilters": "-with startloc main\\.blockSleep -without running"})
	c.event("initialized", 10*time.Second)
	c.ok("setFunctionBreakpoints", map[string]any{"breakpoints": []map[string]any{{"name": "main.stopHere"}}})
	c.ok("configurationDone", nil)
	st := c.stopped()
	ths := c.threads()
	// 20 goroutines of 7 kinds: blockSleep is the third, for i = 2, 9, 16.
	if len(ths) != 4 {
		t.Fatalf("threads: %+v; want 3 sleepers and the stopped goroutine", ths)
	}
	for _, th := range ths {
		if th.Id != st.Body.ThreadId && !strings.Contains(th.Name, "main.blockSleep") && !strings.Contains(th.Name, "time.Sleep") {
			t.Errorf("thread %+v does not match the filter", th)
		}
	}
	c.ok("disconnect", nil)
}
