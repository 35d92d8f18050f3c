// Package targettest is the one in-process test harness of godbg (issue
// 12): it builds a fixture, launches it stopped at its first instruction
// (proctest, its lower level) and gives it as a pkg/proc/target Target,
// and always kills it. Tests of pkg/proc/target and
// of the packages above it use it, instead of a local "build, launch, stop
// at a place, give me the process" of their own. Only tests import it
// (internal/layering checks that).
//
// Lines of a fixture's source are named by markers, one syntax for every
// fixture: a line ending in "// L:name" is "L:name". Delve's fixtures,
// whose sources we do not edit, are addressed by line numbers.
package targettest

import (
	"fmt"
	"testing"

	"github.com/godbg/godbg/pkg/proc"
	"github.com/godbg/godbg/pkg/proc/proctest"
	"github.com/godbg/godbg/pkg/proc/target"
	"github.com/godbg/godbg/pkg/symbols"
)

// Config says what to launch (proctest.Config).
type Config = proctest.Config

// T is one launched fixture: its Target (process and image), its main
// source file, and the breakpoints the test set.
type T struct {
	*target.Target
	*proctest.Fixture // TB, P, Bin, Src, Lines, Line
	Img               *target.Image
	bps               map[uint64]bool
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
	tg, err := load(proctest.Start(tb, cfg))
	if err != nil {
		tb.Fatal(err)
	}
	return tg
}

// Open is Start for a fixture shared by several tests (TestMain's
// business): errors are returned, and the caller must Close it. Delve's
// fixtures need a test (Start).
func Open(cfg Config) (*T, error) {
	f, err := proctest.Open(cfg)
	if err != nil {
		return nil, err
	}
	return load(f)
}

// Close kills the program if it still runs.
func (tg *T) Close() { tg.Fixture.Close() }

// load makes the Target of a launched fixture.
func load(f *proctest.Fixture) (*T, error) {
	// No background warm-up (a gate that has ended): the tests ask for
	// what they need, and a warm-up per launch would only compete with
	// them for the CPU.
	noWarm := &target.WarmGate{}
	noWarm.Stopped(true)
	img := target.LoadImage(f.Bin, noWarm)
	tg := &T{Target: target.New(f.P, img), Fixture: f, Img: img, bps: map[uint64]bool{}}
	if img.Table(f.P) == nil {
		f.Close()
		return nil, fmt.Errorf("%s: no symbols: %w", f.Bin, img.Err())
	}
	return tg, nil
}

// Tab is the program's symbol table; Bias its load bias (PIE).
func (tg *T) Tab() *symbols.Table { return tg.Img.Table(tg.P) }

// Bias is the program's load bias (0 unless a PIE).
func (tg *T) Bias() uint64 { return tg.Img.Bias(tg.P) }

// MarkerLine resolves "L:name", the line of file that ends in
// "// L:name", or a line number.
func MarkerLine(tb testing.TB, file, at string) int {
	tb.Helper()
	return proctest.MarkerLine(tb, file, at)
}

// Markers maps every "// L:name" marker of file to its line (keys
// without the "L:").
func Markers(tb testing.TB, file string) map[string]int {
	tb.Helper()
	return proctest.Markers(tb, file)
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
