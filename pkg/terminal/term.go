package terminal

import (
	"bufio"
	"errors"
	"fmt"
	"io"
	"os"
	"os/signal"
	"strings"
	"sync/atomic"
	"syscall"
	"unicode/utf8"

	"github.com/peterh/liner"
	"go.starlark.net/starlark"
	"golang.org/x/term"

	"github.com/godbg/godbg/pkg/config"
	"github.com/godbg/godbg/service"
)

// Term is one interactive session.
type Term struct {
	client service.Client
	out    io.Writer
	cmds   *commandTable
	last   string
	// displays are printed after every stop (display -a).
	displays []string
	// onCmds run when a breakpoint stops the program (on); tracepoints
	// print and go on (trace).
	onCmds      map[int][]string
	tracepoints map[int]bool
	// ask reads the answer to a question from wherever commands come from.
	ask func(prompt string) (string, error)
	// Failed counts commands that returned an error.
	Failed atomic.Int64
	// flow: star holds the Starlark globals of source'd scripts.
	star  starlark.StringDict
	trans *transcript
	// conf is the configuration (config), read on first use from confPath.
	conf     *config.Config
	confPath string
	rebuild  func() error
	script   atomic.Pointer[starlark.Thread] // the last Starlark thread, for Ctrl-C
	// qa: sourceDepth counts the source commands running inside each other.
	sourceDepth int
}

// New returns a terminal writing to out (use SyncWriter when events are
// printed to the same writer from another goroutine).
func New(client service.Client, out io.Writer) *Term {
	return &Term{client: client, out: out, cmds: newCommandTable()}
}

// RunFile runs the commands of an --init file (a .star file as Starlark).
// It stops at exit.
func (t *Term) RunFile(path string) (exited bool, err error) {
	if strings.HasSuffix(path, ".star") { // flow
		return t.runInitStarlark(path)
	}
	f, err := os.Open(path)
	if err != nil {
		return false, fmt.Errorf("init file: %w", err)
	}
	defer f.Close()
	return t.runLines(bufio.NewReader(f), false), nil
}

// Run reads commands from in until exit or end of input. A Ctrl-C (SIGINT
// to the debugger) while the program runs halts it.
func (t *Term) Run(in *os.File) {
	// issue 12: the commands run on this goroutine's stack, with the
	// ballast below them (see stackBallast).
	var ballast [stackBallast]byte
	t.run(in)
	holdStack(ballast[:])
}

// stackBallast keeps the command goroutine's stack grown between
// commands (issue 12: a next's fixed cost). The garbage collector halves
// the stack of a goroutine that uses less than a quarter of it, and the
// goroutine waits for the next line with a shallow stack: every command
// then grew it again, copying it and adjusting every frame (cold code and
// tables, ~0.1 ms of a next). Waiting on top of the ballast, the
// goroutine always uses more than a quarter of its grown stack.
const stackBallast = 32 << 10

// holdStack keeps b, the ballast, live (and on the stack) until it is
// called.
//
//go:noinline
func holdStack(b []byte) { _ = b }

func (t *Term) run(in *os.File) {
	sigs := make(chan os.Signal, 4)
	signal.Notify(sigs, syscall.SIGINT)
	defer signal.Stop(sigs)
	go func() {
		for range sigs {
			t.client.Halt()
			t.cancelScript() // flow
		}
	}()
	if term.IsTerminal(int(in.Fd())) && term.IsTerminal(int(os.Stdout.Fd())) {
		t.runLiner()
		return
	}
	t.runLines(bufio.NewReader(in), false)
}

// runLines executes one command per line; repeat makes empty lines repeat.
func (t *Term) runLines(r *bufio.Reader, repeat bool) (exited bool) {
	prev := t.ask
	defer func() { t.ask = prev }()
	t.ask = func(prompt string) (string, error) {
		t.printf("%s", prompt)
		line, err := r.ReadString('\n')
		if line == "" && err != nil {
			t.printf("\n")
			return "", err
		}
		// Leading blanks stay: Starlark (source -) reads indented lines.
		line = strings.TrimRight(line, " \t\r\n")
		t.printf("%s\n", line)
		return line, nil
	}
	for {
		line, err := r.ReadString('\n')
		if line != "" || err == nil {
			if t.exec(line, repeat) {
				return true
			}
		}
		if err != nil {
			return false
		}
	}
}

func (t *Term) runLiner() {
	ln := liner.NewLiner()
	defer ln.Close()
	ln.SetCtrlCAborts(true)
	t.ask = func(prompt string) (string, error) {
		s, err := ln.Prompt(prompt)
		return strings.TrimRight(s, " \t"), err
	}
	for {
		line, err := ln.Prompt("(godbg) ")
		if errors.Is(err, liner.ErrPromptAborted) {
			continue
		}
		if err != nil { // io.EOF: Ctrl-D
			fmt.Fprintln(t.out)
			return
		}
		if strings.TrimSpace(line) != "" {
			ln.AppendHistory(line)
		}
		if t.exec(line, true) {
			return
		}
	}
}

// exec runs one line and reports whether the session should end.
func (t *Term) exec(line string, repeat bool) bool {
	line = strings.TrimSpace(line)
	if line == "" {
		if !repeat || t.last == "" {
			return false
		}
		line = t.last
	}
	if strings.HasPrefix(line, "#") {
		return false
	}
	t.recordCommand(line) // flow: transcript
	name, args, _ := strings.Cut(line, " ")
	t.config() // the configuration's aliases are known from the first command on
	c, err := t.cmds.find(name)
	if err == nil {
		err = t.runPaged(c, strings.TrimSpace(args)) // flow: config pager
		if c.repeat {
			t.last = line
		} else {
			t.last = ""
		}
	}
	if errors.Is(err, errExit) {
		return true
	}
	if err != nil {
		t.Failed.Add(1)
		fmt.Fprintf(t.out, "Command failed: %s\n", clipError(err))
	}
	return false
}

// maxErrorLen bounds a printed error: one that quotes a huge input line
// shows its start and how much was left out.
const maxErrorLen = 4096

func clipError(err error) string {
	msg := err.Error()
	if len(msg) <= maxErrorLen {
		return msg
	}
	cut := maxErrorLen
	for cut > 0 && !utf8.RuneStart(msg[cut]) {
		cut--
	}
	return fmt.Sprintf("%s… (%d more bytes of the message left out)", msg[:cut], len(msg)-cut)
}

func (t *Term) printf(format string, args ...any) { fmt.Fprintf(t.out, format, args...) }
