package dap_test

import (
	"strings"
	"testing"
	"time"

	godap "github.com/google/go-dap"

	"github.com/godbg/godbg/internal/fixtures"
)

// TestExceptionInfo: a panic stops (filter "panic" on) with reason
// exception, and exceptionInfo gives the panic value and the stack; with
// the filter off the program runs on and dies of the panic.
func TestExceptionInfo(t *testing.T) {
	bin := fixtures.Build(t, dapfix)
	c := dial(t, "tcp", startServer(t))
	caps := c.initialize()
	if !caps.SupportsExceptionInfoRequest || len(caps.ExceptionBreakpointFilters) != 2 {
		t.Fatalf("capabilities: %+v", caps)
	}
	c.ok("launch", map[string]any{"mode": "exec", "program": bin, "args": []string{"panic"}})
	c.event("initialized", 10*time.Second)
	c.ok("setExceptionBreakpoints", map[string]any{"filters": []string{"panic", "fatal"}})
	c.fail("exceptionInfo", map[string]any{"threadId": 1}, "did not stop at a panic")
	c.ok("configurationDone", nil)
	st := c.stopped()
	if st.Body.Reason != "exception" {
		t.Fatalf("stopped: %+v", st.Body)
	}
	info := c.ok("exceptionInfo", map[string]any{"threadId": st.Body.ThreadId}).(*godap.ExceptionInfoResponse).Body
	if info.ExceptionId != "panic" || !strings.Contains(info.Description, "boom") || info.Details == nil ||
		!strings.Contains(info.Details.StackTrace, "main.explode") {
		t.Fatalf("exceptionInfo: %+v %+v", info, info.Details)
	}
	c.ok("disconnect", nil)

	c = dial(t, "tcp", startServer(t))
	c.initialize()
	c.ok("launch", map[string]any{"mode": "exec", "program": bin, "args": []string{"panic"}})
	c.event("initialized", 10*time.Second)
	c.ok("setExceptionBreakpoints", map[string]any{"filters": []string{}})
	c.ok("configurationDone", nil)
	if ex := c.event("exited", 30*time.Second).(*godap.ExitedEvent); ex.Body.ExitCode != 2 {
		t.Errorf("exit code %d, want 2 (the panic)", ex.Body.ExitCode)
	}
	for _, m := range c.pending {
		if s, ok := m.(*godap.StoppedEvent); ok {
			t.Errorf("stopped with the panic filter off: %+v", s.Body)
		}
	}
	c.ok("disconnect", nil)
}

// TestNewRequestsBadInput: each new request with missing or wrong
// arguments gets an error response, and the session goes on.
func TestNewRequestsBadInput(t *testing.T) {
	c := dial(t, "tcp", startServer(t))
	g := launchTo(t, c, fixtures.Build(t, dapfix), "main.stop", "big")
	c.fail("readMemory", map[string]any{"memoryReference": "nowhere", "count": 4}, "not an address")
	c.fail("readMemory", map[string]any{"memoryReference": "0x1000", "count": -1}, "count -1")
	if r := c.ok("readMemory", map[string]any{"memoryReference": "0x8", "count": 4}).(*godap.ReadMemoryResponse); r.Body.UnreadableBytes != 4 {
		t.Errorf("readMemory of page 0: %+v", r.Body)
	}
	c.fail("writeMemory", map[string]any{"memoryReference": "0x8", "data": "%%%"}, "not base64")
	c.fail("writeMemory", map[string]any{"memoryReference": "0x8", "data": "AAAA"}, "writeMemory at 0x8")
	c.fail("disassemble", map[string]any{"memoryReference": "0x1", "instructionCount": 0}, "instructionCount 0")
	c.fail("disassemble", map[string]any{"memoryReference": "x"}, "not an address")
	c.fail("setExceptionBreakpoints", map[string]any{"filters": []string{"oops"}}, `unknown filter "oops"`)
	c.fail("setInstructionBreakpoints", map[string]any{"breakpoints": []map[string]any{{"instructionReference": "main"}}}, "not an address")
	bad := c.ok("setInstructionBreakpoints", map[string]any{"breakpoints": []map[string]any{{"instructionReference": "0x10"}}}).(*godap.SetInstructionBreakpointsResponse)
	if len(bad.Body.Breakpoints) != 1 || bad.Body.Breakpoints[0].Verified || bad.Body.Breakpoints[0].Message == "" {
		t.Errorf("instruction breakpoint at 0x10: %+v", bad.Body)
	}
	c.fail("exceptionInfo", map[string]any{"threadId": g}, "did not stop at a panic")
	c.fail("modules", map[string]any{"startModule": "x"}, "bad arguments")
	if f := c.stack(g, 0, 1).StackFrames; len(f) != 1 || f[0].Name != "main.stop" {
		t.Fatalf("after the errors: %+v", f)
	}
	c.ok("disconnect", nil)
}
