package dap_test

import (
	"fmt"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	godap "github.com/google/go-dap"

	"github.com/godbg/godbg/internal/fixtures"
)

// dapfix is this package's own fixture, in testdata.
const dapfix = "../service/dap/testdata/dapfix"

// TestLaunchScopefix is an editor's whole session on scopefix: launch,
// breakpoints, stops, threads, stack, variables, evaluation, assignment,
// stepping, the program's output and its exit.
func TestLaunchScopefix(t *testing.T) {
	bin := fixtures.Build(t, "scopefix")
	src := filepath.Join(fixtures.Source("scopefix"), "main.go")
	exprsLine, setLine := lineOf(t, src, "// L:exprs"), lineOf(t, src, "// L:set")
	c := dial(t, "tcp", startServer(t))

	caps := c.initialize()
	if !caps.SupportsConfigurationDoneRequest || !caps.SupportsConditionalBreakpoints || !caps.SupportsHitConditionalBreakpoints ||
		!caps.SupportsFunctionBreakpoints || !caps.SupportsSetVariable || !caps.SupportsDelayedStackTraceLoading ||
		!caps.SupportsTerminateRequest || !caps.SupportsEvaluateForHovers {
		t.Fatalf("capabilities: %+v", caps)
	}
	if caps.SupportsStepBack {
		t.Fatalf("capabilities claim what is not implemented: %+v", caps)
	}
	c.ok("launch", map[string]any{"mode": "exec", "program": bin})
	c.event("initialized", 10*time.Second)
	bps := c.ok("setBreakpoints", map[string]any{
		"source":      map[string]any{"path": src},
		"breakpoints": []map[string]any{{"line": exprsLine}, {"line": setLine}, {"line": 1}},
	}).(*godap.SetBreakpointsResponse).Body.Breakpoints
	if len(bps) != 3 || !bps[0].Verified || bps[0].Line != exprsLine || !bps[1].Verified || bps[1].Line != setLine {
		t.Fatalf("breakpoints: %+v", bps)
	}
	if bps[2].Verified || bps[2].Message == "" {
		t.Errorf("a breakpoint on line 1 (no code) was verified: %+v", bps[2])
	}
	c.ok("configurationDone", nil)

	g := atExprs(t, c, src, exprsLine, bps[0].Id)
	c.ok("continue", map[string]any{"threadId": g})
	g = atSetter(t, c, setLine, bps[1].Id)
	c.ok("continue", map[string]any{"threadId": g})
	ex := c.event("exited", 30*time.Second).(*godap.ExitedEvent)
	c.event("terminated", 5*time.Second)
	if ex.Body.ExitCode != 0 {
		t.Errorf("exit code %d", ex.Body.ExitCode)
	}
	out := c.out("stdout")
	for _, want := range []string{"stop args\n", "stop set\n", "after x=42 ", "p.X=7 ", "done "} {
		if !strings.Contains(out, want) {
			t.Errorf("stdout lacks %q:\n%s", want, out)
		}
	}
	if ths := c.threads(); len(ths) != 0 {
		t.Errorf("threads after the exit: %+v", ths)
	}
	c.fail("stackTrace", map[string]any{"threadId": g}, "no longer being debugged")
	c.ok("disconnect", nil)
}

