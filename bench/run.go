package main

import (
	"bytes"
	"errors"
	"fmt"
	"os"
	"os/exec"
	"path/filepath"
	"strconv"
	"strings"
	"sync"
	"syscall"
	"time"
)

// outcome is what one timed run of a command produced.
type outcome struct {
	dur      time.Duration
	err      error  // start failure or non-zero exit
	timedOut bool   // killed by the per-run timeout
	out      string // tail of combined stdout+stderr
	maxrss   int64  // peak RSS of the command in KiB (wait4's ru_maxrss)
	lines    int    // newlines in the whole combined output, not just the tail
}

// failure describes a failed run in one line, with the output's last lines.
func (o outcome) failure() string {
	var why string
	switch {
	case o.timedOut:
		why = fmt.Sprintf("timed out after %.1f s (killed)", o.dur.Seconds())
	case o.err != nil:
		why = o.err.Error()
	default:
		return ""
	}
	if t := lastLines(o.out, 3); t != "" {
		why += "; output ends: " + t
	}
	return why
}

// run starts argv with the given stdin text, waits for it, and times it from
// just before fork to exit. The command gets its own process group; on
// timeout it and all its descendants are killed.
func run(argv []string, stdin string, timeout time.Duration) outcome {
	cmd := exec.Command(argv[0], argv[1:]...)
	cmd.Stdin = strings.NewReader(stdin)
	tail := &tailBuffer{max: 64 << 10}
	cmd.Stdout, cmd.Stderr = tail, tail
	cmd.SysProcAttr = &syscall.SysProcAttr{Setpgid: true}
	cmd.WaitDelay = 2 * time.Second // an inferior left holding the pipe must not hang us

	start := time.Now()
	if err := cmd.Start(); err != nil {
		return outcome{err: err}
	}
	pid := cmd.Process.Pid
	track(pid)
	defer untrack(pid)
	var timedOut bool
	var mu sync.Mutex
	timer := time.AfterFunc(timeout, func() {
		mu.Lock()
		timedOut = true
		mu.Unlock()
		killTree(pid)
	})
	err := cmd.Wait()
	dur := time.Since(start)
	timer.Stop()
	mu.Lock()
	defer mu.Unlock()
	if err != nil {
		var ee *exec.ExitError
		if errors.As(err, &ee) && ee.Exited() {
			err = fmt.Errorf("exit status %d", ee.ExitCode())
		}
	}
	var maxrss int64
	if cmd.ProcessState != nil {
		if ru, ok := cmd.ProcessState.SysUsage().(*syscall.Rusage); ok {
			maxrss = ru.Maxrss // KiB on Linux
		}
	}
	return outcome{dur: dur, err: err, timedOut: timedOut, out: tail.String(), maxrss: maxrss, lines: tail.lines()}
}

// tailBuffer keeps the last max bytes written to it.
type tailBuffer struct {
	mu  sync.Mutex
	max int
	buf []byte
	nl  int // newlines written in all
}

func (t *tailBuffer) Write(p []byte) (int, error) {
	t.mu.Lock()
	defer t.mu.Unlock()
	t.buf = append(t.buf, p...)
	t.nl += bytes.Count(p, []byte{'\n'})
	// Trim only once twice the limit is reached, so that a tool printing
	// many short lines (godbg --trace-syscalls) costs O(1) per byte, not a
	// copy of max bytes per write.
	if over := len(t.buf) - t.max; over > t.max {
		t.buf = append(t.buf[:0], t.buf[over:]...)
	}
	return len(p), nil
}

func (t *tailBuffer) lines() int {
	t.mu.Lock()
	defer t.mu.Unlock()
	return t.nl
}

// String returns the last max bytes written.
func (t *tailBuffer) String() string {
	t.mu.Lock()
	defer t.mu.Unlock()
	b := t.buf
	if over := len(b) - t.max; over > 0 {
		b = b[over:]
	}
	return string(b)
}

func lastLines(s string, n int) string {
	lines := strings.Split(strings.TrimSpace(s), "\n")
	if len(lines) > n {
		lines = lines[len(lines)-n:]
	}
	return strings.Join(lines, " | ")
}

// Processes this program started and still owns, so that an interrupt or an
// error can kill them (by pid, with their descendants).
var (
	trackedMu sync.Mutex
	tracked   = map[int]bool{}
)

