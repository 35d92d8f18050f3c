package main

import (
	"fmt"
	"os"
	"regexp"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/godbg/godbg/internal/fixtures"
)

// targetPids parses target list output: pid → line.
func targetPids(t *testing.T, s *session, n int) map[int]string {
	t.Helper()
	s.send("target list")
	out := map[int]string{}
	for len(out) < n {
		m := s.expect(`^([ *]) (\d+) (.*)$`)
		pid, _ := strconv.Atoi(m[2])
		out[pid] = m[1] + m[3]
	}
	return out
}

func tracedBy(t *testing.T, pid int) int {
	t.Helper()
	tp, err := fixtures.TracerPid(pid)
	if err != nil {
		t.Fatalf("process %d: %v", pid, err)
	}
	return tp
}

// tracedByGodbg checks that pid is traced by a thread of the godbg
// process (TracerPid is the tracer thread's id, not its process's).
func tracedByGodbg(t *testing.T, s *session, pid int) {
	t.Helper()
	tp := tracedBy(t, pid)
	if tp == 0 {
		t.Errorf("process %d is not traced", pid)
		return
	}
	if _, err := os.Stat(fmt.Sprintf("/proc/%d/task/%d", s.cmd.Process.Pid, tp)); err != nil {
		t.Errorf("process %d traced by %d, not a thread of godbg (pid %d)", pid, tp, s.cmd.Process.Pid)
	}
}

func TestFollowForkModeChild(t *testing.T) {
	bin := fixtures.Build(t, "forkfix.c")
	s := start(t, "exec", bin, "--", "chain")
	s.send("set follow-fork-mode child")
	s.send("break level")
	s.send("continue")
	top, _ := strconv.Atoi(s.expect(`\[process (\d+) forked child process \d+, kept as a target\]`)[1])
	s.expect(`\[detached from process`)
	m := s.expect(`^> \[Breakpoint 1\] level\(\) .*forkfix.c:\d+ \(hits thread\((\d+)\):1 total:1\)`)
	grand, _ := strconv.Atoi(m[1])
	s.send("regs")
	rdi := regValue(t, waitFor(s, "rdi"), "rdi")
	if rdi != 2 {
		t.Errorf("level(%d) hit first, want the grandchild's level(2)", rdi)
	}
	tg := targetPids(t, s, 1)
	if _, ok := tg[grand]; !ok || len(tg) != 1 {
		t.Errorf("target list %v, want only the grandchild %d", tg, grand)
	}
	tracedByGodbg(t, s, grand)
	if ok, st := fixtures.AllStopped(grand); !ok {
		t.Errorf("grandchild not stopped: %v", st)
	}
	if tp := tracedBy(t, top); tp != 0 {
		t.Errorf("the parent %d we left is still traced by %d", top, tp)
	}
	s.send("continue")
	s.expect(`^Process ` + strconv.Itoa(grand) + ` has exited with status 12`)
	if code := s.end(); code != 0 {
		t.Fatalf("exit %d\n%s", code, s.output())
	}
	// The let-go parents finish on their own, unharmed by our int3s.
	for !strings.Contains(s.output(), "level 0 pid "+strconv.Itoa(top)) {
		if !alive(top) {
			t.Fatalf("the top parent ended without running level(0):\n%s", s.output())
		}
		time.Sleep(10 * time.Millisecond)
	}
}

// waitFor sends nothing; it collects lines until one contains key and
// returns them joined.
func waitFor(s *session, key string) string {
	var b strings.Builder
	for {
		l := s.expect(`.*`)[0]
		b.WriteString(l + "\n")
		if strings.Contains(l, key+" =") {
			return b.String()
		}
	}
}

