package target

import (
	"bufio"
	"fmt"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/godbg/godbg/internal/fixtures"
	"github.com/godbg/godbg/pkg/proc"
)

// The in-process test harness: WithTarget builds a fixture, launches it
// through this package as a Target, and always kills it; tt drives it
// (no service, no CLI). Lines are named in a fixture's
// source by "// L:name" markers (our fixtures) or given as numbers (Delve's
// fixtures, whose sources we do not edit).

// tt is one launched fixture.
type tt struct {
	*Target
	t   *testing.T
	p   proc.Process
	img *Image
	src string          // the main source file
	bps map[uint64]bool // the test's breakpoints (owner userOwner)
}

// WithTarget runs fn on fixture launched and stopped at its first
// instruction. fixture is a directory or .c file in _fixtures, or
// "delve:name" (built from Delve's _fixtures; "delve:name+inline" keeps
// inlining on); "name+pie" builds a Go fixture as a PIE.
func WithTarget(t *testing.T, fixture string, fn func(tg *tt)) {
	t.Helper()
	bin, src := buildFor(t, fixture)
	devnull, err := os.OpenFile(os.DevNull, os.O_RDWR, 0)
	if err != nil {
		t.Fatal(err)
	}
	defer devnull.Close()
	p, err := Launch(LaunchConfig{Path: bin, Stdin: devnull, Stdout: devnull, Stderr: devnull})
	if err != nil {
		t.Fatalf("launching %s: %v", bin, err)
	}
	defer func() {
		if !p.Exited() {
			p.Kill()
		}
	}()
	img := LoadImage(bin, nil)
	tg := &tt{Target: New(p, img), t: t, p: p, img: img, src: src, bps: map[uint64]bool{}}
	if tg.img.Table(p) == nil {
		t.Fatalf("%s: no symbols: %v", bin, tg.img.Err())
	}
	fn(tg)
}

func buildFor(t *testing.T, fixture string) (bin, src string) {
	if name, ok := strings.CutPrefix(fixture, "delve:"); ok {
		name, inline := strings.CutSuffix(name, "+inline")
		return fixtures.BuildDelve(t, name, inline), filepath.Join(fixtures.DelveDir(t), name+".go")
	}
	var extra []string
	if name, ok := strings.CutSuffix(fixture, "+pie"); ok {
		fixture, extra = name, []string{"-buildmode=pie"}
	}
	src = fixtures.Source(fixture)
	if st, err := os.Stat(src); err == nil && st.IsDir() {
		src = filepath.Join(src, "main.go")
	}
	return fixtures.Build(t, fixture, extra...), src
}

// line resolves "L:name" (a marker in the main source) or a number.
func (tg *tt) line(at string) int {
	tg.t.Helper()
	var n int
	if _, err := fmt.Sscan(at, &n); err == nil {
		return n
	}
	f, err := os.Open(tg.src)
	if err != nil {
		tg.t.Fatal(err)
	}
	defer f.Close()
	sc := bufio.NewScanner(f)
	for i := 1; sc.Scan(); i++ {
		if strings.HasSuffix(strings.TrimSpace(sc.Text()), "// "+at) {
			return i
		}
	}
	tg.t.Fatalf("no marker %q in %s", at, tg.src)
	return 0
}

// userOwner owns the test's breakpoints.
const userOwner = 1

// breakAt sets a breakpoint at a function's first statement, or at a
// line ("L:name" or a number) of the main source.
func (tg *tt) breakAt(where string) uint64 { return tg.breakIf(where, nil) }

// breakIf is breakAt with a condition.
func (tg *tt) breakIf(where string, cond proc.BreakCond) uint64 {
	tg.t.Helper()
	tab, bias := tg.img.Table(tg.p), tg.img.Bias(tg.p)
	var addr uint64
	if fn, err := tab.LookupFunc(where); err == nil {
		addr = tab.FirstStmtPC(fn) + bias
	} else {
		pcs, err := tab.LineToPCs(tg.src, tg.line(where))
		if err != nil || len(pcs) == 0 {
			tg.t.Fatalf("no code at %s:%s: %v", tg.src, where, err)
		}
		addr = pcs[0] + bias
	}
	if err := tg.SetBreaklet(addr, userOwner, cond); err != nil {
		tg.t.Fatalf("breakpoint at %s (%#x): %v", where, addr, err)
	}
	tg.bps[addr] = true
	return addr
}

func (tg *tt) clearAll() {
	for a := range tg.bps {
		tg.ClearBreaklet(a, userOwner)
		delete(tg.bps, a)
	}
}

// cont continues to a breakpoint of ours and returns the line it is at.
func (tg *tt) cont() int {
	tg.t.Helper()
	st, err := tg.Continue()
	if err != nil {
		tg.t.Fatalf("continue: %v", err)
	}
	if !tg.Fired(st, userOwner) {
		tg.t.Fatalf("continue stopped with %v at %#x, not at a breakpoint of the test", st.Reason, st.Addr)
	}
	return tg.where()
}

// where is the line the current thread stopped at.
func (tg *tt) where() int {
	tg.t.Helper()
	regs, ok := ThreadRegs(tg.p, tg.Thread())
	if !ok {
		tg.t.Fatalf("no registers of thread %d", tg.Thread())
	}
	_, line, _ := tg.img.Table(tg.p).PCToLine(regs.PC() - tg.img.Bias(tg.p))
	return line
}

// step runs one next, step or stepout of the current goroutine and
// returns the line it ends at; it must end as a step.
func (tg *tt) step(op string) int {
	tg.t.Helper()
	do := map[string]func() (*proc.Stop, error){"next": tg.Next, "step": tg.Step, "stepout": tg.StepOut}[op]
	st, err := do()
	if err != nil {
		tg.t.Fatalf("%s: %v", op, err)
	}
	if st.Reason != proc.StopStepped {
		tg.t.Fatalf("%s did not end where it stepped: %v at %#x", op, st.Reason, st.Addr)
	}
	return tg.where()
}
