package main

import (
	"fmt"
	"strconv"
)

// condChurnScenario times a C program that creates and joins 4 threads per
// round (c.churn/4 rounds), natively and under godbg and gdb, each with a
// breakpoint on the threads' function whose condition is never true
// (issue 18, fault 3), and without it.
func condChurnScenario(c *config) *Scenario {
	rounds := c.churn / 4
	s := &Scenario{
		Name:     "condchurn",
		Title:    fmt.Sprintf("conditional breakpoint under thread churn, C (-O2) %d rounds of 4 threads, `break work if i == -1`, launch to exit", rounds),
		Baseline: "native",
		Target:   Target{Text: "godbg <= 1.0x gdb", Unit: "x_ref", Limit: 1.0, Ref: "gdb"},
	}
	prog, n := c.bins["churnrounds"], strconv.Itoa(rounds)
	done := fmt.Sprintf("done %d ", rounds)
	god, gdb := c.tools["godbg"], c.tools["gdb"]
	gdbArgs := func(ex ...string) []string {
		a := []string{gdb.path, "-batch", "-nx", "-iex", "set debuginfod enabled off"}
		for _, e := range ex {
			a = append(a, "-ex", e)
		}
		return append(a, "--args", prog, n)
	}
	sessions := []runSession{
		{"native", tool{path: prog}, []string{prog, n}, "", []string{done}},
		{"godbg", god, []string{god.path, "exec", prog, "--", n}, "break work if i == -1\ncontinue\n",
			[]string{done, "exited with status 0"}},
		{"godbg no bp", god, []string{god.path, "exec", prog, "--", n}, "continue\n",
			[]string{done, "exited with status 0"}},
		{"gdb", gdb, gdbArgs("break work if i == -1", "run"), "", []string{done, "exited normally"}},
		{"gdb no bp", gdb, gdbArgs("run"), "", []string{done, "exited normally"}},
	}
	c.runSessions(s, prog, sessions)
	return s
}