func track(pid int)   { trackedMu.Lock(); tracked[pid] = true; trackedMu.Unlock() }
func untrack(pid int) { trackedMu.Lock(); delete(tracked, pid); trackedMu.Unlock() }

// killTracked kills every tracked process tree, then every process still
// running a binary from our temp dir (e.g. an inferior a debugger orphaned).
func killTracked(tmp string) {
	trackedMu.Lock()
	pids := make([]int, 0, len(tracked))
	for pid := range tracked {
		pids = append(pids, pid)
	}
	trackedMu.Unlock()
	for _, pid := range pids {
		killTree(pid)
	}
	if tmp != "" {
		for _, pid := range pidsRunning(tmp) {
			syscall.Kill(pid, syscall.SIGKILL)
		}
	}
}

// killTree SIGKILLs pid's descendants and pid itself (and its process group).
func killTree(pid int) {
	victims := descendants(pid)
	syscall.Kill(-pid, syscall.SIGKILL)
	syscall.Kill(pid, syscall.SIGKILL)
	for _, p := range victims {
		syscall.Kill(p, syscall.SIGKILL)
	}
}

// descendants lists all processes below pid, read from /proc/*/stat.
func descendants(pid int) []int {
	children := map[int][]int{}
	ents, _ := os.ReadDir("/proc")
	for _, e := range ents {
		p, err := strconv.Atoi(e.Name())
		if err != nil {
			continue
		}
		if st, err := readStat(fmt.Sprintf("/proc/%d/stat", p)); err == nil {
			children[st.ppid] = append(children[st.ppid], p)
		}
	}
	var out []int
	queue := []int{pid}
	for len(queue) > 0 {
		p := queue[0]
		queue = queue[1:]
		for _, c := range children[p] {
			out = append(out, c)
			queue = append(queue, c)
		}
	}
	return out
}

// pidsRunning lists processes whose executable is path or lies under it.
func pidsRunning(path string) []int {
	var out []int
	ents, _ := os.ReadDir("/proc")
	for _, e := range ents {
		p, err := strconv.Atoi(e.Name())
		if err != nil || p == os.Getpid() {
			continue
		}
		exe, err := os.Readlink(fmt.Sprintf("/proc/%d/exe", p))
		exe = strings.TrimSuffix(exe, " (deleted)")
		if err == nil && (exe == path || strings.HasPrefix(exe, path+"/")) {
			out = append(out, p)
		}
	}
	return out
}

type procStat struct {
	state byte
	ppid  int
}

// readStat parses the state and ppid fields of a /proc stat file.
func readStat(path string) (procStat, error) {
	b, err := os.ReadFile(path)
	if err != nil {
		return procStat{}, err
	}
	i := bytes.LastIndexByte(b, ')') // comm may contain spaces and parens
	f := strings.Fields(string(b[i+1:]))
	if i < 0 || len(f) < 2 {
		return procStat{}, fmt.Errorf("%s: malformed", path)
	}
	ppid, _ := strconv.Atoi(f[1])
	return procStat{state: f[0][0], ppid: ppid}, nil
}

// checkRunning verifies that pid is alive with wantThreads threads, none of
// them stopped ('T' or 't') and no tracer attached. It returns a description
// of what is wrong, or "".
func checkRunning(pid, wantThreads int) string {
	status, err := os.ReadFile(fmt.Sprintf("/proc/%d/status", pid))
	if err != nil {
		return "target process is gone"
	}
	var problems []string
	for _, line := range strings.Split(string(status), "\n") {
		if v, ok := strings.CutPrefix(line, "TracerPid:"); ok && strings.TrimSpace(v) != "0" {
			problems = append(problems, "still traced by pid "+strings.TrimSpace(v))
		}
		if v, ok := strings.CutPrefix(line, "State:"); ok && strings.Contains(v, "Z") {
			problems = append(problems, "target is a zombie")
		}
	}
	tasks, _ := filepath.Glob(fmt.Sprintf("/proc/%d/task/*/stat", pid))
	stopped := 0
	for _, t := range tasks {
		if st, err := readStat(t); err == nil && (st.state == 'T' || st.state == 't') {
			stopped++
		}
	}
	if stopped > 0 {
		problems = append(problems, fmt.Sprintf("%d of %d threads LEFT STOPPED", stopped, len(tasks)))
	}
	if len(tasks) != wantThreads {
		problems = append(problems, fmt.Sprintf("has %d threads, want %d", len(tasks), wantThreads))
	}
	return strings.Join(problems, "; ")
}
