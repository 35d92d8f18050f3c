package main

import (
	"fmt"
	"io"
	"os"
	"os/signal"
	"regexp"
	"sync/atomic"
	"syscall"
	"time"

	"github.com/spf13/cobra"
	"golang.org/x/sys/unix"

	"github.com/godbg/godbg/pkg/terminal"
	"github.com/godbg/godbg/service/api"
	"github.com/godbg/godbg/service/debugger"
)

func init() { moreCommands = append(moreCommands, traceCmd) }

// traceFlags are godbg trace's options.
type traceFlags struct {
	exec    string
	pid     int
	test    bool
	ebpf    bool
	stack   int
	output  string
	count   bool
	latency bool
	follow  int
}

func traceCmd() *cobra.Command {
	var f traceFlags
	c := &cobra.Command{
		Use:   "trace [package] <regexp> [--exec BIN | -p PID | --test] [--ebpf] [--stack N] [--output FILE] [--count | --latency] [--follow-calls N] [-- args...]",
		Short: "Print every call and return of the functions a regular expression names",
		Long: `Runs a program and prints, on standard error, every call of each function whose
full name matches <regexp> as "> goroutine(G): main.add(1, 1)" and every return as
">> goroutine(G): main.add => (2)", as dlv trace does. The program's own standard output
is untouched, and its exit status becomes godbg's.

The program is the package (default: the current directory) built as godbg debug does,
--exec BIN, the package's test binary (--test), or the running process -p PID, which
keeps running untraced when godbg ends (Ctrl-C detaches).

The default backend uses breakpoints that stop only the calling thread, for as long as
reading the arguments takes. --ebpf uses uprobes (root or CAP_BPF and CAP_PERFMON).
Runtime functions are traced only when the expression names the runtime.

C functions of a cgo program are named C.<name> ("C\.helloworld" or "helloworld" match
them); their arguments come from the System V registers and their results from RAX or
XMM0, typed by DWARF. A call by a thread that runs no goroutine (a C program, a C
thread) is shown as "> thread(TID): ..."; with --ebpf a C function always shows its
thread (a probe cannot read the thread's TLS, where Go keeps the goroutine of a cgo call).

Differences from dlv trace: --stack N prints N caller frames as "function file:line";
--count prints call counts per function and goroutine at the end instead of lines;
--latency prints a histogram of call durations per function at the end; --output FILE
writes the trace to FILE (dlv's --output names the binary it builds); --follow-calls N
also traces the functions the matched ones call directly (not through a function value or
interface), N levels deep, and prints their calls only under a matched function, as
"> goroutine(G):frame(D) name(args)" indented by D-1 spaces, as dlv does (ptrace backend
only; with --stack, dlv drops the stack, godbg prints it); a launched program is killed by Ctrl-C, an attached one detached. --ebpf copies
at most 64 bytes of each argument or result and the first 64 bytes of a string's data,
and cannot read floats passed in SSE registers (shown as "(float in X0: not readable by
an eBPF probe; ...)"); other values are read from the live process when the event is
printed; results that optimized code keeps no debug location for at the return are read
from Go's ABI result registers (the ptrace backend shows them as not available). A call
that a panic unwinds has no return line, in both backends.`,
		Args: cobra.ArbitraryArgs,
		RunE: func(c *cobra.Command, args []string) error {
			code, err := runTrace(c, args, &f)
			if err == nil && code != 0 {
				os.Exit(code)
			}
			return err
		},
	}
	fl := c.Flags()
	fl.StringVar(&f.exec, "exec", "", "trace this already built binary instead of building a package")
	fl.IntVarP(&f.pid, "pid", "p", 0, "trace the running process PID; Ctrl-C detaches and leaves it running")
	fl.BoolVar(&f.test, "test", false, "trace the package's test binary")
	fl.BoolVar(&f.ebpf, "ebpf", false, "trace with eBPF uprobes instead of breakpoints (root or CAP_BPF+CAP_PERFMON)")
	fl.IntVar(&f.stack, "stack", 0, "print N caller frames under each call")
	fl.StringVar(&f.output, "output", "", "write the trace to FILE instead of standard error")
	fl.BoolVar(&f.count, "count", false, "print only call counts per function and goroutine, at the end")
	fl.BoolVar(&f.latency, "latency", false, "print only a histogram of call durations per function, at the end")
	fl.IntVar(&f.follow, "follow-calls", 0, "also trace the functions called from the matched ones, N levels deep (ptrace backend)")
	return c
}

