package main

import (
	"bytes"
	"flag"
	"fmt"
	"os"
	"path/filepath"
	"strconv"
	"strings"
	"syscall"
	"time"
)

// trace scenario settings (flags registered here, not in main.go).
var (
	traceCalls    = flag.Int("trace-calls", 100000, "calls of main.add in the trace scenario")
	traceDlvCalls = flag.Int("trace-dlv-calls", 2000, "calls of main.add for dlv trace without --ebpf (about 500 events/s: 100,000 calls take 6 minutes)")
	traceWork     = flag.Int("trace-work-calls", 20000, "calls of main.add, 40 µs of work apart, in the trace-work scenario")
)

func init() {
	scenarios["trace"] = traceScenarios
	scenarioOrder = append(scenarioOrder, "trace")
}

// traceTool is one way of tracing main.add.
type traceTool struct {
	name  string
	tool  tool
	argv  func(prog string, n int) []string
	calls int
	file  bool // the trace goes to the file given by --output
}

// traceScenarios measures function tracing: events per second on
// back-to-back calls of main.add (a call and a return are two events),
// and the slowdown of a program whose calls are 40 µs of work apart.
func traceScenarios(c *config) []*Scenario {
	fast := &Scenario{
		Name:  "trace",
		Title: fmt.Sprintf("trace main.add: %d calls back to back (Go, -N -l), launch to exit; hits = events (calls + returns) per second of wall time", *traceCalls),
		Target: Target{Text: "godbg trace --ebpf >= 100000 events/s", Unit: "hits_per_s", Limit: 100000, Tool: "godbg trace --ebpf",
			Expect: "every probe on an instruction the kernel emulates (PUSH RBP at entry, the first JMP/CALL/Jcc after each call for returns): a trap, no out-of-line single step, per event"},
		More: []Target{{Text: "godbg trace >= 20000 events/s", Unit: "hits_per_s", Limit: 20000, Tool: "godbg trace"}},
	}
	work := &Scenario{
		Name:     "trace-work",
		Title:    fmt.Sprintf("trace main.add: %d calls 40 µs of work apart, launch to exit, ratio to the untraced run", *traceWork),
		Baseline: "native",
		Target:   Target{Text: "godbg trace --ebpf <= 3x native", Unit: "x_baseline", Limit: 3, Tool: "godbg trace --ebpf"},
	}
	prog, err := buildGoFixture(c.tmp, "traceloop", "-gcflags=all=-N -l")
	tools := traceTools(c)
	if err != nil {
		for _, s := range []*Scenario{fast, work} {
			for _, t := range tools {
				r := &Result{Tool: t.name}
				r.fail("building the fixture: %v", err)
				s.Results = append(s.Results, r)
			}
		}
		return []*Scenario{fast, work}
	}
	for _, t := range tools {
		fast.Results = append(fast.Results, c.traceSeries(t, prog, t.calls, 0))
	}
	for _, t := range tools {
		if t.name == "dlv trace" {
			continue // hours at 40 µs apart
		}
		work.Results = append(work.Results, c.traceSeries(t, prog, *traceWork, 40))
	}
	return []*Scenario{fast, work}
}

func traceTools(c *config) []traceTool {
	god, dlv := c.tools["godbg"], c.tools["dlv"]
	out := filepath.Join(c.tmp, "trace.out")
	godArgs := func(extra ...string) func(string, int) []string {
		return func(prog string, n int) []string {
			a := append([]string{god.path, "trace", "--output", out}, extra...)
			return append(a, "--exec", prog, "main.add", "--", strconv.Itoa(n))
		}
	}
	dlvArgs := func(extra ...string) func(string, int) []string {
		return func(prog string, n int) []string {
			a := append([]string{dlv.path, "trace", "--exec", prog}, extra...)
			return append(a, "^main.add$", "--", strconv.Itoa(n))
		}
	}
	native := func(prog string, n int) []string { return []string{prog, strconv.Itoa(n)} }
	return []traceTool{
		{"native", tool{path: "native"}, native, *traceCalls, false},
		{"godbg trace", god, godArgs(), *traceCalls, true},
		{"godbg trace --ebpf", god, godArgs("--ebpf"), *traceCalls, true},
		{"dlv trace", dlv, dlvArgs(), *traceDlvCalls, false},
		{"dlv trace --ebpf", dlv, dlvArgs("--ebpf"), *traceCalls, false},
	}
}

// traceSeries times one tool: the program must print its own sum and the
// trace must hold an event line per call and per return.
func (c *config) traceSeries(t traceTool, prog string, n, workMicros int) *Result {
	r := &Result{Tool: t.name}
	if t.name != "native" {
		r.Hits = 2 * n
		if c.skipped(r, t.tool) {
			return r
		}
	}
	sum := 0
	for i := 0; i < n; i++ {
		sum += i
	}
	want := fmt.Sprintf("traceloop %d sum %d\n", n, sum)
	argv := t.argv(prog, n)
	if workMicros > 0 {
		argv = append(argv, strconv.Itoa(workMicros))
	}
	outFile := filepath.Join(c.tmp, "trace.out")
	c.series(r, func() (time.Duration, string) {
		os.Remove(outFile)
		o := run(argv, "", c.timeout)
		f := o.failure()
		lines := o.lines
		if t.file {
			b, _ := os.ReadFile(outFile)
			lines = bytes.Count(b, []byte("\n"))
		}
		switch {
		case f != "":
		case !strings.Contains(o.out, want):
			f = fmt.Sprintf("output lacks %q; output ends: %s", strings.TrimSpace(want), lastLines(o.out, 3))
		case t.name != "native" && lines < 2*n:
			f = fmt.Sprintf("%d trace lines, want at least %d (a call and a return per call)", lines, 2*n)
		}
		for _, p := range pidsRunning(prog) {
			syscall.Kill(p, syscall.SIGKILL)
			f += fmt.Sprintf("; LEFT THE PROGRAM RUNNING (pid %d, killed)", p)
		}
		return o.dur, f
	})
	return r
}
