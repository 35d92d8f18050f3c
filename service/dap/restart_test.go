package dap_test

import (
	"testing"
	"time"

	godap "github.com/google/go-dap"

	"github.com/godbg/godbg/internal/fixtures"
)

// TestRestart: restart kills the program and starts a new one (a new
// pid) with the client's breakpoints, under the same ids; a restart with
// a new launch configuration runs that.
func TestRestart(t *testing.T) {
	bin := fixtures.Build(t, dapfix)
	src := dapfixSource()
	c := dial(t, "tcp", startServer(t))
	if caps := c.initialize(); !caps.SupportsRestartRequest {
		t.Fatalf("capabilities: %+v", caps)
	}
	launch := map[string]any{"mode": "exec", "program": bin, "args": []string{"loop"}}
	c.ok("launch", launch)
	c.event("initialized", 10*time.Second)
	pid := c.event("process", 5*time.Second).(*godap.ProcessEvent).Body.SystemProcessId
	bps := c.ok("setBreakpoints", map[string]any{"source": map[string]any{"path": src},
		"breakpoints": []map[string]any{{"line": lineOf(t, src, "MARK:loopline"), "condition": "i == 1"}}}).(*godap.SetBreakpointsResponse).Body.Breakpoints
	c.ok("configurationDone", nil)
	st := c.stopped()
	if len(st.Body.HitBreakpointIds) != 1 || st.Body.HitBreakpointIds[0] != bps[0].Id {
		t.Fatalf("stopped: %+v", st.Body)
	}
	c.ok("restart", nil)
	pid2 := c.event("process", 10*time.Second).(*godap.ProcessEvent).Body.SystemProcessId
	if pid2 == pid {
		t.Fatalf("restart kept pid %d", pid)
	}
	waitGone(t, pid)
	if b := c.event("breakpoint", 5*time.Second).(*godap.BreakpointEvent).Body.Breakpoint; b.Id != bps[0].Id || !b.Verified {
		t.Errorf("breakpoint after restart: %+v", b)
	}
	st = c.stopped()
	frame := c.stack(st.Body.ThreadId, 0, 1).StackFrames[0]
	if len(st.Body.HitBreakpointIds) != 1 || st.Body.HitBreakpointIds[0] != bps[0].Id || c.eval("i", frame.Id, "watch").Result != "1" {
		t.Fatalf("stopped after restart: %+v", st.Body)
	}
	c.fail("restart", map[string]any{"arguments": map[string]any{"program": 5}}, "restart: bad arguments")
	c.fail("restart", map[string]any{"arguments": map[string]any{"mode": "core", "program": bin}}, "cannot be restarted")
	launch["args"] = []string{"deep", "2"}
	c.ok("restart", map[string]any{"arguments": launch})
	pid3 := c.event("process", 10*time.Second).(*godap.ProcessEvent).Body.SystemProcessId
	c.event("exited", 30*time.Second)
	waitOutput(t, c, "deep 6")
	waitGone(t, pid2)
	waitGone(t, pid3)
	c.ok("disconnect", nil)

	c = dial(t, "tcp", startServer(t))
	c.initialize()
	c.fail("restart", nil, "no program is being debugged")
}