// traceTarget is what trace runs: a binary with arguments, or a pid.
type traceTarget struct {
	bin  string
	args []string
	pid  int
}

func (f *traceFlags) check() error {
	n := 0
	for _, set := range []bool{f.exec != "", f.pid != 0, f.test} {
		if set {
			n++
		}
	}
	if n > 1 {
		return fmt.Errorf("give one of --exec, -p and --test")
	}
	if f.count && f.latency {
		return fmt.Errorf("give --count or --latency, not both")
	}
	if f.stack < 0 || f.pid < 0 || f.follow < 0 {
		return fmt.Errorf("--stack, -p and --follow-calls take positive numbers")
	}
	if f.follow > 0 && f.ebpf {
		return fmt.Errorf("--follow-calls needs the ptrace backend: drop --ebpf")
	}
	return nil
}

// resolveTarget builds or finds the program; cleanup removes a build.
func (f *traceFlags) resolveTarget(c *cobra.Command, args []string) (traceTarget, string, func(), error) {
	pos, progArgs := args, []string(nil)
	if dash := c.ArgsLenAtDash(); dash >= 0 {
		pos, progArgs = args[:dash], args[dash:]
	}
	if len(pos) == 0 || len(pos) > 2 {
		return traceTarget{}, "", nil, fmt.Errorf("usage: godbg trace [package] <regexp> [-- args]")
	}
	re, pkg := pos[len(pos)-1], "."
	if len(pos) == 2 {
		pkg = pos[0]
	}
	if _, err := regexp.Compile(re); err != nil {
		return traceTarget{}, "", nil, fmt.Errorf("invalid regular expression %q: %w; usage: godbg trace [package] <regexp> [-- args]", re, err)
	}
	nothing := func() {}
	switch {
	case f.pid != 0:
		if len(pos) == 2 || len(progArgs) > 0 {
			return traceTarget{}, "", nil, fmt.Errorf("-p traces a running process; give no package or program arguments")
		}
		return traceTarget{pid: f.pid}, re, nothing, nil
	case f.exec != "":
		if len(pos) == 2 {
			return traceTarget{}, "", nil, fmt.Errorf("--exec traces a built binary; give no package")
		}
		if _, err := os.Stat(f.exec); err != nil {
			return traceTarget{}, "", nil, fmt.Errorf("--exec %s: %w; build the program first or give a package", f.exec, err)
		}
		return traceTarget{bin: f.exec, args: progArgs}, re, nothing, nil
	case f.test:
		bin, cleanup, err := goBuild(true, pkg, "", "")
		return traceTarget{bin: bin, args: progArgs}, re, cleanup, err
	}
	bin, cleanup, err := goBuild(false, pkg, "", "")
	return traceTarget{bin: bin, args: progArgs}, re, cleanup, err
}

