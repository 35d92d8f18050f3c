package main

import (
	"fmt"
	"os"
	"path/filepath"
	"strings"
	"syscall"
	"time"
)

// loadScenario times each debugger from launch to exit on a big Go binary
// with DWARF (testdata/bigprog, plain go build): load the program, set a
// breakpoint on main.main, exit. It also records the debugger process's
// peak RSS (wait4's ru_maxrss).
func loadScenario(c *config) *Scenario {
	s := &Scenario{
		Name:     "load",
		Title:    "symbol loading: launch, break main.main, exit, on a big Go binary",
		Baseline: "",
		Target:   Target{Text: "godbg <= 0.25 s", Unit: "s", Limit: 0.25},
		More:     []Target{{Text: "godbg <= 60 MiB peak RSS", Unit: "MiB", Limit: 60}},
	}
	tools := []string{"godbg", "gdb", "dlv"}
	prog, err := buildGoFixture(c.tmp, "bigprog")
	if err != nil {
		for _, t := range tools {
			r := &Result{Tool: t}
			r.fail("building the fixture: %v", err)
			s.Results = append(s.Results, r)
		}
		return s
	}
	if st, err := os.Stat(prog); err == nil {
		mib := float64(st.Size()) / (1 << 20)
		s.Title = fmt.Sprintf("symbol loading: launch, break main.main, exit, on a %.1f MiB Go binary with DWARF", mib)
		if mib < 20 {
			fmt.Fprintf(os.Stderr, "bench: warning: testdata/bigprog is only %.1f MiB (wanted >= 20 MiB)\n", mib)
		}
	}
	dlvInit := filepath.Join(c.tmp, "dlv-load.init")
	os.WriteFile(dlvInit, []byte("break main.main\nexit\n"), 0o644)

	type session struct {
		name   string
		tool   tool
		argv   []string
		stdin  string
		expect string // the tool's confirmation of the breakpoint
	}
	god, gdb, dlv := c.tools["godbg"], c.tools["gdb"], c.tools["dlv"]
	sessions := []session{
		// godbg exec starts the program stopped at its first instruction;
		// "exit" kills it.
		{"godbg", god, []string{god.path, "exec", prog}, "break main.main\nexit\n", "Breakpoint 1 set"},
		{"gdb", gdb, []string{gdb.path, "-batch", "-nx", "-iex", "set debuginfod enabled off",
			"-ex", "break main.main", prog}, "", "Breakpoint 1 at"},
		// "n" answers a kill question, should dlv ask one.
		{"dlv", dlv, []string{dlv.path, "exec", prog, "--allow-non-terminal-interactive=true",
			"--init", dlvInit}, "n\n", "Breakpoint 1 set"},
	}
	for _, ss := range sessions {
		r := &Result{Tool: ss.name}
		s.Results = append(s.Results, r)
		if c.skipped(r, ss.tool) {
			continue
		}
		var rss []float64
		c.series(r, func() (time.Duration, string) {
			o := run(ss.argv, ss.stdin, c.timeout)
			f := o.failure()
			if f == "" && !strings.Contains(o.out, ss.expect) {
				f = fmt.Sprintf("output lacks %q; output ends: %s", ss.expect, lastLines(o.out, 3))
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
			if f == "" {
				rss = append(rss, float64(o.maxrss)/1024)
			}
			return o.dur, f
		})
		// Only the timed runs' figures (the warm-up ones come first).
		r.RSSMiB = rss[len(rss)-len(r.SamplesS):]
	}
	return s
}
