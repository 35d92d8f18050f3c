package dap_test

import (
	"strings"
	"testing"
	"time"

	godap "github.com/google/go-dap"

	"github.com/godbg/godbg/internal/fixtures"
)

// TestDataBreakpointsAndCall: VS Code's "Break on Value Change" through
// dataBreakpointInfo and setDataBreakpoints, and a call typed in the
// debug console.
func TestDataBreakpointsAndCall(t *testing.T) {
	c := dial(t, "tcp", startServer(t))
	if caps := c.initialize(); !caps.SupportsDataBreakpoints {
		t.Fatalf("supportsDataBreakpoints not claimed: %+v", caps)
	}
	src := fixtures.Source("watchfix/main.go")
	c.ok("launch", map[string]any{"mode": "exec", "program": fixtures.Build(t, "watchfix")})
	c.event("initialized", 10*time.Second)
	c.ok("setBreakpoints", map[string]any{"source": map[string]any{"path": src},
		"breakpoints": []map[string]any{{"line": lineOf(t, src, "// stop:start")}}})
	c.ok("configurationDone", nil)
	c.stopped()
	info := func(name string) godap.DataBreakpointInfoResponseBody {
		return c.ok("dataBreakpointInfo", map[string]any{"name": name}).(*godap.DataBreakpointInfoResponse).Body
	}
	if b := info("main.counter"); b.DataId != "main.counter" || len(b.AccessTypes) != 3 {
		t.Fatalf("dataBreakpointInfo main.counter: %+v", b)
	}
	if b := info("1+2"); b.DataId != nil || !strings.Contains(b.Description, "not in memory") {
		t.Fatalf("dataBreakpointInfo 1+2: %+v", b)
	}
	set := func(bps ...map[string]any) []godap.Breakpoint {
		return c.ok("setDataBreakpoints", map[string]any{"breakpoints": bps}).(*godap.SetDataBreakpointsResponse).Body.Breakpoints
	}
	got := set(map[string]any{"dataId": "main.counter", "accessType": "write"}, map[string]any{"dataId": "nosuch"})
	if !got[0].Verified || got[0].Message != "hardware DR0" || got[1].Verified {
		t.Fatalf("setDataBreakpoints: %+v", got)
	}
	c.ok("setBreakpoints", map[string]any{"source": map[string]any{"path": src}, "breakpoints": []any{}})
	c.ok("continue", nil)
	st := c.stopped()
	if st.Body.Reason != "data breakpoint" || st.Body.Description != "main.counter: 10 -> 11" ||
		len(st.Body.HitBreakpointIds) != 1 || st.Body.HitBreakpointIds[0] != got[0].Id {
		t.Fatalf("stopped: %+v", st.Body)
	}
	set()
	c.ok("continue", nil)
	if ex := c.event("exited", 30*time.Second).(*godap.ExitedEvent); ex.Body.ExitCode != 0 {
		t.Errorf("exit code %d", ex.Body.ExitCode)
	}
	if !strings.Contains(c.out("stdout"), "counter=18\n") {
		t.Errorf("stdout: %q", c.out("stdout"))
	}
	c.ok("disconnect", nil)

	// call in the repl.
	c = dial(t, "tcp", startServer(t))
	c.initialize()
	src = fixtures.Source("callfix/main.go")
	c.ok("launch", map[string]any{"mode": "exec", "program": fixtures.Build(t, "callfix")})
	c.event("initialized", 10*time.Second)
	c.ok("setBreakpoints", map[string]any{"source": map[string]any{"path": src},
		"breakpoints": []map[string]any{{"line": lineOf(t, src, "// stop:call")}}})
	c.ok("configurationDone", nil)
	st = c.stopped()
	f := c.stack(st.Body.ThreadId, 0, 1).StackFrames[0]
	if r := c.eval("call sum(x, 777)", f.Id, "repl").Result; r != "~r0: 777777" {
		t.Errorf("call sum(x, 777) = %q", r)
	}
	c.fail("evaluate", map[string]any{"expression": "call sum(1)", "frameId": f.Id, "context": "repl"}, "takes 2 arguments")
	c.ok("disconnect", nil)
}
