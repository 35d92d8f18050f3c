// Package targettest is the one in-process test harness of godbg (issue
// 12): it builds a fixture, launches it through pkg/proc/target stopped at
// its first instruction, and always kills it. Tests of pkg/proc/target and
// of the packages above it use it, instead of a local "build, launch, stop
// at a place, give me the process" of their own. Only tests import it
// (internal/layering checks that).
//
// Lines of a fixture's source are named by markers, one syntax for every
// fixture: a line ending in "// L:name" is "L:name". Delve's fixtures,
// whose sources we do not edit, are addressed by line numbers.
package targettest

import (
	"bufio"
	"fmt"
	"os"
	"path/filepath"
	"regexp"
	"strings"
	"testing"

	"github.com/godbg/godbg/internal/fixtures"
	"github.com/godbg/godbg/pkg/proc"
	"github.com/godbg/godbg/pkg/proc/target"
	"github.com/godbg/godbg/pkg/symbols"
)

// Config says what to launch.
type Config struct {
	// Fixture is a directory or .c file in _fixtures, or "delve:name"
	// (built from Delve's _fixtures; "delve:name+inline" keeps inlining
	// on); "name+pie" builds a Go fixture as a PIE.
	Fixture string
	Flags   []string // extra build flags
	Args    []string // the program's arguments
	// Stdout: the program's standard output comes line by line on
	// T.Lines (else it goes to /dev/null).
	Stdout bool
}

// T is one launched fixture: its Target (process and image), its main
// source file, and the breakpoints the test set.
type T struct {
	*target.Target
	TB    testing.TB
	P     proc.Process
	Img   *target.Image
	Bin   string
	Src   string      // the main source file
	Lines chan string // the program's output lines (Config.Stdout), closed at its end
	bps   map[uint64]bool
}

// UserOwner owns the breakpoints a test sets through T.
const UserOwner = 1

// WithTarget runs fn on fixture (see Config.Fixture) launched and stopped
// at its first instruction; the process is killed when fn returns.
func WithTarget(tb testing.TB, fixture string, fn func(tg *T)) {
	tb.Helper()
	tg := Start(tb, Config{Fixture: fixture})
	defer tg.Close()
	fn(tg)
}

// Start launches cfg's fixture, stopped at its first instruction. It is
// killed at the end of the test (or earlier by Close).
func Start(tb testing.TB, cfg Config) *T {
	tb.Helper()
	bin, src, err := build(tb, cfg)
	if err != nil {
		tb.Fatal(err)
	}
	tg, err := launch(bin, src, cfg)
	if err != nil {
		tb.Fatal(err)
	}
	tg.TB = tb
	tb.Cleanup(tg.Close)
	return tg
}

// Open is Start for a fixture shared by several tests (TestMain's
// business): errors are returned, and the caller must Close it. Delve's
// fixtures need a test (Start).
func Open(cfg Config) (*T, error) {
	bin, src, err := build(nil, cfg)
	if err != nil {
		return nil, err
	}
	return launch(bin, src, cfg)
}

// Close kills the program if it still runs.
func (tg *T) Close() {
	if !tg.P.Exited() {
		tg.P.Kill()
	}
}

// build builds cfg's fixture and finds its main source file.
func build(tb testing.TB, cfg Config) (bin, src string, err error) {
	fixture := cfg.Fixture
	if name, ok := strings.CutPrefix(fixture, "delve:"); ok {
		if tb == nil {
			return "", "", fmt.Errorf("%s: Delve's fixtures are built within a test (Start)", fixture)
		}
		name, inline := strings.CutSuffix(name, "+inline")
		return fixtures.BuildDelve(tb, name, inline), filepath.Join(fixtures.DelveDir(tb), name+".go"), nil
	}
	extra := cfg.Flags
	if name, ok := strings.CutSuffix(fixture, "+pie"); ok {
		fixture, extra = name, append([]string{"-buildmode=pie"}, extra...)
	}
	src = fixtures.Source(fixture)
	if st, err := os.Stat(src); err == nil && st.IsDir() {
		src = filepath.Join(src, "main.go")
	}
	if tb != nil {
		return fixtures.Build(tb, fixture, extra...), src, nil
	}
	bin, err = fixtures.BuildErr(fixture, extra...)
	return bin, src, err
}

