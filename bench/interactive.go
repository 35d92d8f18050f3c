package main

// Interactive sessions: for the scenarios that time one command inside a
// debugger session (next, stack, goroutines) rather than a whole session,
// the debugger is driven over pipes, a command at a time, and each output
// line is time-stamped as the bench reads it.

import (
	"bytes"
	"fmt"
	"os"
	"os/exec"
	"regexp"
	"strconv"
	"strings"
	"syscall"
	"time"
)

// line is one line of a tool's output.
type line struct {
	text string    // without the newline and without ANSI colour codes
	at   time.Time // when the bench read it
}

// pipeSession is one debugger process driven over pipes. Its stdout and stderr
// share one pipe (the launched program writes to it too).
type pipeSession struct {
	cmd     *exec.Cmd
	pid     int
	in      *os.File    // write end of the tool's stdin
	out     *os.File    // read end of its stdout+stderr
	lines   chan []line // a chunk of output at a time
	tail    *tailBuffer
	timeout time.Duration // per step
	waited  chan struct{} // closed once the process is reaped
	state   *os.ProcessState
}

// startSession starts argv in a process group of its own.
func startSession(argv []string, timeout time.Duration) (*pipeSession, error) {
	inR, inW, err := os.Pipe()
	if err != nil {
		return nil, err
	}
	outR, outW, err := os.Pipe()
	if err != nil {
		inR.Close()
		inW.Close()
		return nil, err
	}
	cmd := exec.Command(argv[0], argv[1:]...)
	cmd.Stdin, cmd.Stdout, cmd.Stderr = inR, outW, outW
	cmd.SysProcAttr = &syscall.SysProcAttr{Setpgid: true}
	err = cmd.Start()
	inR.Close()
	outW.Close()
	if err != nil {
		inW.Close()
		outR.Close()
		return nil, err
	}
	s := &pipeSession{
		cmd: cmd, pid: cmd.Process.Pid, in: inW, out: outR,
		lines:   make(chan []line, 1024),
		tail:    &tailBuffer{max: 64 << 10},
		timeout: timeout,
		waited:  make(chan struct{}),
	}
	track(s.pid)
	go s.read()
	go func() {
		cmd.Wait()
		s.state = cmd.ProcessState
		close(s.waited)
	}()
	return s, nil
}

var ansiEscape = regexp.MustCompile("\x1b\\[[0-9;?]*[A-Za-z]")

// read reads the tool's output in chunks, splits it into lines stamped
// with the time their chunk was read, and sends them a chunk at a time.
func (s *pipeSession) read() {
	defer close(s.lines)
	buf := make([]byte, 1<<16)
	var partial []byte // a line without its newline yet
	for {
		n, err := s.out.Read(buf)
		if n > 0 {
			at := time.Now()
			s.tail.Write(buf[:n])
			data := append(partial, buf[:n]...)
			var batch []line
			for {
				i := bytes.IndexByte(data, '\n')
				if i < 0 {
					break
				}
				batch = append(batch, newLine(data[:i], at))
				data = data[i+1:]
			}
			partial = append([]byte(nil), data...)
			if len(batch) > 0 {
				s.lines <- batch
			}
		}
		if err != nil {
			if len(partial) > 0 {
				s.lines <- []line{newLine(partial, time.Now())}
			}
			return
		}
	}
}

func newLine(b []byte, at time.Time) line {
	text := strings.TrimRight(string(b), "\r")
	if strings.IndexByte(text, 0x1b) >= 0 { // dlv colours its output
		text = ansiEscape.ReplaceAllString(text, "")
	}
	return line{text, at}
}

// exited describes how the tool ended, or "" while it runs.
func (s *pipeSession) exited() string {
	select {
	case <-s.waited:
		return "the tool exited: " + s.state.String()
	default:
		return ""
	}
}

// send writes one command line and returns the time just before the write.
func (s *pipeSession) send(cmd string) (time.Time, error) {
	t := time.Now()
	_, err := s.in.WriteString(cmd + "\n")
	if err != nil {
		err = fmt.Errorf("writing %q to the tool: %v", cmd, err)
	}
	return t, err
}

// step is one command and what ends its output.
type step struct {
	cmd   string
	what  string              // what is awaited, for error messages
	done  func(l string) bool // true on the line that ends the command's output
	timed bool                // the scenario's measured command
	wait  time.Duration       // how long to wait for done; 0: the session's timeout
	// pause is a person's reading time before the command is sent: a
	// debugger may use it for loading in the background.
	pause time.Duration
	check func(s *pipeSession) error // run right after done (e.g. counts, RSS)
}

