package main

import (
	"fmt"
	"os"
	"regexp"
	"strconv"
	"strings"
	"syscall"
	"time"
)

// What testdata/sysloop.c does (its constants GETPIDS and WRITES).
const (
	sysloopGetpids = 100000
	sysloopWrites  = 10000
)

// loopNS is sysloop's report of its getpid loop's duration.
var loopNS = regexp.MustCompile(`sysloop getpid-loop-ns (\d+)`)

// godbgExited is godbg's message for a clean end of the program.
var godbgExited = regexp.MustCompile(`Process \d+ has exited with status 0\n`)

// syscallsScenario times a C program that makes many cheap system calls,
// from launch to exit: natively, under strace -f, under godbg tracing every
// call, and under godbg with a catchpoint on a call the program never makes
// (so every stop it takes is overhead). The "loop" results time only the
// program's 100,000-getpid loop (the program measures it): natively, and
// under godbg --catch-syscalls write, which stops at each of the 10,000
// writes through a seccomp-bpf filter and must leave getpid alone.
func syscallsScenario(c *config) *Scenario {
	s := &Scenario{
		Name: "syscalls",
		Title: fmt.Sprintf("system calls, C program making %d getpid + %d write(1, \"x\\n\", 2) calls, launch to exit",
			sysloopGetpids, sysloopWrites),
		Baseline: "native",
		Target: Target{Text: "godbg trace <= 1.5x strace -f", Unit: "x_ref", Limit: 1.5,
			Tool: "godbg trace", Ref: "strace"},
		More: []Target{{Text: "getpid loop under godbg --catch-syscalls write <= 1.2x native loop", Unit: "x_ref", Limit: 1.2,
			Tool: "godbg filter loop", Ref: "native loop"}},
	}
	prog := c.bins["sysloop"]
	done := fmt.Sprintf("sysloop getpid %d write %d ok\n", sysloopGetpids, sysloopWrites) // on stderr, last
	// godbg --trace-syscalls prints a line per completed call, besides the
	// program's own "x" lines.
	traceLines := sysloopGetpids + 2*sysloopWrites

	type session struct {
		name     string
		tool     tool
		argv     []string
		stdin    string
		exited   bool // godbg: must print "Process N has exited with status 0"
		minLines int  // at least this many output lines
	}
	god, strace := c.tools["godbg"], c.tools["strace"]
	sessions := []session{
		{"native", tool{path: prog}, []string{prog}, "", false, sysloopWrites},
		{"strace", strace, []string{strace.path, "-f", "-o", os.DevNull, prog}, "", false, sysloopWrites},
		// Input ends after "continue", which ends the session.
		{"godbg trace", god, []string{god.path, "exec", "--trace-syscalls", prog}, "continue\n", true, traceLines},
		// Syscall 999 does not exist: the catchpoint never fires; without
		// a filter every call still stops twice (PTRACE_SYSCALL).
		{"godbg catch", god, []string{god.path, "exec", prog}, "catch syscall 999\ncontinue\n", true, sysloopWrites},
		// The same catchpoint given up front: a seccomp filter.
		{"godbg filter", god, []string{god.path, "exec", "--catch-syscalls", "999", prog}, "continue\n", true, sysloopWrites},
		{"native loop", tool{path: prog}, []string{prog}, "", false, sysloopWrites},
		// Each write (and the final report on stderr) stops at entry and exit:
		// one continue per stop.
		{"godbg filter loop", god, []string{god.path, "exec", "--catch-syscalls", "write", prog},
			strings.Repeat("continue\n", 2*(sysloopWrites+1)+1), true, sysloopWrites},
	}
	for _, ss := range sessions {
		c.measure(s, ss.name, ss.tool, func() (time.Duration, string) {
			// stdout and stderr go to a drained pipe.
			o := run(ss.argv, ss.stdin, c.timeout)
			f := o.failure()
			switch {
			case f != "":
			case !strings.Contains(o.out, done):
				f = fmt.Sprintf("output lacks %q; output ends: %s", strings.TrimSpace(done), lastLines(o.out, 3))
			case ss.exited && !godbgExited.MatchString(o.out):
				f = fmt.Sprintf("output lacks \"Process N has exited with status 0\"; output ends: %s", lastLines(o.out, 3))
			case o.lines < ss.minLines:
				f = fmt.Sprintf("only %d output lines, want >= %d; output ends: %s", o.lines, ss.minLines, lastLines(o.out, 3))
			}
			if left := pidsRunning(prog); len(left) > 0 {
				for _, p := range left {
					syscall.Kill(p, syscall.SIGKILL)
				}
				if f != "" {
					f += "; "
				}
				f += fmt.Sprintf("LEFT THE PROGRAM RUNNING (pid %v, killed)", left)
			}
			if strings.HasSuffix(ss.name, " loop") && f == "" {
				m := loopNS.FindStringSubmatch(o.out)
				if m == nil {
					return o.dur, "output lacks the getpid loop time"
				}
				ns, _ := strconv.ParseInt(m[1], 10, 64)
				return time.Duration(ns), ""
			}
			return o.dur, f
		})
	}
	return s
}