func TestDetachOnForkOffKeepsEveryProcess(t *testing.T) {
	bin := fixtures.Build(t, "forkfix.c")
	s := start(t, "exec", bin, "--", "chain")
	s.send("set detach-on-fork off")
	s.send("break level")
	s.send("continue")
	m := s.expect(`^\[process (\d+)\] > \[Breakpoint 1\] level\(\)`)
	grand, _ := strconv.Atoi(m[1])
	tg := targetPids(t, s, 3)
	if !strings.HasPrefix(tg[grand], "*") {
		t.Errorf("grandchild %d not current in %v", grand, tg)
	}
	var top, child int
	for pid, line := range tg {
		if !strings.Contains(line, "chain") {
			t.Errorf("target %d: %q", pid, line)
		}
		tracedByGodbg(t, s, pid)
		if ok, st := fixtures.AllStopped(pid); !ok {
			t.Errorf("target %d not stopped while the session is: %v", pid, st)
		}
		switch {
		case strings.Contains(line, "child of "+strconv.Itoa(pid)):
		case !strings.Contains(line, "child of"):
			top = pid
		case pid != grand:
			child = pid
		}
	}
	if top == 0 || child == 0 {
		t.Fatalf("target list: %v", tg)
	}
	s.send("target switch " + strconv.Itoa(top))
	s.expect(`^Current target is process ` + strconv.Itoa(top))
	s.send("threads")
	s.expect(`^\* Thread ` + strconv.Itoa(top) + ` at`)
	s.send("target switch 1")
	s.expect(`process 1 is not a target; target list shows them`)
	// The grandchild's exit is an event: the current target is the top one.
	s.send("continue")
	s.expect(`^\[process ` + strconv.Itoa(grand) + ` exited with status 12\]`)
	s.expect(`^\[process ` + strconv.Itoa(child) + `\] > \[Breakpoint 1\] level\(\) .* total:2\)`)
	// The child's exit too, although it is the current target: the
	// continue goes on to the top process's breakpoint (Delve's groups).
	s.send("continue")
	s.expect(`^\[process ` + strconv.Itoa(child) + ` exited with status 11\]`)
	s.expect(`^> \[Breakpoint 1\] level\(\) .* total:3\)`)
	s.send("target list")
	s.expect(`^\* ` + strconv.Itoa(top) + ` `)
	s.send("continue")
	s.expect(`^Process ` + strconv.Itoa(top) + ` has exited with status 0`)
	if code := s.end(); code != 0 {
		t.Fatalf("exit %d\n%s", code, s.output())
	}
}

func TestFollowExecRegexFollowsOnlyMatchingChildren(t *testing.T) {
	forkfix := fixtures.Build(t, "forkfix.c")
	gospawn := fixtures.Build(t, "gospawn")
	for _, c := range []struct {
		name string
		args []string
	}{
		{"fork", []string{forkfix, "--", "spawn", "alpha", "beta", "gamma"}},
		{"vfork", []string{forkfix, "--", "vspawn", "alpha", "beta", "gamma"}},
		{"go-os-exec", []string{gospawn, "--", forkfix, "alpha", "beta", "gamma"}},
	} {
		t.Run(c.name, func(t *testing.T) {
			s := start(t, append([]string{"exec"}, c.args...)...)
			s.send("target follow-exec -on leaf.beta")
			s.send("target follow-exec")
			s.expect(`Follow exec mode is enabled for command lines matching "leaf.beta"`)
			s.send("break leaf_work")
			if c.name == "go-os-exec" {
				s.expect(`Breakpoint 1 pending: leaf_work is not in the current program`)
			}
			s.send("continue")
			beta := s.expect(`^leaf beta pid (\d+)`)[1]
			s.expect(`^\[process ` + beta + `\] > \[Breakpoint 1\] leaf_work\(\) .*forkfix.c:\d+ \(hits thread\(` + beta + `\):1 total:1\)`)
			pid, _ := strconv.Atoi(beta)
			tracedByGodbg(t, s, pid)
			tg := targetPids(t, s, 2)
			if !strings.Contains(tg[pid], "leaf beta") {
				t.Errorf("target list %v lacks the beta child", tg)
			}
			// The followed child's exit is an event; the continue goes on.
			s.send("continue")
			s.expect(`^\[process ` + beta + ` exited with status 3\]`)
			s.expect(`^Process \d+ has exited with status 0`)
			if code := s.end(); code != 0 {
				t.Fatalf("exit %d\n%s", code, s.output())
			}
			out := s.output()
			if strings.Contains(out, "total:2") {
				t.Errorf("breakpoint hit in a child that did not match:\n%s", out)
			}
			for _, tag := range []string{"alpha", "beta", "gamma"} {
				if !strings.Contains(out, "child "+tag+" status 3") {
					t.Errorf("child %s did not finish normally:\n%s", tag, out)
				}
			}
		})
	}
}

func TestCatchForkAndExec(t *testing.T) {
	bin := fixtures.Build(t, "forkfix.c")
	for _, mode := range []string{"spawn", "vspawn"} {
		t.Run(mode, func(t *testing.T) {
			kind := map[string]string{"spawn": "fork", "vspawn": "vfork"}[mode]
			s := start(t, "exec", bin, "--", mode, "alpha")
			s.send("set detach-on-fork off")
			s.send("catch " + kind)
			s.send("catch exec")
			s.send("continue")
			m := s.expect(`^\[Catchpoint 1\] Process (\d+) ` + kind + `ed child process (\d+)`)
			child, _ := strconv.Atoi(m[2])
			tracedByGodbg(t, s, child)
			s.send("continue")
			s.expect(`^\[process ` + m[2] + `\] \[Catchpoint 2\] Process ` + m[2] + ` executed \S*forkfix\S* leaf alpha`)
			s.send("breakpoints")
			s.expect(`^\[Catchpoint 1\] catch ` + kind)
			s.expect(`hits total:1`)
			s.send("continue")
			s.expect(`^\[process ` + m[2] + ` exited with status 3\]`)
			s.expect(`^Process ` + m[1] + ` has exited with status 0`)
			s.end()
		})
	}
}

