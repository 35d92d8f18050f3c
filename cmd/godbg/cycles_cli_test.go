package main

import (
	"fmt"
	"os"
	"regexp"
	"strconv"
	"strings"
	"syscall"
	"testing"
	"time"

	"github.com/godbg/godbg/internal/fixtures"
)

// TestAttachCycles attaches godbg again and again to one thread-churning
// C program and one Go program of 1,000 goroutines, each time with a
// false-condition breakpoint the program hits all the time: continue,
// Ctrl-C (SIGINT to godbg), detach. Every cycle must halt and detach, the
// program must never die, stop or stay traced, and its mappings after
// the last detach must be those before the first attach.
// GODBG_CYCLES sets the number of cycles per program (by default 30 for
// C, 15 for Go, whose cycles take ten times longer).
func TestAttachCycles(t *testing.T) {
	for _, fx := range []struct {
		name, fixture, bp string
		goRuntime         bool
		n                 int
	}{
		{"C churn", "churn.c", "break work if n == -1", false, 30},
		{"Go 1000 goroutines", "gomany", "break main.work if i == -1", true, 15},
	} {
		n := fx.n
		if v, err := strconv.Atoi(os.Getenv("GODBG_CYCLES")); err == nil && v > 0 {
			n = v
		}
		t.Run(fx.name, func(t *testing.T) {
			prog := fixtures.Start(t, fixtures.Build(t, fx.fixture))
			go func() {
				for range prog.Lines {
				}
			}()
			before := stableMaps(t, prog.Pid)
			tids, _ := fixtures.Tids(prog.Pid)
			presses := 0
			start := time.Now()
			for i := 0; i < n; i++ {
				presses += attachCycle(t, prog.Pid, fx.bp, i)
			}
			t.Logf("%d cycles in %v, %d Ctrl-C presses", n, time.Since(start).Round(time.Millisecond), presses)
			after := stableMaps(t, prog.Pid)
			if after == before {
				return
			}
			// The Go runtime starts threads when its own are stopped for a
			// while and grows its private anonymous memory for them: that
			// is the program's, not ours (ours is executable).
			if fx.goRuntime && ownMaps(after) == ownMaps(before) {
				now, _ := fixtures.Tids(prog.Pid)
				t.Logf("the runtime's anonymous rw memory changed (threads %d before, %d after):\nbefore:\n%s\nafter:\n%s",
					len(tids), len(now), before, after)
				return
			}
			t.Fatalf("mappings changed:\nbefore:\n%s\nafter:\n%s", before, after)
		})
	}
}

// attachCycle runs one session; it returns how many Ctrl-Cs it took.
func attachCycle(t *testing.T, pid int, bp string, i int) int {
	s := start(t, "attach", strconv.Itoa(pid))
	s.expect(`^Attached to process`)
	s.send(bp)
	s.expect(`^Breakpoint 1 set`)
	s.send("continue")
	time.Sleep(20 * time.Millisecond)
	presses := 0
	for halted := false; !halted; {
		if presses == 5 {
			t.Fatalf("cycle %d: 5 Ctrl-Cs did not halt the program; output:\n%s", i, s.output())
		}
		presses++
		s.cmd.Process.Signal(syscall.SIGINT)
		halted = s.within(`^Process \d+ halted`, 3*time.Second)
	}
	s.send("detach")
	if code := s.end(); code != 0 {
		t.Fatalf("cycle %d: godbg exit %d; output:\n%s", i, code, s.output())
	}
	if !alive(pid) {
		t.Fatalf("cycle %d: the program died; output:\n%s", i, s.output())
	}
	checkRunning(t, pid)
	return presses
}

// within reports whether a line matching re came within d.
func (s *session) within(re string, d time.Duration) bool {
	rx := regexp.MustCompile(re)
	timer := time.After(d)
	for {
		select {
		case l, ok := <-s.lines:
			if !ok {
				return false
			}
			if rx.MatchString(l) {
				return true
			}
		case <-timer:
			return false
		}
	}
}

// stableMaps reads /proc/PID/maps until two reads agree (threads come and
// go in a churning program).
func stableMaps(t *testing.T, pid int) string {
	t.Helper()
	prev := ""
	for i := 0; i < 50; i++ {
		b, err := os.ReadFile(fmt.Sprintf("/proc/%d/maps", pid))
		if err != nil {
			t.Fatal(err)
		}
		if string(b) == prev {
			return prev
		}
		prev = string(b)
		time.Sleep(10 * time.Millisecond)
	}
	t.Fatalf("the mappings of %d keep changing", pid)
	return ""
}

// ownMaps drops the anonymous private read-write mappings from a maps
// listing: what remains is every file, every executable area (a debugger's
// scratch memory would be one) and every special mapping.
func ownMaps(maps string) string {
	var keep []string
	for _, l := range strings.Split(maps, "\n") {
		f := strings.Fields(l)
		if len(f) == 5 && f[1] == "rw-p" && f[4] == "0" {
			continue
		}
		keep = append(keep, l)
	}
	return strings.Join(keep, "\n")
}
