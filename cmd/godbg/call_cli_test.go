package main

import (
	"fmt"
	"os"
	"path/filepath"
	"regexp"
	"strconv"
	"strings"
	"testing"
)

// allStopped reports whether every thread of pid is in a tracing stop.
func allStopped(t *testing.T, pid string) {
	t.Helper()
	tasks, _ := filepath.Glob("/proc/" + pid + "/task/*/stat")
	for _, f := range tasks {
		b, err := os.ReadFile(f)
		if err != nil {
			continue
		}
		s := string(b)
		if st := strings.Fields(s[strings.LastIndex(s, ")")+1:]); len(st) == 0 || st[0] != "t" {
			t.Errorf("%s: thread not stopped after the call: %q", f, s)
		}
	}
}

func TestCallFunctionsMethodsPanicsAndRefusals(t *testing.T) {
	s, marks, pid := stopAtMarker(t, "callfix", "call")
	s.send("regs")
	rip := s.expect(`^\s*rip = (0x[0-9a-f]+)`)[1]
	for _, c := range []struct{ cmd, want string }{
		{"call sum(x, 777)", `~r0: 777777`},
		{"call greet(name)", `~r0: "hello gopher"`},
		{`call greet("lit")`, `~r0: "hello lit"`},
		{"call t.Double()", `~r0: 42`},
		{"call p.Add(3)", `~r0: 8`},
		{"call p.Double()", `~r0: 16`},
		{"call t.String()", `~r0: "T\(21\)"`},
		{"call boom(7)", `~panic: .*"boom 7"`},
		{"call mk(3)", `~r0: \[\]int len: 3, cap: 3, \[0,1,4\]`},
		{`call lookup(m, "b")`, `~r0: 2`},
		{"call scale(1.5, 4)", `~r0: 6`},
		{"call half(3)", `~r0: 1.5`},
	} {
		s.send(c.cmd)
		s.expect(`^> main\.main\(\) .*callfix/main\.go:` + strconv.Itoa(marks["call"]) + ` \(PC: 0x[0-9a-f]+\)$`)
		s.expect(`^Values returned:$`)
		s.expect(`^\t` + c.want + `$`)
		allStopped(t, pid)
	}
	for _, c := range []struct{ cmd, want string }{
		{"call sum(1)", `main\.sum: it takes 2 arguments, 1 given`},
		{"call sum(name, 1)", `argument 1 \(name\): it is string, the parameter is int`},
		{"call scale(x, 2)", `argument 1 \(x\): it is int, the parameter is float64`},
		{"print sum(1, 2)", `use call sum\(1, 2\)`},
		{"call nosuch()", `no function nosuch`},
		{"call x + 1", `not a function call`},
	} {
		s.send(c.cmd)
		s.expect(`^Command failed: .*` + c.want)
	}
	s.send("regs")
	if got := s.expect(`^\s*rip = (0x[0-9a-f]+)`)[1]; got != rip {
		t.Errorf("after the calls the thread is at %s, it stopped at %s", got, rip)
	}
	if pc := procPC(t, pid, pid); fmt.Sprintf("0x%016x", mustHex(t, pc)) != rip {
		t.Errorf("/proc says the thread is at %s, regs %s", pc, rip)
	}
	// A thread running no goroutine (sysmon, an idle M) is refused.
	s.send("threads")
	s.send("print 1")
	s.expect(`^1$`)
	var idle string
	for _, l := range strings.Split(s.output(), "\n") {
		if m := threadLine.FindStringSubmatch(l); m != nil && !strings.Contains(l, "goroutine") {
			idle = m[1]
		}
	}
	if idle == "" {
		t.Errorf("no thread without a goroutine (sysmon has none)")
	} else {
		s.send("thread " + idle)
		s.send("call sum(1, 2)")
		s.expect(`^Command failed: cannot call on thread ` + idle + `: it runs no goroutine`)
		s.send("thread " + pid)
	}
	// Stopped inside the runtime: not a safe point; the runtime says why.
	s.send("break runtime.growslice")
	s.send("continue")
	s.expect(`^> \[Breakpoint 2\] runtime\.growslice\(\)`)
	s.send("call sum(1, 2)")
	s.expect(`^Command failed: cannot call main\.sum here: call from within the Go runtime$`)
	s.send("clear 2")
	out := runToExit(s)
	// The program saw the calls' effects once each: p.N 5+3, calls 1.
	if !regexp.MustCompile(`(?m)^before 21 8 777000 gopher 2$`).MatchString(out) ||
		!regexp.MustCompile(`(?m)^after 21 8 1 20 xxx$`).MatchString(out) {
		t.Errorf("the program's output does not show each call's effect exactly once:\n%s", out)
	}
}

func mustHex(t *testing.T, s string) uint64 {
	t.Helper()
	v, err := strconv.ParseUint(strings.TrimPrefix(s, "0x"), 16, 64)
	if err != nil {
		t.Fatal(err)
	}
	return v
}