// atExprs checks the stop in exprs: threads, stack, arguments and their
// children, evaluation, another frame's locals. It returns the goroutine.
func atExprs(t *testing.T, c *client, src string, exprsLine, bpID int) int {
	t.Helper()
	st := c.stopped()
	if st.Body.Reason != "breakpoint" || !st.Body.AllThreadsStopped || len(st.Body.HitBreakpointIds) != 1 || st.Body.HitBreakpointIds[0] != bpID {
		t.Fatalf("stopped: %+v", st.Body)
	}
	g := st.Body.ThreadId
	ths := c.threads()
	var name string
	for _, th := range ths {
		if th.Id == g {
			name = th.Name
		}
	}
	if want := fmt.Sprintf("[Go %d] main.exprs ", g); !strings.HasPrefix(name, want) || !strings.HasSuffix(name, fmt.Sprintf("main.go:%d", exprsLine)) {
		t.Fatalf("thread %d is %q among %+v; want %q...main.go:%d", g, name, ths, want, exprsLine)
	}
	body := c.stack(g, 0, 20)
	if len(body.StackFrames) < 2 || body.StackFrames[0].Name != "main.exprs" || body.StackFrames[0].Line != exprsLine ||
		body.StackFrames[0].Source == nil || body.StackFrames[0].Source.Path != src || body.StackFrames[1].Name != "main.main" {
		t.Fatalf("stack: %+v", body)
	}
	top := body.StackFrames[0].Id
	args := c.vars(c.scope(top, "Arguments"), nil)
	if v := find(t, args, "f"); v.Value != "2.5" || v.Type != "float64" {
		t.Errorf("f: %+v", v)
	}
	if v := find(t, args, "str"); v.Value != `"hello"` {
		t.Errorf("str: %+v", v)
	}
	checkChildren(t, c, args)

	ev := c.eval("o.Tags[1]", top, "watch")
	if ev.Result != `"bb"` || ev.Type != "string" {
		t.Errorf("evaluate o.Tags[1]: %+v", ev)
	}
	if ev := c.eval("len(m) + 1", top, "hover"); ev.Result != "4" {
		t.Errorf("evaluate len(m) + 1: %+v", ev)
	}
	if ev := c.eval("sl", top, "repl"); ev.IndexedVariables != 3 || ev.VariablesReference == 0 {
		t.Errorf("evaluate sl: %+v", ev)
	} else if els := c.vars(ev.VariablesReference, nil); len(els) != 3 || els[2].Value != `"zzz"` || els[2].EvaluateName != "sl[2]" {
		t.Errorf("sl's elements: %+v", els)
	}
	c.fail("evaluate", map[string]any{"expression": "dlv bt", "frameId": top, "context": "repl"}, "terminal commands need godbg's console")
	c.fail("evaluate", map[string]any{"expression": "goroutines -with user", "frameId": top, "context": "repl"}, `type "godbg goroutines -with user"`)
	c.fail("evaluate", map[string]any{"expression": "nosuchvar", "frameId": top, "context": "watch"}, "nosuchvar")

	// Frame 1 (main.main) has its own locals.
	locals := c.vars(c.scope(body.StackFrames[1].Id, "Locals"), nil)
	if v := find(t, locals, "m"); !strings.HasPrefix(v.Value, "map[string]int") || v.IndexedVariables != 3 {
		t.Errorf("main's m: %+v", v)
	}

	return g
}

// atSetter checks the stop in setter: assignments to an argument and
// through a pointer, and a next to the following line.
func atSetter(t *testing.T, c *client, setLine, bpID int) int {
	t.Helper()
	st := c.stopped()
	if st.Body.Reason != "breakpoint" || st.Body.HitBreakpointIds[0] != bpID {
		t.Fatalf("second stop: %+v", st.Body)
	}
	g := st.Body.ThreadId
	body := c.stack(g, 0, 1)
	if body.StackFrames[0].Line != setLine || len(body.StackFrames) != 1 || body.TotalFrames <= 1 {
		t.Fatalf("stack at setter (1 level): %+v", body)
	}
	ref := c.scope(body.StackFrames[0].Id, "Arguments")
	if v := find(t, c.vars(ref, nil), "x"); v.Value != "1" {
		t.Fatalf("x before set: %+v", v)
	}
	sv := c.ok("setVariable", map[string]any{"variablesReference": ref, "name": "x", "value": "42"}).(*godap.SetVariableResponse)
	if sv.Body.Value != "42" {
		t.Fatalf("setVariable x: %+v", sv.Body)
	}
	locals := c.vars(c.scope(body.StackFrames[0].Id, "Locals"), nil)
	p := find(t, locals, "p")
	sv = c.ok("setVariable", map[string]any{"variablesReference": p.VariablesReference, "name": "X", "value": "7"}).(*godap.SetVariableResponse)
	if sv.Body.Value != "7" {
		t.Fatalf("setVariable p.X: %+v", sv.Body)
	}
	c.fail("setVariable", map[string]any{"variablesReference": ref, "name": "x", "value": `"str"`}, "")

	c.ok("next", map[string]any{"threadId": g})
	st = c.stopped()
	if st.Body.Reason != "step" || st.Body.ThreadId != g {
		t.Fatalf("after next: %+v", st.Body)
	}
	if body = c.stack(g, 0, 1); body.StackFrames[0].Line != setLine+1 {
		t.Fatalf("next went to line %d, want %d", body.StackFrames[0].Line, setLine+1)
	}
	return g
}

