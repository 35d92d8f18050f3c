package main

import (
	"strconv"
	"strings"
	"time"
)

// firstPrintScenario times the first print after a stop on the big Go binary
// of the load scenario (testdata/bigprog, plain go build): stopped on the
// line marked L:kept, after the usual reading time, `print keep[2]`, an
// interface holding a function, from the write of the command to its
// value. The first value read in a session needs the binary's variable,
// function and type indexes; a debugger may build them while the person
// reads the stop (godbg) or at launch (dlv). No gdb: it prints Go
// interfaces as their runtime structs.
func firstPrintScenario(c *config) *Scenario {
	s := &Scenario{
		Name:  "print",
		Title: "first print after a stop, an interface holding a function, on a big Go binary, the print command alone",
		// No target in an issue: the figures are for comparison.
	}
	tools := []string{"godbg", "dlv"}
	prog, err := buildGoFixture(c.tmp, "bigprog")
	if err != nil {
		failAll(s, tools, "building the fixture: %v", err)
		return s
	}
	line, err := fixtureLine("bigprog", "// L:kept")
	if err != nil {
		failAll(s, tools, "fixture: %v", err)
		return s
	}
	for _, ss := range goDebuggerSessions(c, prog) {
		c.measure(s, ss.name, ss.tool, func() (time.Duration, string) {
			steps := []step{
				{cmd: "break main.go:" + strconv.Itoa(line), what: "breakpoint confirmation", done: func(l string) bool {
					return strings.Contains(l, "Breakpoint 1 ")
				}},
				{cmd: "continue", what: "stop on line " + strconv.Itoa(line), done: stoppedAt(line)},
				{cmd: "print keep[2]", what: "the value bufio.NewReader", timed: true, pause: thinkTime,
					done: func(l string) bool { return strings.Contains(l, "bufio.NewReader") }},
			}
			return interactive(c, prog, ss.argv, steps, ss.exit)
		})
	}
	return s
}
