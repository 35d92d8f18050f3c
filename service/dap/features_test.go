package dap_test

import (
	"encoding/base64"
	"encoding/binary"
	"encoding/hex"
	"path/filepath"
	"strings"
	"testing"
	"time"

	godap "github.com/google/go-dap"

	"github.com/godbg/godbg/internal/fixtures"
)

// TestEditorFeatures drives, at stops in dapfix's loop: a logpoint
// ({expr} interpolated, no stop), substitutePath both ways,
// stackTraceDepth, the Globals and Registers scopes, readMemory and
// writeMemory (the program then prints the value written), disassemble
// around the pc, an instruction step, an instruction breakpoint,
// loadedSources, modules and showLog.
func TestEditorFeatures(t *testing.T) {
	bin := fixtures.Build(t, dapfix)
	src := dapfixSource()
	realDir := filepath.Dir(src)
	clientSrc := "/client/src/main.go"
	c := dial(t, "tcp", startServer(t))
	caps := c.initialize()
	if !caps.SupportsLogPoints || !caps.SupportsDisassembleRequest || !caps.SupportsReadMemoryRequest || !caps.SupportsInstructionBreakpoints {
		t.Fatalf("capabilities: %+v", caps)
	}
	c.ok("launch", map[string]any{"mode": "exec", "program": bin, "args": []string{"loop"},
		"showGlobalVariables": true, "showRegisters": true, "stackTraceDepth": 2, "showLog": true, "logOutput": "dap",
		"substitutePath": []map[string]string{{"from": "/client/src", "to": realDir}}})
	c.event("initialized", 10*time.Second)
	bps := c.ok("setBreakpoints", map[string]any{"source": map[string]any{"path": clientSrc}, "breakpoints": []map[string]any{
		{"line": lineOf(t, src, "MARK:loopline"), "logMessage": "i={i} total={total} {{literal}}"},
		{"line": lineOf(t, src, "MARK:looprange")},
	}}).(*godap.SetBreakpointsResponse).Body.Breakpoints
	if len(bps) != 2 || !bps[0].Verified || bps[1].Source == nil || bps[1].Source.Path != clientSrc {
		t.Fatalf("breakpoints: %+v", bps)
	}
	c.ok("configurationDone", nil)
	st := c.stopped()
	if st.Body.Reason != "breakpoint" || len(st.Body.HitBreakpointIds) != 1 || st.Body.HitBreakpointIds[0] != bps[1].Id {
		t.Fatalf("stopped: %+v (want the looprange breakpoint %d)", st.Body, bps[1].Id)
	}
	if got, want := c.out("console"), "i=0 total=0 {literal}\ni=1 total=0 {literal}\ni=2 total=10 {literal}\n"; !strings.Contains(got, want) {
		t.Errorf("logpoint output %q, want %q", got, want)
	}

	// stackTraceDepth, and the client's path.
	body := c.stack(st.Body.ThreadId, 0, 0)
	if len(body.StackFrames) != 2 || body.StackFrames[0].Source.Path != clientSrc {
		t.Fatalf("frames: %+v", body.StackFrames)
	}
	top := body.StackFrames[0]

	// Globals and Registers.
	globals := c.vars(c.scope(top.Id, "Globals (package main)"), nil)
	if v := find(t, globals, "main.sink"); v.Value != "0" {
		t.Errorf("main.sink: %+v", v)
	}
	regs := c.vars(c.scope(top.Id, "Registers"), nil)
	if rip := find(t, regs, "rip"); rip.Value != top.InstructionPointerReference {
		t.Errorf("rip %q, frame pc %q", rip.Value, top.InstructionPointerReference)
	}

	// Memory: total is 33; write 1000 over it.
	total := find(t, c.vars(c.scope(top.Id, "Locals"), nil), "total")
	if total.Value != "33" || total.MemoryReference == "" {
		t.Fatalf("total: %+v", total)
	}
	mem := c.ok("readMemory", map[string]any{"memoryReference": total.MemoryReference, "count": 8}).(*godap.ReadMemoryResponse).Body
	if b, _ := base64.StdEncoding.DecodeString(mem.Data); len(b) != 8 || binary.LittleEndian.Uint64(b) != 33 {
		t.Fatalf("readMemory: %+v", mem)
	}
	var buf [8]byte
	binary.LittleEndian.PutUint64(buf[:], 1000)
	c.ok("writeMemory", map[string]any{"memoryReference": total.MemoryReference, "data": base64.StdEncoding.EncodeToString(buf[:])})
	if v := c.eval("total", top.Id, "watch"); v.Result != "1000" {
		t.Errorf("total after writeMemory: %+v", v)
	}

	// Disassemble around the pc; the bytes match readMemory's.
	dis := c.ok("disassemble", map[string]any{"memoryReference": top.InstructionPointerReference, "instructionOffset": -3, "instructionCount": 10}).(*godap.DisassembleResponse).Body.Instructions
	if len(dis) != 10 || dis[3].Address != top.InstructionPointerReference || dis[3].Line != top.Line {
		t.Fatalf("disassemble: %+v", dis)
	}
	// (dis[3] has the breakpoint: memory holds its int3 while stopped.)
	code := c.ok("readMemory", map[string]any{"memoryReference": dis[4].Address, "count": len(dis[4].InstructionBytes) / 2}).(*godap.ReadMemoryResponse).Body
	if b, _ := base64.StdEncoding.DecodeString(code.Data); hex.EncodeToString(b) != dis[4].InstructionBytes {
		t.Errorf("code bytes %x, disassembly %s", b, dis[4].InstructionBytes)
	}

	// One instruction step lands on the next instruction; an instruction
	// breakpoint two further on is hit.
	c.ok("next", map[string]any{"threadId": st.Body.ThreadId, "granularity": "instruction"})
	if st2 := c.stopped(); st2.Body.Reason != "step" {
		t.Fatalf("instruction step: %+v", st2.Body)
	}
	if pc := c.stack(st.Body.ThreadId, 0, 1).StackFrames[0].InstructionPointerReference; pc != dis[4].Address {
		t.Errorf("after an instruction step pc %s, want %s", pc, dis[4].Address)
	}
	ib := c.ok("setInstructionBreakpoints", map[string]any{"breakpoints": []map[string]any{{"instructionReference": dis[6].Address}}}).(*godap.SetInstructionBreakpointsResponse).Body.Breakpoints
	if len(ib) != 1 || !ib[0].Verified {
		t.Fatalf("instruction breakpoint: %+v", ib)
	}
	c.ok("continue", nil)
	if st3 := c.stopped(); st3.Body.Reason != "breakpoint" || c.stack(st3.Body.ThreadId, 0, 1).StackFrames[0].InstructionPointerReference != dis[6].Address {
		t.Fatalf("instruction breakpoint stop: %+v", st3.Body)
	}

	srcs := c.ok("loadedSources", nil).(*godap.LoadedSourcesResponse).Body.Sources
	var found bool
	for _, s := range srcs {
		found = found || s.Path == clientSrc
	}
	if !found {
		t.Errorf("loadedSources (%d) lacks %s", len(srcs), clientSrc)
	}
	c.ok("modules", nil)
	for i := 0; !strings.Contains(c.out("console"), "godbg DEBUG request command=modules"); i++ {
		if i == 200 { // the log reaches the console on its own goroutine
			t.Fatalf("showLog: the console has no request lines: %q", c.out("console"))
		}
		time.Sleep(10 * time.Millisecond)
	}

	// breakpointLocations: the loop's lines have code, the blank and
	// comment lines around loop() do not.
	from, to := lineOf(t, src, "func loop()"), lineOf(t, src, "MARK:looprange")+2
	locs := c.ok("breakpointLocations", map[string]any{"source": map[string]any{"path": clientSrc}, "line": from - 2, "endLine": to}).(*godap.BreakpointLocationsResponse).Body.Breakpoints
	has := map[int]bool{}
	for _, l := range locs {
		has[l.Line] = true
	}
	if !has[lineOf(t, src, "MARK:loopline")] || !has[lineOf(t, src, "MARK:looprange")] || !has[from] || has[from-1] || has[from-2] {
		t.Errorf("breakpointLocations %d-%d: %+v", from-2, to, locs)
	}
	c.fail("breakpointLocations", map[string]any{"source": map[string]any{"path": clientSrc}, "line": 0}, "lines start at 1")

	c.ok("setBreakpoints", map[string]any{"source": map[string]any{"path": clientSrc}, "breakpoints": []any{}})
	c.ok("setInstructionBreakpoints", map[string]any{"breakpoints": []any{}})
	c.ok("continue", nil)
	c.event("exited", 30*time.Second)
	waitOutput(t, c, "total 1020")
	c.ok("disconnect", nil)
}