func runTrace(c *cobra.Command, args []string, f *traceFlags) (int, error) {
	if err := f.check(); err != nil {
		return 1, err
	}
	tgt, re, cleanup, err := f.resolveTarget(c, args)
	if err != nil {
		return 1, err
	}
	defer cleanup()
	var w io.Writer = os.Stderr
	if f.output != "" {
		file, err := os.Create(f.output)
		if err != nil {
			return 1, fmt.Errorf("--output: %w", err)
		}
		defer file.Close()
		w = file
	}
	mode := terminal.TraceLines
	switch {
	case f.count:
		mode = terminal.TraceCount
	case f.latency:
		mode = terminal.TraceLatency
	}
	pr := terminal.NewTracePrinter(w, mode)
	cfg := api.TraceConfig{Funcs: re, Stack: f.stack, NoValues: mode != terminal.TraceLines, NoReturns: f.count, FollowCalls: f.follow}
	stopFlush := flushEvery(pr, 200*time.Millisecond)
	defer stopFlush()
	if f.ebpf {
		return traceEBPF(tgt, cfg, pr)
	}
	return tracePtrace(tgt, cfg, pr)
}

// flushEvery flushes the printer periodically, so that a long trace shows.
func flushEvery(pr *terminal.TracePrinter, d time.Duration) func() {
	done := make(chan struct{})
	go func() {
		t := time.NewTicker(d)
		defer t.Stop()
		for {
			select {
			case <-done:
				return
			case <-t.C:
				pr.Flush()
			}
		}
	}()
	return func() { close(done) }
}

// tracePtrace runs the trace on the breakpoint engine.
func tracePtrace(tgt traceTarget, cfg api.TraceConfig, pr *terminal.TracePrinter) (int, error) {
	d, _, err := debugger.New(debugger.Config{Path: tgt.bin, Args: tgt.args, AttachPid: tgt.pid})
	if err != nil {
		return 1, err
	}
	if _, err := d.StartTrace(cfg, pr.Event); err != nil {
		d.Close()
		return 1, err
	}
	var interrupted atomic.Bool
	sigs := make(chan os.Signal, 1)
	signal.Notify(sigs, syscall.SIGINT, syscall.SIGTERM, syscall.SIGHUP)
	defer signal.Stop(sigs)
	done := make(chan struct{})
	defer close(done)
	go haltOnSignal(d, sigs, done, &interrupted)
	st, err := runTraced(d, &interrupted)
	cerr := d.Close()
	pr.Close()
	if err != nil {
		return 1, err
	}
	if cerr != nil {
		return 1, fmt.Errorf("ending the trace: %w", cerr)
	}
	return reportEnd(st, tgt), nil
}

// runTraced continues until the program exits or godbg is interrupted.
func runTraced(d *debugger.Debugger, interrupted *atomic.Bool) (*api.State, error) {
	for {
		st, err := d.Continue()
		if err != nil {
			return nil, err
		}
		if st.Exited || interrupted.Load() {
			return st, nil
		}
	}
}

// haltOnSignal halts the traced program at the first signal to godbg and
// keeps asking until the trace loop has seen it (a halt asked between two
// continues would be lost).
func haltOnSignal(d *debugger.Debugger, sigs chan os.Signal, done chan struct{}, interrupted *atomic.Bool) {
	select {
	case <-sigs:
	case <-done:
		return
	}
	interrupted.Store(true)
	for {
		d.Halt()
		select {
		case <-done:
			return
		case <-time.After(50 * time.Millisecond):
		}
	}
}

// reportEnd says how the trace ended on standard error and returns the
// exit status godbg takes: the program's own.
func reportEnd(st *api.State, tgt traceTarget) int {
	switch {
	case st.Exited && st.KilledBy != "":
		fmt.Fprintf(os.Stderr, "Process %d was killed by signal %s\n", st.Pid, st.KilledBy)
		return 128 + int(unix.SignalNum(st.KilledBy))
	case st.Exited:
		fmt.Fprintf(os.Stderr, "Process %d has exited with status %d\n", st.Pid, st.ExitCode)
		return st.ExitCode
	case tgt.pid != 0:
		fmt.Fprintf(os.Stderr, "Detached from process %d; it keeps running untraced\n", st.Pid)
		return 0
	}
	fmt.Fprintf(os.Stderr, "Process %d killed (interrupted)\n", st.Pid)
	return 1
}