// checkChildren expands exprs' arguments: a pointer to a struct, its
// slice field, a map, a page of a slice.
func checkChildren(t *testing.T, c *client, args []godap.Variable) {
	t.Helper()
	o := find(t, args, "o")
	if o.VariablesReference == 0 {
		t.Fatalf("o has no children: %+v", o)
	}
	fields := c.vars(o.VariablesReference, nil)
	if v := find(t, fields, "Name"); v.Value != `"outer"` || v.EvaluateName != "(*o).Name" {
		t.Errorf("o.Name: %+v", v)
	}
	tags := find(t, fields, "Tags")
	if tags.IndexedVariables != 3 {
		t.Errorf("o.Tags: %+v", tags)
	}
	if els := c.vars(tags.VariablesReference, nil); len(els) != 3 || els[1].Name != "[1]" || els[1].Value != `"bb"` {
		t.Errorf("o.Tags elements: %+v", els)
	}
	inner := find(t, fields, "Inner")
	if v := find(t, c.vars(inner.VariablesReference, nil), "N"); v.Value != "42" {
		t.Errorf("o.Inner.N: %+v", v)
	}
	if v := find(t, c.vars(find(t, fields, "Next").VariablesReference, nil), "Name"); v.Value != `"next"` {
		t.Errorf("o.Next.Name: %+v", v)
	}
	m := find(t, args, "m")
	entries := c.vars(m.VariablesReference, nil)
	if v := find(t, entries, `["three"]`); v.Value != "3" || v.EvaluateName != `m["three"]` {
		t.Errorf(`m["three"]: %+v`, v)
	}
	sl := find(t, args, "sl")
	page := c.vars(sl.VariablesReference, map[string]any{"filter": "indexed", "start": 1, "count": 2})
	if len(page) != 2 || page[0].Name != "[1]" || page[0].Value != `"yy"` || page[1].Value != `"zzz"` {
		t.Errorf("sl[1:3] page: %+v", page)
	}
	if named := c.vars(sl.VariablesReference, map[string]any{"filter": "named"}); len(named) != 0 {
		t.Errorf("sl has named children: %+v", named)
	}
}

// TestLaunchDebugMode builds a package, runs it with args, env and cwd,
// stops on entry, and forwards both output streams and the exit status.
func TestLaunchDebugMode(t *testing.T) {
	if _, err := fixtures.BuildErr("scopefix"); err != nil { // warms the go build cache
		t.Fatal(err)
	}
	pkg := filepath.Join(fixtures.Root(), "service", "dap", "testdata", "dapfix")
	cwd := t.TempDir()
	c := dial(t, "tcp", startServer(t))
	c.initialize()
	c.ok("launch", map[string]any{
		"mode": "debug", "program": pkg, "args": []string{"env", "a", "b c"}, "cwd": cwd,
		"env": map[string]any{"DAPFIX": "hello", "HOME": nil}, "stopOnEntry": true,
	})
	c.event("initialized", 10*time.Second)
	c.ok("setFunctionBreakpoints", map[string]any{"breakpoints": []map[string]any{{"name": "main.stop", "condition": `tag == "env"`}}})
	c.ok("configurationDone", nil)
	st := c.stopped()
	if st.Body.Reason != "entry" {
		t.Fatalf("stopOnEntry: %+v", st.Body)
	}
	ths := c.threads()
	if len(ths) != 1 || !strings.HasPrefix(ths[0].Name, "[Thread ") || ths[0].Id != st.Body.ThreadId {
		t.Errorf("threads before the runtime starts: %+v (stopped thread %d)", ths, st.Body.ThreadId)
	}
	c.ok("continue", nil)
	st = c.stopped()
	if st.Body.Reason != "breakpoint" {
		t.Fatalf("at main.stop: %+v", st.Body)
	}
	c.ok("continue", nil)
	ex := c.event("exited", 30*time.Second).(*godap.ExitedEvent)
	c.event("terminated", 5*time.Second)
	if ex.Body.ExitCode != 3 {
		t.Errorf("exit code %d, want 3", ex.Body.ExitCode)
	}
	if out, want := c.out("stdout"), fmt.Sprintf("env=hello cwd=%s args=a,b c\n", cwd); out != want {
		t.Errorf("stdout %q, want %q", out, want)
	}
	if out := c.out("stderr"); out != "to stderr\n" {
		t.Errorf("stderr %q", out)
	}
	if _, ok := os.LookupEnv("DAPFIX"); ok {
		t.Errorf("the launch's env leaked into the server's")
	}
	c.ok("disconnect", map[string]any{"terminateDebuggee": true})
}