func launch(bin, src string, cfg Config) (*T, error) {
	devnull, err := os.OpenFile(os.DevNull, os.O_RDWR, 0)
	if err != nil {
		return nil, err
	}
	defer devnull.Close()
	lc := target.LaunchConfig{Path: bin, Args: cfg.Args, Stdin: devnull, Stdout: devnull, Stderr: devnull}
	var r *os.File
	if cfg.Stdout {
		var w *os.File
		if r, w, err = os.Pipe(); err != nil {
			return nil, err
		}
		defer w.Close()
		lc.Stdout = w
	}
	p, err := target.Launch(lc)
	if err != nil {
		if r != nil {
			r.Close()
		}
		return nil, fmt.Errorf("launching %s: %w", bin, err)
	}
	// No background warm-up (a gate that has ended): the tests ask for
	// what they need, and a warm-up per launch would only compete with
	// them for the CPU.
	noWarm := &target.WarmGate{}
	noWarm.Stopped(true)
	img := target.LoadImage(bin, noWarm)
	tg := &T{Target: target.New(p, img), P: p, Img: img, Bin: bin, Src: src, bps: map[uint64]bool{}}
	if r != nil {
		tg.Lines = readLines(r)
	}
	if img.Table(p) == nil {
		p.Kill()
		return nil, fmt.Errorf("%s: no symbols: %w", bin, img.Err())
	}
	return tg, nil
}

// readLines sends r's lines on a channel, closed (and r too) at its end.
func readLines(r *os.File) chan string {
	lines := make(chan string, 1<<14)
	go func() {
		sc := bufio.NewScanner(r)
		sc.Buffer(nil, 1<<20)
		for sc.Scan() {
			lines <- sc.Text()
		}
		close(lines)
		r.Close()
	}()
	return lines
}

// Tab is the program's symbol table; Bias its load bias (PIE).
func (tg *T) Tab() *symbols.Table { return tg.Img.Table(tg.P) }

// Bias is the program's load bias (0 unless a PIE).
func (tg *T) Bias() uint64 { return tg.Img.Bias(tg.P) }

// Line resolves "L:name" (a marker in the main source) or a number.
func (tg *T) Line(at string) int {
	tg.TB.Helper()
	return MarkerLine(tg.TB, tg.Src, at)
}

// MarkerLine resolves "L:name", the line of file that ends in
// "// L:name", or a line number.
func MarkerLine(tb testing.TB, file, at string) int {
	tb.Helper()
	var n int
	if _, err := fmt.Sscan(at, &n); err == nil {
		return n
	}
	n, err := markerLine(file, at)
	if err != nil {
		tb.Fatal(err)
	}
	return n
}

func markerLine(file, at string) (int, error) {
	f, err := os.Open(file)
	if err != nil {
		return 0, err
	}
	defer f.Close()
	sc := bufio.NewScanner(f)
	for i := 1; sc.Scan(); i++ {
		if strings.HasSuffix(strings.TrimSpace(sc.Text()), "// "+at) {
			return i, nil
		}
	}
	return 0, fmt.Errorf("no marker %q in %s", at, file)
}

// markerRE is a marker: "// L:name" at the end of a line.
var markerRE = regexp.MustCompile(`// L:([\w.-]+)\s*$`)

