package dap_test

import (
	"strings"
	"syscall"
	"testing"
	"time"

	godap "github.com/google/go-dap"

	"github.com/godbg/godbg/internal/fixtures"
)

// TestAttachPauseDetach attaches to a running gorofix, lets it run,
// pauses it, changes breakpoints while it runs, and disconnects: the
// process runs on, untraced.
func TestAttachPauseDetach(t *testing.T) {
	fx := fixtures.Start(t, fixtures.Build(t, "gorofix"))
	c := dial(t, "tcp", startServer(t))
	c.initialize()
	c.ok("attach", map[string]any{"mode": "local", "processId": fx.Pid})
	c.event("initialized", 10*time.Second)
	if tp, _ := fixtures.TracerPid(fx.Pid); tp == 0 {
		t.Fatalf("not traced after attach")
	}
	c.ok("configurationDone", nil)
	time.Sleep(50 * time.Millisecond)
	if ths := c.threads(); len(ths) == 0 {
		t.Fatalf("threads while running: none")
	}
	c.fail("stackTrace", map[string]any{"threadId": 1}, "running")
	// A breakpoint set while running halts, sets and resumes quietly.
	bps := c.ok("setFunctionBreakpoints", map[string]any{"breakpoints": []map[string]any{{"name": "main.blockRecv"}}}).(*godap.SetFunctionBreakpointsResponse)
	if len(bps.Body.Breakpoints) != 1 || !bps.Body.Breakpoints[0].Verified {
		t.Fatalf("function breakpoint: %+v", bps.Body)
	}
	for i := 0; ; i++ {
		if ok, m := fixtures.NoneStopped(fx.Pid); ok {
			break
		} else if i == 100 {
			t.Fatalf("the program was left stopped after setting a breakpoint: %v", m)
		}
		time.Sleep(10 * time.Millisecond)
	}
	c.ok("pause", map[string]any{"threadId": 1})
	st := c.stopped()
	if st.Body.Reason != "pause" || !st.Body.AllThreadsStopped {
		t.Fatalf("after pause: %+v", st.Body)
	}
	ths := c.threads()
	var recv bool
	for _, th := range ths {
		recv = recv || strings.Contains(th.Name, "] main.blockRecv ")
	}
	if !recv || len(ths) < 10 {
		t.Errorf("threads: %+v", ths)
	}
	frames := c.stack(st.Body.ThreadId, 0, 0)
	if len(frames.StackFrames) == 0 {
		t.Errorf("no frames for goroutine %d", st.Body.ThreadId)
	}
	c.ok("disconnect", nil)
	if _, ok := <-c.msgs; ok {
		// Anything left is an event; the connection must end.
		for range c.msgs {
		}
	}
	deadline := time.Now().Add(5 * time.Second)
	for tp, _ := fixtures.TracerPid(fx.Pid); tp != 0; tp, _ = fixtures.TracerPid(fx.Pid) {
		if time.Now().After(deadline) {
			t.Fatalf("TracerPid %d after disconnect", tp)
		}
		time.Sleep(10 * time.Millisecond)
	}
	time.Sleep(20 * time.Millisecond)
	if ok, m := fixtures.NoneStopped(fx.Pid); !ok {
		t.Fatalf("threads left stopped after disconnect: %v", m)
	}
	if err := syscall.Kill(fx.Pid, 0); err != nil {
		t.Fatalf("process %d is gone after disconnect: %v", fx.Pid, err)
	}
}

// TestAttachTerminateDebuggee: disconnect with terminateDebuggee kills
// an attached process.
func TestAttachTerminateDebuggee(t *testing.T) {
	fx := fixtures.Start(t, fixtures.Build(t, "gorofix"))
	c := dial(t, "tcp", startServer(t))
	c.initialize()
	c.ok("attach", map[string]any{"processId": fx.Pid, "stopOnEntry": true})
	c.ok("configurationDone", nil)
	if st := c.stopped(); st.Body.Reason != "entry" {
		t.Fatalf("stopOnEntry after attach: %+v", st.Body)
	}
	c.ok("disconnect", map[string]any{"terminateDebuggee": true})
	waitGone(t, fx.Pid)
}
