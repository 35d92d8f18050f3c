package main

import (
	"fmt"
	"os"
	"path/filepath"
	"strconv"
	"strings"
	"syscall"
	"time"
)

// condScenario measures conditional-breakpoint throughput: a Go program
// (testdata/condloop, built with -N -l) calls main.hot c.hits times; each
// tool runs it to the end with a breakpoint on main.hot whose condition
// (i < 0) is never true, and once more without any breakpoint. The hits per
// second are c.hits over the difference of the two medians.
func condScenario(c *config) *Scenario {
	s := &Scenario{
		Name:     "cond",
		Title:    fmt.Sprintf("conditional breakpoint, %d false-condition hits on main.hot (Go, -N -l), launch to exit", c.hits),
		Baseline: "",
		Target:   Target{Text: "godbg >= 12000 hits/s", Unit: "hits_per_s", Limit: 12000},
	}
	tools := []string{"godbg", "gdb", "dlv"}
	prog, err := buildGoFixture(c.tmp, "condloop", "-gcflags=all=-N -l")
	if err != nil {
		for _, t := range tools {
			r := &Result{Tool: t}
			r.fail("building the fixture: %v", err)
			s.Results = append(s.Results, r)
		}
		return s
	}
	n := strconv.Itoa(c.hits)
	sum := 0
	for i := 0; i < c.hits; i++ {
		sum += i*3 + 1 // what hot returns
	}
	want := fmt.Sprintf("condloop %d sum %d\n", c.hits, sum)
	dlvCond := filepath.Join(c.tmp, "dlv-cond.init")
	os.WriteFile(dlvCond, []byte("break main.hot\ncondition 1 i < 0\ncontinue\nexit\n"), 0o644)
	dlvRun := filepath.Join(c.tmp, "dlv-run.init")
	os.WriteFile(dlvRun, []byte("continue\nexit\n"), 0o644)

	type session struct {
		name       string
		tool       tool
		argv       []string // with the conditional breakpoint
		stdin      string
		noBPArgv   []string // the same session without it
		noBPStdin  string
		exitedLine string // the tool's message for the program's exit
	}
	god, gdb, dlv := c.tools["godbg"], c.tools["gdb"], c.tools["dlv"]
	gdbArgs := func(ex ...string) []string {
		a := []string{gdb.path, "-batch", "-nx", "-iex", "set debuginfod enabled off"}
		for _, e := range ex {
			a = append(a, "-ex", e)
		}
		return append(a, "--args", prog, n)
	}
	sessions := []session{
		// End of input after "continue" ends the session.
		{"godbg", god, []string{god.path, "exec", prog, "--", n}, "break main.hot if i < 0\ncontinue\n",
			[]string{god.path, "exec", prog, "--", n}, "continue\n", "exited with status 0"},
		{"gdb", gdb, gdbArgs("break main.hot if i < 0", "run"), "",
			gdbArgs("run"), "", "exited normally"},
		// "n" answers a kill question, should dlv ask one.
		{"dlv", dlv, []string{dlv.path, "exec", prog, "--allow-non-terminal-interactive=true", "--init", dlvCond, "--", n}, "n\n",
			[]string{dlv.path, "exec", prog, "--allow-non-terminal-interactive=true", "--init", dlvRun, "--", n}, "n\n",
			"exited with status 0"},
	}
	once := func(argv []string, stdin, exited string) (time.Duration, string) {
		o := run(argv, stdin, c.timeout)
		f := o.failure()
		if f == "" && !strings.Contains(o.out, want) {
			f = fmt.Sprintf("output lacks %q (the program did not run to its end); output ends: %s",
				strings.TrimSpace(want), lastLines(o.out, 3))
		}
		if f == "" && exited != "" && !strings.Contains(o.out, exited) {
			f = fmt.Sprintf("output lacks %q; output ends: %s", exited, lastLines(o.out, 3))
		}
		if left := pidsRunning(prog); len(left) > 0 {
			for _, p := range left {
				syscall.Kill(p, syscall.SIGKILL)
			}
			if f != "" {
				f += "; "
			}
			f += fmt.Sprintf("LEFT THE PROGRAM RUNNING (pid %v, killed)", left)
		}
		return o.dur, f
	}
	for _, ss := range sessions {
		r := &Result{Tool: ss.name}
		s.Results = append(s.Results, r)
		if c.skipped(r, ss.tool) {
			continue
		}
		// The same session without the breakpoint first, as the reference
		// for the time the breakpoint adds.
		nb := &Result{Tool: ss.name + " no bp"}
		c.series(nb, func() (time.Duration, string) { return once(ss.noBPArgv, ss.noBPStdin, ss.exitedLine) })
		if nb.Status == "failed" {
			r.fail("without the breakpoint: %s", nb.Error)
			continue
		}
		r.NoBPSamplesS, r.Hits = nb.SamplesS, c.hits
		c.series(r, func() (time.Duration, string) { return once(ss.argv, ss.stdin, ss.exitedLine) })
	}
	return s
}
