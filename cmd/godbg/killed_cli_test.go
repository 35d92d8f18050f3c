package main

import (
	"bufio"
	"fmt"
	"io"
	"os"
	"os/exec"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/godbg/godbg/internal/fixtures"
)

// killLoops is how many times each fixture is run by the SIGKILL tests:
// GODBG_KILL_LOOPS (e.g. 100) for a long run.
func killLoops(def int) int { return envLoops("GODBG_KILL_LOOPS", def) }

// envLoops is the positive number in the environment variable, or def.
func envLoops(name string, def int) int {
	if n, err := strconv.Atoi(os.Getenv(name)); err == nil && n > 0 {
		return n
	}
	return def
}

// startReady starts a fixture that prints "ready <pid>" and then waits for
// a line on stdin; it returns the program, its stdin and its next lines.
func startReady(t *testing.T, bin string, args ...string) (*exec.Cmd, io.WriteCloser, <-chan string) {
	prog := exec.Command(bin, args...)
	in, _ := prog.StdinPipe()
	out, _ := prog.StdoutPipe()
	prog.Stderr = os.Stderr
	if err := prog.Start(); err != nil {
		t.Fatal(err)
	}
	lines := make(chan string, 16)
	go func() {
		sc := bufio.NewScanner(out)
		for sc.Scan() {
			lines <- sc.Text()
		}
		close(lines)
	}()
	if l := <-lines; !strings.HasPrefix(l, "ready") {
		prog.Process.Kill()
		t.Fatalf("fixture said %q", l)
	}
	return prog, in, lines
}

// TestProgramSurvivesKilledDebugger attaches godbg to a program waiting
// on stdin, stops it at a breakpoint that its threads hit, SIGKILLs godbg
// at the prompt and checks the program runs on to its correct end: no
// int3 may be left in its text while it waits for the user.
func TestProgramSurvivesKilledDebugger(t *testing.T) {
	for _, fx := range []struct {
		name, fixture, sum string
		loops              int
	}{
		{"C", "killc.c", "sum 160000", 20},
		{"Go", "killgo", "sum 1000000", 20},
	} {
		t.Run(fx.name, func(t *testing.T) {
			bin := fixtures.Build(t, fx.fixture)
			n := killLoops(fx.loops)
			for i := 0; i < n; i++ {
				if msg := killAtBreakpoint(t, bin, fx.sum); msg != "" {
					t.Fatalf("run %d of %d: %s", i+1, n, msg)
				}
			}
		})
	}
}

// killAtBreakpoint runs one cycle; it returns what went wrong, or "".
func killAtBreakpoint(t *testing.T, bin, sum string) string {
	prog, in, lines := startReady(t, bin)
	defer prog.Process.Kill()
	s := start(t, "attach", strconv.Itoa(prog.Process.Pid))
	s.expect(`^Attached to process`)
	s.send("break hot")
	s.expect(`^Breakpoint 1 set`)
	s.send("continue")
	io.WriteString(in, "go\n")
	s.expect(`^> .*hot\(\)`)
	s.cmd.Process.Kill()
	for range s.lines { // closed once godbg is reaped
	}
	in.Close()
	done := make(chan error, 1)
	go func() {
		var got []string
		for l := range lines {
			got = append(got, l)
		}
		err := prog.Wait()
		if err == nil && (len(got) != 1 || got[0] != sum) {
			err = fmt.Errorf("output %q, want %q", got, sum)
		}
		done <- err
	}()
	select {
	case err := <-done:
		if err != nil {
			return fmt.Sprintf("the program did not survive godbg's SIGKILL: %v", err)
		}
	case <-time.After(20 * time.Second):
		st, _ := os.ReadFile(fmt.Sprintf("/proc/%d/stat", prog.Process.Pid))
		return fmt.Sprintf("the program did not end within 20s after godbg's SIGKILL (stat %s)", st)
	}
	return ""
}
