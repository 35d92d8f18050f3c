package main

import (
	"fmt"
	"strconv"
	"strings"
	"syscall"
	"time"
)

// watchScenarios time a Go program (testdata/watchloop) whose hot loop
// writes unrelated data on every iteration and a watched variable rarely:
// natively, under godbg without a watch, and under godbg watching it.
// The first table watches main.rare (8 bytes: a debug register; the
// target is >= 0.9x native speed, i.e. <= 1.11x native time). The second
// watches the 4000-byte shared.buf (page protection) whose pages hold the
// two hot arrays: every unrelated write faults, so it runs far fewer
// iterations and its table quotes the cost per unrelated write.
func watchScenarios(c *config) []*Scenario {
	dr := &Scenario{
		Name:     "watch",
		Title:    fmt.Sprintf("watch -w main.rare (debug register), %d loop iterations, %d rare writes, launch to exit", c.watchIters, watchRare),
		Baseline: "native",
		Target:   Target{Text: "godbg watch <= 1.11x native (>= 0.9x speed)", Unit: "x_baseline", Limit: 1.11, Tool: "godbg watch"},
	}
	pg := &Scenario{
		Name:     "watch-page",
		Title:    fmt.Sprintf("watch -w main.shared.buf (page protection, hot data on its pages), %d loop iterations, launch to exit", c.watchPageIters),
		Baseline: "native",
	}
	prog, err := buildGoFixture(c.tmp, "watchloop")
	for _, sc := range []struct {
		s     *Scenario
		iters int
		expr  string
	}{{dr, c.watchIters, "main.rare"}, {pg, c.watchPageIters, "main.shared.buf"}} {
		names := []string{"native", "godbg", "godbg watch"}
		if err != nil {
			for _, n := range names {
				r := &Result{Tool: n}
				r.fail("building the fixture: %v", err)
				sc.s.Results = append(sc.s.Results, r)
			}
			continue
		}
		args := []string{prog, strconv.Itoa(sc.iters), strconv.Itoa(watchRare)}
		god := c.tools["godbg"]
		exec := append([]string{god.path, "exec"}, append([]string{prog, "--"}, args[1:]...)...)
		watchIn := "break main.main\ncontinue\nwatch -w " + sc.expr + "\nclear 1\n" + strings.Repeat("continue\n", watchRare+1)
		sessions := []struct {
			name   string
			tool   tool
			argv   []string
			stdin  string
			expect []string
		}{
			{"native", tool{path: prog}, args, "", nil},
			{"godbg", god, exec, "continue\n", []string{"exited with status 0"}},
			{"godbg watch", god, exec, watchIn, []string{"exited with status 0", fmt.Sprintf("hits thread(")}},
		}
		for _, ss := range sessions {
			r := &Result{Tool: ss.name}
			sc.s.Results = append(sc.s.Results, r)
			if c.skipped(r, ss.tool) {
				continue
			}
			c.series(r, func() (time.Duration, string) {
				o := run(ss.argv, ss.stdin, c.timeout)
				f := o.failure()
				want := append([]string{fmt.Sprintf("watchloop %d rare %d ", sc.iters, watchRare)}, ss.expect...)
				for _, e := range want {
					if f == "" && !strings.Contains(o.out, e) {
						f = fmt.Sprintf("output lacks %q; output ends: %s", e, lastLines(o.out, 3))
					}
				}
				if n := strings.Count(o.out, "[watchpoint 2 on"); f == "" && ss.name == "godbg watch" && n != watchRare {
					f = fmt.Sprintf("%d watchpoint stops, want %d", n, watchRare)
				}
				if left := pidsRunning(prog); len(left) > 0 {
					for _, p := range left {
						syscall.Kill(p, syscall.SIGKILL)
					}
					f += fmt.Sprintf(" LEFT THE PROGRAM RUNNING (pid %v, killed)", left)
				}
				return o.dur, f
			})
		}
	}
	return []*Scenario{dr, pg}
}

// watchRare is how many times the loop writes the watched variable.
const watchRare = 20