func TestFollowForkModeAsk(t *testing.T) {
	bin := fixtures.Build(t, "forkfix.c")
	s := start(t, "exec", bin, "--", "spawn", "alpha")
	s.send("set follow-fork-mode ask")
	s.send("break leaf_work")
	s.send("continue")
	m := s.expect(`^Process (\d+) forked child process (\d+)`)
	s.send("sideways")
	s.expect(`Please answer parent or child`)
	s.send("child")
	s.expect(`^Following process ` + m[2])
	parent, _ := strconv.Atoi(m[1])
	if tp := tracedBy(t, parent); tp != 0 {
		t.Errorf("parent %d still traced by %d after following the child", parent, tp)
	}
	s.send("continue")
	s.expect(`^> \[Breakpoint 1\] leaf_work\(\) .*\(thread ` + m[2] + `\)`)
	s.send("continue")
	s.expect(`^Process ` + m[2] + ` has exited with status 3`)
	s.end()
	// The parent, let go, reaps the child on its own.
	if !strings.Contains(s.output(), "child alpha status 3") {
		t.Fatalf("the parent did not finish:\n%s", s.output())
	}
}

func TestForkSettingsBadInput(t *testing.T) {
	bin := fixtures.Build(t, "forkfix.c")
	out, _ := run(t, "set follow-fork-mode sideways\nset detach-on-fork maybe\ntarget switch 999999999\ntarget switch x\n"+
		"target follow-exec -on (\ntarget bogus\ntarget\ncatch fork now\ncontinue\n", "exec", bin, "--", "spawn", "alpha")
	for _, want := range []string{
		`follow-fork-mode "sideways": use parent, child or ask`,
		`detach-on-fork "maybe": use on or off`,
		`process 999999999 is not a target; target list shows them`,
		`target switch "x": not a pid`,
		`bad follow-exec regular expression "("`,
		`target bogus: unknown subcommand`,
		`usage: target list`,
		`catch fork takes no arguments`,
		`has exited with status 0`,
	} {
		if !strings.Contains(out, want) {
			t.Errorf("output lacks %q", want)
		}
	}
	if t.Failed() {
		t.Log(out)
	}
}

// --trace-syscalls follows children, as strace -f does.
func TestTraceSyscallsFollowsChildren(t *testing.T) {
	bin := fixtures.Build(t, "forkfix.c")
	out, code := run(t, "continue\n", "exec", "--trace-syscalls", bin, "--", "spawn", "alpha")
	m := regexp.MustCompile(`leaf alpha pid (\d+)`).FindStringSubmatch(out)
	if code != 0 || m == nil {
		t.Fatalf("exit %d\n%s", code, out)
	}
	for _, want := range []string{
		`[thread ` + m[1] + `] write(1, "leaf alpha pid ` + m[1] + `\n", `,
		`[thread ` + m[1] + `] exit_group(3) = ?`,
		`[process ` + m[1] + ` exited with status 3]`,
		`write(1, "child alpha status 3\n", 21) = 21`,
	} {
		if !strings.Contains(out, want) {
			t.Errorf("output lacks %q", want)
		}
	}
	if t.Failed() {
		t.Log(out)
	}
}

// detach with several targets lets only the current one go, untouched,
// and the session goes on with the others.
func TestDetachOneOfSeveralTargets(t *testing.T) {
	bin := fixtures.Build(t, "forkfix.c")
	s := start(t, "exec", bin, "--", "chain")
	s.send("set detach-on-fork off")
	s.send("break level")
	s.send("continue")
	grand := s.expect(`^\[process (\d+)\] > \[Breakpoint 1\] level\(\)`)[1]
	s.send("detach")
	s.expect(`^Detached from process ` + grand)
	now := s.expect(`^Current target is now process (\d+)`)[1]
	pid, _ := strconv.Atoi(grand)
	if tp := tracedBy(t, pid); tp != 0 {
		t.Errorf("detached process %d still traced by %d", pid, tp)
	}
	s.send("continue")
	s.expect(`^\[process (\d+)\] > \[Breakpoint 1\] level\(\) .* total:2\)`)
	s.send("target list")
	s.expect(`^[ *] ` + now + ` `)
	if code := s.end(); code != 0 {
		t.Fatalf("exit %d\n%s", code, s.output())
	}
	// It ran on by itself, without our int3 (its output may come before
	// or after the detach message).
	if !strings.Contains(s.output(), "level 2 pid "+grand+"\n") {
		t.Fatalf("the detached process did not finish:\n%s", s.output())
	}
}
