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

// threadsScenarios times the thread-churn programs from launch to exit,
// natively and under each tool: the C one creating and joining c.churn
// threads, then the Go one whose c.goChurn goroutines each end their OS
// thread by exiting locked to it.
func threadsScenarios(c *config) []*Scenario {
	ss := []*Scenario{churnScenario(c, "threads",
		fmt.Sprintf("thread churn, C program creating+joining %d threads, launch to exit", c.churn),
		c.bins["churn"], c.churn)}
	// churn: the Go workload
	title := fmt.Sprintf("thread churn, Go program, %d goroutines each exiting locked to a new OS thread, launch to exit", c.goChurn)
	prog, err := buildGoFixture(c.tmp, "gochurn")
	if err != nil {
		s := &Scenario{Name: "gothreads", Title: title}
		s.Results = []*Result{{Tool: "native", Status: "failed", Error: err.Error()}}
		return append(ss, s)
	}
	return append(ss, churnScenario(c, "gothreads", title, prog, c.goChurn))
}

// churnScenario times prog, which creates threads (its argument says how
// many) and prints "done <count> ..." last.
func churnScenario(c *config, name, title, prog string, count int) *Scenario {
	s := &Scenario{
		Name:     name,
		Title:    title,
		Baseline: "native",
		Target:   Target{Text: "godbg <= 2.0x native", Unit: "x_baseline", Limit: 2.0},
	}
	n := strconv.Itoa(count)
	done := fmt.Sprintf("done %d ", count) // the fixture's last line
	dlvInit := filepath.Join(c.tmp, "dlv-exec.init")
	os.WriteFile(dlvInit, []byte("continue\nexit\n"), 0o644)

	god, gdb, dlv, strace := c.tools["godbg"], c.tools["gdb"], c.tools["dlv"], c.tools["strace"]
	sessions := []runSession{
		{"native", tool{path: prog}, []string{prog, n}, "", []string{done}},
		// The ptrace floor: PTRACE_O_TRACECLONE and a PTRACE_CONT per stop.
		{"bare ptrace", tool{path: c.bins["baretrace"]}, []string{c.bins["baretrace"], prog, n}, "", []string{done}},
		// Input ends after "continue", which ends the session.
		{"godbg", god, []string{god.path, "exec", prog, "--", n}, "continue\n",
			[]string{done, "exited with status 0"}},
		{"gdb", gdb, []string{gdb.path, "-batch", "-nx", "-iex", "set debuginfod enabled off",
			"-ex", "run", "--args", prog, n}, "", []string{done, "exited normally"}},
		// "n" answers a kill question, should dlv ask one.
		{"dlv", dlv, []string{dlv.path, "exec", prog, "--allow-non-terminal-interactive=true",
			"--init", dlvInit, "--", n}, "n\n", []string{done, "exited with status 0"}},
		{"strace", strace, []string{strace.path, "-f", "-o", os.DevNull, prog, n},
			"", []string{done}},
	}
	c.runSessions(s, prog, sessions)
	return s
}

// runSession is one tool's launch-to-exit command: its output must contain
// every expect string.
type runSession struct {
	name   string
	tool   tool
	argv   []string
	stdin  string
	expect []string
}

// runSessions times each session as a series of s, failing a run whose
// output lacks an expected string or that leaves prog running.
func (c *config) runSessions(s *Scenario, prog string, sessions []runSession) {
	for _, ss := range sessions {
		c.measure(s, ss.name, ss.tool, func() (time.Duration, string) {
			o := run(ss.argv, ss.stdin, c.timeout)
			f := o.failure()
			if f == "" {
				for _, e := range ss.expect {
					if !strings.Contains(o.out, e) {
						f = fmt.Sprintf("output lacks %q; output ends: %s", e, lastLines(o.out, 3))
						break
					}
				}
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
		})
	}
}