// thinkTime is the pause before a timed command, every tool alike: a
// person reads the stop before typing the next command.
const thinkTime = 500 * time.Millisecond

// failedLine is how godbg and dlv report a failed command.
const failedLine = "Command failed"

// do sends st.cmd and reads lines until st.done accepts one. It returns the
// wall time from just before the write to the reading of that line. Output
// that arrived before the write (the end of the previous command's) is
// discarded, and so is the rest of the chunk holding the accepted line.
func (s *pipeSession) do(st step) (time.Duration, error) {
	for drained := false; !drained; {
		select {
		case _, ok := <-s.lines:
			drained = !ok
		default:
			drained = true
		}
	}
	t0, err := s.send(st.cmd)
	if err != nil {
		return 0, err
	}
	wait := s.timeout
	if st.wait > 0 {
		wait = st.wait
	}
	timer := time.NewTimer(wait)
	defer timer.Stop()
	for {
		select {
		case batch, ok := <-s.lines:
			if !ok {
				why := "its output ended"
				if e := s.exited(); e != "" {
					why += " (" + e + ")"
				}
				return 0, fmt.Errorf("after %q, %s before %s; output ends: %s", st.cmd, why, st.what, lastLines(s.tail.String(), 3))
			}
			for _, l := range batch {
				if st.done(l.text) {
					d := l.at.Sub(t0)
					if st.check != nil {
						if err := st.check(s); err != nil {
							return d, fmt.Errorf("after %q: %v", st.cmd, err)
						}
					}
					return d, nil
				}
				if strings.Contains(l.text, failedLine) {
					return 0, fmt.Errorf("%q: %s", st.cmd, l.text)
				}
			}
		case <-timer.C:
			return 0, fmt.Errorf("after %q, %s not seen within %v (killed); output ends: %s", st.cmd, st.what, wait, lastLines(s.tail.String(), 3))
		}
	}
}

// end writes exitCmd (if any), closes the tool's stdin and waits for it to
// exit; past the timeout it is killed and that is a problem. It returns
// the problem, or "".
func (s *pipeSession) end(exitCmd string) string {
	if exitCmd != "" {
		s.send(exitCmd)
	}
	s.in.Close()
	go func() { // nobody reads the rest any more
		for range s.lines {
		}
	}()
	problem := ""
	select {
	case <-s.waited:
		if !s.state.Success() {
			problem = fmt.Sprintf("the tool ended with %s; output ends: %s", s.state, lastLines(s.tail.String(), 3))
		}
	case <-time.After(s.timeout):
		problem = fmt.Sprintf("the tool did not exit within %v of the end of its input (killed)", s.timeout)
	}
	s.kill()
	return problem
}

// kill kills the tool's process tree if it still runs, and releases the
// pipes. It may be called more than once.
func (s *pipeSession) kill() {
	select {
	case <-s.waited:
	default:
		killTree(s.pid)
		select {
		case <-s.waited:
		case <-time.After(5 * time.Second):
		}
	}
	untrack(s.pid)
	s.in.Close()
	s.out.Close() // unblocks the reader should an orphan hold the pipe
}

// interactive runs one session of argv: the steps in order, then exitCmd
// and the end of input. It returns the duration of the step marked timed,
// or a problem. Any process still running prog afterwards is killed, and
// that is a problem too.
func interactive(c *config, prog string, argv []string, steps []step, exitCmd string) (time.Duration, string) {
	var timed time.Duration
	problem := ""
	s, err := startSession(argv, c.timeout)
	if err != nil {
		problem = err.Error()
	} else {
		for _, st := range steps {
			time.Sleep(st.pause)
			d, err := s.do(st)
			if err != nil {
				problem = err.Error()
				break
			}
			if st.timed {
				timed = d
			}
		}
		if problem == "" {
			problem = s.end(exitCmd)
		}
		s.kill()
	}
	if left := pidsRunning(prog); len(left) > 0 {
		for _, p := range left {
			syscall.Kill(p, syscall.SIGKILL)
		}
		if problem == "" {
			problem = fmt.Sprintf("LEFT THE PROGRAM RUNNING (pid %v, killed)", left)
		}
	}
	return timed, problem
}

