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
		for _, f := range c.stack(spin, 0, 8).StackFrames { // it may be in a signal handler
			names = append(names, f.Name)
		}
		if !strings.Contains(strings.Join(names, " "), "main.spin") {
			t.Fatalf("pause %d: frames %v", i, names)
		}
		c.ok("continue", nil)
		time.Sleep(20 * time.Millisecond)
	}
	c.ok("disconnect", nil)
	waitGone(t, c.pid)
}
