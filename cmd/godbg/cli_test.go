package main

import (
	"bufio"
	"bytes"
	"fmt"
	"io"
	"os"
	"os/exec"
	"path/filepath"
	"regexp"
	"slices"
	"strconv"
	"strings"
	"sync"
	"syscall"
	"testing"
	"time"

	"github.com/godbg/godbg/internal/fixtures"
)

var godbgBin string

func TestMain(m *testing.M) {
	dir, err := os.MkdirTemp("", "godbg-cli-test-")
	if err != nil {
		panic(err)
	}
	os.Chmod(dir, 0o755)
	godbgBin = filepath.Join(dir, "godbg")
	if out, err := exec.Command("go", "build", "-o", godbgBin, ".").CombinedOutput(); err != nil {
		fmt.Fprintf(os.Stderr, "building godbg: %v\n%s", err, out)
		os.Exit(2)
	}
	code := m.Run()
	os.RemoveAll(dir)
	os.Exit(code)
}

// run runs godbg with args and stdin, returning its output and exit status.
func run(t *testing.T, stdin string, args ...string) (string, int) {
	t.Helper()
	cmd := exec.Command(godbgBin, args...)
	cmd.Stdin = strings.NewReader(stdin)
	var out bytes.Buffer
	cmd.Stdout, cmd.Stderr = &out, &out
	done := make(chan error, 1)
	if err := cmd.Start(); err != nil {
		t.Fatal(err)
	}
	go func() { done <- cmd.Wait() }()
	select {
	case <-done:
	case <-time.After(60 * time.Second):
		cmd.Process.Kill()
		<-done
		t.Fatalf("godbg %v timed out; output:\n%s", args, out.String())
	}
	return out.String(), cmd.ProcessState.ExitCode()
}

// session is a godbg process driven line by line.
type session struct {
	t     *testing.T
	cmd   *exec.Cmd
	in    io.WriteCloser
	mu    sync.Mutex
	out   bytes.Buffer
	lines chan string
}

func start(t *testing.T, args ...string) *session {
	t.Helper()
	return startIn(t, "", nil, args...)
}

// startIn starts godbg in dir with extra environment variables.
func startIn(t *testing.T, dir string, env []string, args ...string) *session {
	t.Helper()
	s := &session{t: t, cmd: exec.Command(godbgBin, args...), lines: make(chan string, 100000)}
	s.cmd.Dir = dir
	if env != nil {
		s.cmd.Env = append(os.Environ(), env...)
	}
	s.in, _ = s.cmd.StdinPipe()
	pr, pw := io.Pipe()
	s.cmd.Stdout, s.cmd.Stderr = pw, pw
	if err := s.cmd.Start(); err != nil {
		t.Fatal(err)
	}
	go func() {
		sc := bufio.NewScanner(pr)
		for sc.Scan() {
			s.mu.Lock()
			s.out.WriteString(sc.Text() + "\n")
			s.mu.Unlock()
			s.lines <- sc.Text()
		}
		close(s.lines)
	}()
	go func() { s.cmd.Wait(); pw.Close() }()
	t.Cleanup(func() { s.cmd.Process.Kill() })
	return s
}

func (s *session) send(line string) { fmt.Fprintln(s.in, line) }

// expect waits for a line matching re and returns its submatches.
func (s *session) expect(re string) []string {
	s.t.Helper()
	rx := regexp.MustCompile(re)
	var last string
	s.until(rx, func(l string) { last = l })
	return rx.FindStringSubmatch(last)
}

// readUntil collects a session's lines up to the first matching re.
func (s *session) readUntil(re *regexp.Regexp) []string {
	s.t.Helper()
	var got []string
	s.until(re, func(l string) { got = append(got, l) })
	return got
}

// until passes each line to each up to the first matching re.
func (s *session) until(re *regexp.Regexp, each func(string)) {
	s.t.Helper()
	deadline := time.After(30 * time.Second)
	for {
		select {
		case l, ok := <-s.lines:
			if !ok {
				s.t.Fatalf("godbg ended before a line matching %q; output:\n%s", re, s.output())
			}
			each(l)
			if re.MatchString(l) {
				return
			}
		case <-deadline:
			s.t.Fatalf("no line matching %q; output:\n%s", re, s.output())
		}
	}
}

func (s *session) output() string {
	s.mu.Lock()
	defer s.mu.Unlock()
	return s.out.String()
}

// end closes stdin and waits for godbg to exit; returns the exit code.
func (s *session) end() int {
	s.in.Close()
	for range s.lines {
	}
	for s.cmd.ProcessState == nil {
		time.Sleep(10 * time.Millisecond)
	}
	return s.cmd.ProcessState.ExitCode()
}

var threadLine = regexp.MustCompile(`^[ *] Thread (\d+) at 0x[0-9a-f]+ `)

func threadIDs(out string) []int {
	var ids []int
	for _, l := range strings.Split(out, "\n") {
		if m := threadLine.FindStringSubmatch(l); m != nil {
			n, _ := strconv.Atoi(m[1])
			ids = append(ids, n)
		}
	}
	slices.Sort(ids)
	return ids
}

func regValue(t *testing.T, out, name string) uint64 {
	t.Helper()
	m := regexp.MustCompile(`(?m)^\s*` + name + ` = (0x[0-9a-f]+)`).FindStringSubmatch(out)
	if m == nil {
		t.Fatalf("no %s in output:\n%s", name, out)
	}
	v, _ := strconv.ParseUint(m[1][2:], 16, 64)
	return v
}

func checkRunning(t *testing.T, pid int) {
	t.Helper()
	if tp, _ := fixtures.TracerPid(pid); tp != 0 {
		t.Fatalf("TracerPid of %d is %d after the session", pid, tp)
	}
	time.Sleep(20 * time.Millisecond)
	if ok, m := fixtures.NoneStopped(pid); !ok {
		t.Fatalf("process %d left stopped: %v", pid, m)
	}
}

func alive(pid int) bool { return syscall.Kill(pid, 0) == nil }