// Markers maps every "// L:name" marker of file to its line (keys
// without the "L:").
func Markers(tb testing.TB, file string) map[string]int {
	tb.Helper()
	b, err := os.ReadFile(file)
	if err != nil {
		tb.Fatal(err)
	}
	out := map[string]int{}
	for i, l := range strings.Split(string(b), "\n") {
		if m := markerRE.FindStringSubmatch(l); m != nil {
			out[m[1]] = i + 1
		}
	}
	return out
}

// PC is the run-time address of a function's first statement, or of the
// first statement of a line ("L:name" or a number) of the main source.
func (tg *T) PC(where string) uint64 {
	tg.TB.Helper()
	tab, bias := tg.Tab(), tg.Bias()
	if fn, err := tab.LookupFunc(where); err == nil {
		return tab.FirstStmtPC(fn) + bias
	}
	pcs, err := tab.LineToPCs(tg.Src, tg.Line(where))
	if err != nil || len(pcs) == 0 {
		tg.TB.Fatalf("no code at %s:%s: %v", tg.Src, where, err)
	}
	return pcs[0] + bias
}

// BreakAt sets a breakpoint at a function's first statement, or at a
// line ("L:name" or a number) of the main source.
func (tg *T) BreakAt(where string) uint64 { return tg.BreakIf(where, nil) }

// BreakIf is BreakAt with a condition.
func (tg *T) BreakIf(where string, cond proc.BreakCond) uint64 {
	tg.TB.Helper()
	addr := tg.PC(where)
	tg.BreakAddr(addr, cond)
	return addr
}

// BreakAddr sets a breakpoint at a run-time address.
func (tg *T) BreakAddr(addr uint64, cond proc.BreakCond) {
	tg.TB.Helper()
	if err := tg.SetBreaklet(addr, UserOwner, cond); err != nil {
		tg.TB.Fatalf("breakpoint at %#x: %v", addr, err)
	}
	tg.bps[addr] = true
}

// ClearAll clears the test's breakpoints.
func (tg *T) ClearAll() {
	for a := range tg.bps {
		tg.ClearBreaklet(a, UserOwner)
		delete(tg.bps, a)
	}
}

// Cont continues to a breakpoint of the test's and returns the line it
// is at.
func (tg *T) Cont() int {
	tg.TB.Helper()
	tg.ContStop()
	return tg.Where()
}

// ContStop continues to a breakpoint of the test's and returns the stop.
func (tg *T) ContStop() *proc.Stop {
	tg.TB.Helper()
	st, err := tg.Continue()
	if err != nil {
		tg.TB.Fatalf("continue: %v", err)
	}
	if !tg.Fired(st, UserOwner) {
		tg.TB.Fatalf("continue stopped with %v at %#x, not at a breakpoint of the test", st.Reason, st.Addr)
	}
	return st
}

// Regs are the registers of the current thread, for unwinding.
func (tg *T) Regs() target.Regs {
	tg.TB.Helper()
	regs, ok := target.ThreadRegs(tg.P, tg.Thread())
	if !ok {
		tg.TB.Fatalf("no registers of thread %d", tg.Thread())
	}
	return regs
}

// Where is the line the current thread stopped at.
func (tg *T) Where() int {
	tg.TB.Helper()
	regs := tg.Regs()
	_, line, _ := tg.Tab().PCToLine(regs.PC() - tg.Bias())
	return line
}

// StepOp runs one next, step or stepout of the current goroutine and
// returns the line it ends at; it must end as a step.
func (tg *T) StepOp(op string) int {
	tg.TB.Helper()
	do := map[string]func() (*proc.Stop, error){"next": tg.Next, "step": tg.Target.Step, "stepout": tg.StepOut}[op]
	if do == nil {
		tg.TB.Fatalf("unknown step %q", op)
	}
	st, err := do()
	if err != nil {
		tg.TB.Fatalf("%s: %v", op, err)
	}
	if st.Reason != proc.StopStepped {
		tg.TB.Fatalf("%s did not end where it stepped: %v at %#x", op, st.Reason, st.Addr)
	}
	return tg.Where()
}
