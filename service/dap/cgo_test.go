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
// the C functions (C.cadd called by C.cmul) with their C source; the
// disassembly around the pc names C.cadd.
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
	// Delve's TestDisassembleCgo: disassembling around the pc works, and
	// the instruction at the pc is in C.cadd.
	dis := c.ok("disassemble", map[string]any{"memoryReference": frames[0].InstructionPointerReference,
		"instructionOffset": -20, "instructionCount": 40}).(*godap.DisassembleResponse).Body.Instructions
	found := false
	for _, in := range dis {
		found = found || (in.Address == frames[0].InstructionPointerReference && strings.Contains(in.Symbol, "C.cadd"))
	}
	if len(dis) != 40 || !found {
		t.Errorf("disassemble around %s: %d instructions, C.cadd at the pc: %v\n%+v", frames[0].InstructionPointerReference, len(dis), found, dis)
	}
	c.ok("disconnect", nil)
}