// stopLine matches the stop reports of godbg and dlv: the header
// "> [Breakpoint 1] main.main() ./x/main.go:30 (...)" and the current line
// of the listing ("=>  30:" or, on a breakpoint, godbg's "*>  30:"); and
// gdb's "30\t<source>" (with any "(gdb) " prompts before it).
var (
	stopHeader  = regexp.MustCompile(`^(?:\((?:dlv|gdb)\) )*> .*\bmain\.go:(\d+)\b`)
	stopListing = regexp.MustCompile(`^(?:\((?:dlv|gdb)\) )*\s*(?:\*>|=>)\s+(\d+):`)
	gdbSrcLine  = regexp.MustCompile(`^(?:\(gdb\) )*(\d+)\t`)
)

// anyStop matches the stop header of godbg and dlv wherever the stop is:
// "> [Breakpoint 1] main.main() ./x/main.go:30 (...)"; 1 is the file, 2
// the line.
var anyStop = regexp.MustCompile(`^(?:\(dlv\) )*> (?:\[[^\]]*\] )?\S+\(\) (\S+):(\d+)\b`)

// stoppedAt returns a matcher for the line that reports a stop at line n
// of main.go.
func stoppedAt(n int) func(string) bool {
	want := strconv.Itoa(n)
	return func(l string) bool {
		for _, re := range []*regexp.Regexp{stopHeader, stopListing, gdbSrcLine} {
			if m := re.FindStringSubmatch(l); m != nil && m[1] == want {
				return true
			}
		}
		return false
	}
}

// lineOf returns the 1-based number of the line of src that ends with
// marker (e.g. "// L:heavy").
func lineOf(src []byte, marker string) (int, error) {
	for i, l := range bytes.Split(src, []byte("\n")) {
		if bytes.HasSuffix(bytes.TrimSpace(l), []byte(marker)) {
			return i + 1, nil
		}
	}
	return 0, fmt.Errorf("no line ends with %q", marker)
}

// fixtureLine is lineOf in testdata/name/main.go.
func fixtureLine(name, marker string) (int, error) {
	src, err := fixtureSources.ReadFile("testdata/" + name + "/main.go")
	if err != nil {
		return 0, err
	}
	n, err := lineOf(src, marker)
	if err != nil {
		return 0, fmt.Errorf("testdata/%s/main.go: %v", name, err)
	}
	return n, nil
}

// peakRSS returns VmHWM of pid in MiB.
func peakRSS(pid int) (float64, error) {
	b, err := os.ReadFile(fmt.Sprintf("/proc/%d/status", pid))
	if err != nil {
		return 0, err
	}
	for _, l := range strings.Split(string(b), "\n") {
		if v, ok := strings.CutPrefix(l, "VmHWM:"); ok {
			kb, err := strconv.ParseFloat(strings.TrimSpace(strings.TrimSuffix(strings.TrimSpace(v), "kB")), 64)
			if err != nil {
				return 0, fmt.Errorf("/proc/%d/status: VmHWM %q", pid, v)
			}
			return kb / 1024, nil
		}
	}
	return 0, fmt.Errorf("/proc/%d/status has no VmHWM", pid)
}

// gdbArgv is gdb in interactive mode on prog, reading commands from stdin
// without paging or questions.
func gdbArgv(gdb string, prog string, args ...string) []string {
	a := []string{gdb, "-nx", "-q", "-iex", "set debuginfod enabled off", "-iex", "set height 0",
		"-iex", "set width 0", "-iex", "set confirm off", "-iex", "set pagination off", "--args", prog}
	return append(a, args...)
}

// failAll records the same failure for every tool (e.g. the fixture did
// not build).
func failAll(s *Scenario, tools []string, format string, args ...any) {
	for _, t := range tools {
		r := &Result{Tool: t}
		r.fail(format, args...)
		s.Results = append(s.Results, r)
	}
}

// toolSession is one debugger driven over pipes: how it is started and the
// command that ends its session ("": end of input).
type toolSession struct {
	name string
	tool tool
	argv []string
	exit string
}

// goDebuggerSessions are godbg's and dlv's sessions on prog run with args:
// godbg exec stops the program before its first instruction and end of
// input kills it; dlv needs --allow-non-terminal-interactive and exit.
func goDebuggerSessions(c *config, prog string, args ...string) []toolSession {
	god, dlv := c.tools["godbg"], c.tools["dlv"]
	godArgv := []string{god.path, "exec", prog}
	dlvArgv := []string{dlv.path, "exec", prog, "--allow-non-terminal-interactive=true"}
	if len(args) > 0 {
		godArgv = append(append(godArgv, "--"), args...)
		dlvArgv = append(append(dlvArgv, "--"), args...)
	}
	return []toolSession{{"godbg", god, godArgv, ""}, {"dlv", dlv, dlvArgv, "exit"}}
}