// TestBreakpointConditions: hit conditions, conditions, replacing and
// clearing breakpoints, and a hit condition that cannot be read.
func TestBreakpointConditions(t *testing.T) {
	bin := fixtures.Build(t, dapfix)
	src := filepath.Join(fixtures.Root(), "service", "dap", "testdata", "dapfix", "main.go")
	localLine := lineOf(t, src, "local := n * 2")
	c := dial(t, "tcp", startServer(t))
	c.initialize()
	c.ok("launch", map[string]any{"mode": "exec", "program": bin, "args": []string{"deep", "20"}})
	c.event("initialized", 10*time.Second)
	fbp := func(bps ...map[string]any) []godap.Breakpoint {
		return c.ok("setFunctionBreakpoints", map[string]any{"breakpoints": bps}).(*godap.SetFunctionBreakpointsResponse).Body.Breakpoints
	}
	got := fbp(map[string]any{"name": "main.deep", "hitCondition": "5"}, map[string]any{"name": "main.nosuch"},
		map[string]any{"name": "main.stop", "hitCondition": "often"})
	if !got[0].Verified || got[1].Verified || !strings.Contains(got[1].Message, "main.nosuch") ||
		got[2].Verified || !strings.Contains(got[2].Message, "hit condition") {
		t.Fatalf("function breakpoints: %+v", got)
	}
	c.ok("configurationDone", nil)
	n := func(st *godap.StoppedEvent) string {
		t.Helper()
		f := c.stack(st.Body.ThreadId, 0, 1).StackFrames[0]
		return c.eval("n", f.Id, "watch").Result
	}
	if st := c.stopped(); n(st) != "16" {
		t.Fatalf(`hitCondition "5" stopped at n=%s, want the 5th call (n=16)`, n(st))
	}
	got = fbp(map[string]any{"name": "main.deep", "condition": "n == 3"})
	if !got[0].Verified {
		t.Fatalf("%+v", got)
	}
	c.ok("continue", nil)
	if st := c.stopped(); n(st) != "3" {
		t.Fatalf("condition n == 3 stopped at n=%s", n(st))
	}
	fbp()
	lines := c.ok("setBreakpoints", map[string]any{
		"source":      map[string]any{"path": src},
		"breakpoints": []map[string]any{{"line": localLine, "hitCondition": ">= 2"}},
	}).(*godap.SetBreakpointsResponse).Body.Breakpoints
	if !lines[0].Verified || lines[0].Line != localLine {
		t.Fatalf("line breakpoint: %+v", lines)
	}
	c.ok("continue", nil)
	// Stopped at deep(3)'s entry, its own line is the first hit.
	if st := c.stopped(); n(st) != "2" || st.Body.HitBreakpointIds[0] != lines[0].Id {
		t.Fatalf(`hitCondition ">= 2" stopped at n=%s (%+v), want n=2`, n(st), st.Body)
	}
	c.ok("setBreakpoints", map[string]any{"source": map[string]any{"path": src}, "breakpoints": []any{}})
	c.ok("continue", nil)
	if ex := c.event("exited", 30*time.Second).(*godap.ExitedEvent); ex.Body.ExitCode != 0 {
		t.Errorf("exit code %d", ex.Body.ExitCode)
	}
	if !strings.Contains(c.out("stdout"), "deep ") {
		t.Errorf("stdout: %q", c.out("stdout"))
	}
	c.ok("disconnect", nil)
}

// TestPanicAndTerminate: an unrecovered panic stops as an exception in
// the panicking goroutine; terminate kills the program.
func TestPanicAndTerminate(t *testing.T) {
	c := dial(t, "tcp", startServer(t))
	c.initialize()
	c.ok("launch", map[string]any{"mode": "exec", "program": fixtures.Build(t, dapfix), "args": []string{"panic"}})
	pid := c.event("process", 10*time.Second).(*godap.ProcessEvent).Body.SystemProcessId
	c.ok("configurationDone", nil)
	st := c.stopped()
	if st.Body.Reason != "exception" || st.Body.Description != "panic" {
		t.Fatalf("stopped: %+v", st.Body)
	}
	var names []string
	for _, f := range c.stack(st.Body.ThreadId, 0, 20).StackFrames {
		names = append(names, f.Name)
	}
	if !strings.Contains(strings.Join(names, " "), "main.explode") {
		t.Errorf("the panicking goroutine's stack lacks main.explode: %v", names)
	}
	c.ok("terminate", nil)
	c.event("terminated", 10*time.Second)
	waitGone(t, pid)
	c.ok("disconnect", nil)
}
