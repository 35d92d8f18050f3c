package main

import (
	"fmt"
	"regexp"
	"strconv"
	"strings"
	"time"
)

// stackScenario times one backtrace of a goroutine stopped c.depth frames
// deep in a recursion (testdata/deeprec, -N -l): godbg and dlv `stack
// <depth+100>`, gdb `bt`, from the write of the command to the line of
// its outermost frame.
func stackScenario(c *config) []*Scenario {
	s := &Scenario{
		Name:     "stack",
		Title:    fmt.Sprintf("stack of a goroutine %s frames deep (Go, -N -l), the stack command alone", thousands(c.depth)),
		Baseline: "",
		// No target in the issue: the figures are for comparison.
	}
	tools := []string{"godbg", "gdb", "dlv"}
	prog, err := buildGoFixture(c.tmp, "deeprec", "-gcflags=all=-N -l")
	if err != nil {
		failAll(s, tools, "building the fixture: %v", err)
		return []*Scenario{s}
	}
	n := strconv.Itoa(c.depth)
	stackCmd := fmt.Sprintf("stack %d", c.depth+100) // more than the frames there are
	recFrame := regexp.MustCompile(`\bin main\.rec\b`)
	// godbg and dlv print "N  0x... in runtime.goexit" last (then its
	// "at" line); gdb stops at main.main by default ("backtrace past-main"
	// off): "#1001 0x... in main.main () at .../main.go:34".
	goexit := regexp.MustCompile(`\bin runtime\.goexit\b`)
	gdbMain := regexp.MustCompile(`^(?:\(gdb\) )*#\d+ .* in main\.main \(`)
	stopped := regexp.MustCompile(`(^(?:\(dlv\) )*> .*\bmain\.bottom\(\))|hit Breakpoint 1, main\.bottom `)

	god, gdb, dlv := c.tools["godbg"], c.tools["gdb"], c.tools["dlv"]
	type session struct {
		name    string
		tool    tool
		argv    []string
		run, bt string
		last    *regexp.Regexp // the line of the outermost frame
		exit    string
	}
	sessions := []session{
		{"godbg", god, []string{god.path, "exec", prog, "--", n}, "continue", stackCmd, goexit, ""},
		{"gdb", gdb, gdbArgv(gdb.path, prog, n), "run", "bt", gdbMain, "kill\nquit"},
		{"dlv", dlv, []string{dlv.path, "exec", prog, "--allow-non-terminal-interactive=true", "--", n},
			"continue", stackCmd, goexit, "exit"},
	}
	for _, ss := range sessions {
		c.measure(s, ss.name, ss.tool, func() (time.Duration, string) {
			frames := 0
			steps := []step{
				{cmd: "break main.bottom", what: "breakpoint confirmation", done: func(l string) bool {
					return strings.Contains(l, "Breakpoint 1 ")
				}},
				{cmd: ss.run, what: "stop in main.bottom", done: stopped.MatchString},
				{cmd: ss.bt, what: "the outermost frame (" + ss.last.String() + ")", timed: true, pause: thinkTime,
					done: func(l string) bool {
						if recFrame.MatchString(l) {
							frames++
						}
						return ss.last.MatchString(l)
					},
					check: func(*pipeSession) error {
						if frames != c.depth {
							return fmt.Errorf("printed %d main.rec frames, want %d", frames, c.depth)
						}
						return nil
					}},
			}
			return interactive(c, prog, ss.argv, steps, ss.exit)
		})
	}
	return []*Scenario{s}
}
