package main

import (
	"fmt"
	"os"
	"os/exec"
	"path/filepath"
	"strconv"
	"strings"
	"syscall"
	"time"
)

// attachScenario times one whole attach-then-detach session per tool on a
// C process with c.sleepers sleeping threads, and checks after every session
// that the target runs on untraced and unstopped.
func attachScenario(c *config) *Scenario {
	s := &Scenario{
		Name:     "attach",
		Title:    fmt.Sprintf("attach+detach, C process with %d sleeping threads", c.sleepers),
		Baseline: "bare ptrace",
		Target:   Target{Text: "godbg <= 0.10 s", Unit: "s", Limit: 0.10},
	}
	dlvInit := filepath.Join(c.tmp, "dlv-attach.init")
	os.WriteFile(dlvInit, []byte("exit\n"), 0o644)

	type session struct {
		name  string
		tool  tool
		argv  func(t tool, pid string) []string
		stdin string
		check func(out string) string // extra check of the tool's output
	}
	sessions := []session{
		{"bare ptrace", tool{path: c.bins["bareattach"]},
			func(t tool, pid string) []string { return []string{t.path, pid} }, "",
			func(out string) string {
				if want := fmt.Sprintf("attached %d threads", c.sleepers+1); !strings.Contains(out, want) {
					return "expected " + strconv.Quote(want) + ", got " + strconv.Quote(lastLines(out, 2))
				}
				return ""
			}},
		// End of input after "detach" ends the session.
		{"godbg", c.tools["godbg"],
			func(t tool, pid string) []string { return []string{t.path, "attach", pid} }, "detach\n", nil},
		{"gdb", c.tools["gdb"],
			func(t tool, pid string) []string {
				return []string{t.path, "-p", pid, "-batch", "-nx",
					"-iex", "set debuginfod enabled off", "-ex", "detach"}
			}, "", nil},
		// dlv runs "exit" from the init file, then asks "Would you like to
		// kill the process? [Y/n]" and reads the "n" from stdin: it detaches.
		{"dlv", c.tools["dlv"],
			func(t tool, pid string) []string {
				return []string{t.path, "attach", pid, "--allow-non-terminal-interactive=true", "--init", dlvInit}
			}, "n\n", nil},
	}
	for _, ss := range sessions {
		r := &Result{Tool: ss.name}
		s.Results = append(s.Results, r)
		if c.skipped(r, ss.tool) {
			continue
		}
		fx, err := startSleepers(c)
		if err != nil {
			r.fail("fixture: %v", err)
			continue
		}
		pid := strconv.Itoa(fx.pid)
		c.series(r, func() (time.Duration, string) {
			o := run(ss.argv(ss.tool, pid), ss.stdin, c.timeout)
			if f := o.failure(); f != "" {
				if p := checkRunning(fx.pid, c.sleepers+1); p != "" {
					f += "; and the target: " + p
				}
				return 0, f
			}
			if ss.check != nil {
				if f := ss.check(o.out); f != "" {
					return 0, f
				}
			}
			// A stop left pending by a sloppy detach shows up within
			// microseconds; give it a moment (not timed) before looking.
			time.Sleep(20 * time.Millisecond)
			if p := checkRunning(fx.pid, c.sleepers+1); p != "" {
				return 0, "AFTER DETACH THE TARGET IS BROKEN: " + p
			}
			return o.dur, ""
		})
		fx.stop()
	}
	return s
}

type fixture struct {
	pid int
	cmd *exec.Cmd
}

// startSleepers starts the sleepers fixture and waits for its "ready" line.
func startSleepers(c *config) (*fixture, error) {
	return startProgram(c.bins["sleepers"], strconv.Itoa(c.sleepers))
}

// stop kills the fixture (even if it is stopped or traced) and reaps it.
func (f *fixture) stop() {
	syscall.Kill(-f.pid, syscall.SIGKILL)
	syscall.Kill(f.pid, syscall.SIGKILL)
	f.cmd.Wait()
	untrack(f.pid)
}
