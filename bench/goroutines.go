package main

import (
	"fmt"
	"regexp"
	"strconv"
	"strings"
	"time"
)

// goroutinesIssueCount is the number of goroutines the issue's targets are
// about: "godbg lists 100,000 goroutines in <= 1 s and <= 200 MiB peak RSS".
const goroutinesIssueCount = 100000

// goroutinesScenario times the goroutines command on a program with
// c.goroutines parked goroutines (testdata/manygoros, -N -l) stopped at a
// breakpoint, from the write of the command to its final "[N goroutines]"
// line, and reads the debugger's peak RSS (VmHWM) right after.
func goroutinesScenario(c *config) []*Scenario {
	s := &Scenario{
		Name:     "goroutines",
		Title:    fmt.Sprintf("goroutines command, %s parked goroutines (Go, -N -l), the command alone", thousands(c.goroutines)),
		Baseline: "",
	}
	if c.goroutines == goroutinesIssueCount {
		s.Target = Target{Text: "godbg lists 100,000 goroutines in <= 1 s", Unit: "s", Limit: 1}
		s.More = []Target{{Text: "godbg <= 200 MiB peak RSS", Unit: "MiB", Limit: 200}}
	}
	// gdb has no goroutines command (without the runtime's Python script).
	tools := []string{"godbg", "dlv"}
	prog, err := buildGoFixture(c.tmp, "manygoros", "-gcflags=all=-N -l")
	if err != nil {
		failAll(s, tools, "building the fixture: %v", err)
		return []*Scenario{s}
	}
	n := strconv.Itoa(c.goroutines)
	stopped := regexp.MustCompile(`^(?:\(dlv\) )*> .*\bmain\.stopHere\(\)`)
	// godbg and dlv: "  Goroutine 18 - User: ./main.go:30 main.blockRecv (0x4c23c8) [chan receive]"
	// ("* Goroutine" for the current one) and last "[100008 goroutines]".
	total := regexp.MustCompile(`^(?:\(dlv\) )*\[(\d+) goroutines\]\s*$`)

	// dlv needs ≈ 10 s for 100,000 goroutines on an idle machine, and
	// several times that on a busy one: give the command at least 3 min.
	listWait := max(c.timeout, 3*time.Minute)

	for _, ss := range goDebuggerSessions(c, prog, n) {
		r := &Result{Tool: ss.name}
		s.Results = append(s.Results, r)
		if c.skipped(r, ss.tool) {
			continue
		}
		var rss []float64
		c.series(r, func() (time.Duration, string) {
			listed, reported := 0, 0
			var peak float64
			steps := []step{
				{cmd: "break main.stopHere", what: "breakpoint confirmation", done: func(l string) bool {
					return strings.Contains(l, "Breakpoint 1 ")
				}},
				{cmd: "continue", what: "stop in main.stopHere", done: stopped.MatchString},
				{cmd: "goroutines", what: "the final [N goroutines] line", timed: true, wait: listWait, pause: thinkTime,
					done: func(l string) bool {
						if strings.Contains(l, "Goroutine ") {
							listed++
							return false
						}
						if m := total.FindStringSubmatch(l); m != nil {
							reported, _ = strconv.Atoi(m[1])
							return true
						}
						return false
					},
					check: func(s *pipeSession) error {
						var err error
						if peak, err = peakRSS(s.pid); err != nil {
							return err
						}
						if reported < c.goroutines || listed != reported {
							return fmt.Errorf("listed %d goroutines and reported [%d goroutines], want %d and at least %d",
								listed, reported, reported, c.goroutines)
						}
						return nil
					}},
			}
			d, problem := interactive(c, prog, ss.argv, steps, ss.exit)
			if problem == "" {
				rss = append(rss, peak)
			}
			return d, problem
		})
		// Only the timed runs' figures (the warm-up ones come first).
		if len(rss) >= len(r.SamplesS) {
			r.RSSMiB = rss[len(rss)-len(r.SamplesS):]
		}
	}
	return []*Scenario{s}
}
