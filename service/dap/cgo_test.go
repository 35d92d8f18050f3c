package dap_test

import (
	"os/exec"
	"strings"
	"testing"
	"time"

	godap "github.com/google/go-dap"

	"github.com/godbg/godbg/internal/fixtures"
)

// TestCgoStackFrames: a function breakpoint on a C function of a cgo
// program by its C name is verified and hit, and the stack frames name
// the C functions (C.cadd called by C.cmul) with their C source.
func TestCgoStackFrames(t *testing.T) {
	if _, err := exec.LookPath("gcc"); err != nil {
		t.Skip("gcc not installed: cannot build the cgo fixture")
	}
	bin := fixtures.Build(t, "cgofix")
	c := dial(t, "tcp", startServer(t))
	c.initialize()
	c.ok("launch", map[string]any{"mode": "exec", "program": bin})
	c.event("initialized", 10*time.Second)
	bps := c.ok("setFunctionBreakpoints", map[string]any{"breakpoints": []map[string]any{{"name": "cadd"}}}).(*godap.SetFunctionBreakpointsResponse)
	if len(bps.Body.Breakpoints) != 1 || !bps.Body.Breakpoints[0].Verified {
		t.Fatalf("function breakpoint on a C function: %+v", bps.Body)
	}
	c.ok("configurationDone", nil)
	st := c.stopped()
	frames := c.stack(st.Body.ThreadId, 0, 20).StackFrames
	if len(frames) < 3 || frames[0].Name != "C.cadd" || frames[1].Name != "C.cmul" ||
		frames[0].Source == nil || !strings.HasSuffix(frames[0].Source.Path, "/cgofix/cfix.c") || frames[0].Line == 0 {
		t.Fatalf("stack: %+v", frames)
	}
	c.ok("disconnect", nil)
}
