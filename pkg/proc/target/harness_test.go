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
	"github.com/godbg/godbg/pkg/proc/goroutines"
)

// The in-process test harness: WithTarget builds a fixture, launches it
// through this package, and always kills it; tt drives it with the
// Stepper directly (no service, no CLI). Lines are named in a fixture's
// source by "// L:name" markers (our fixtures) or given as numbers (Delve's
// fixtures, whose sources we do not edit).

// tt is one launched fixture.
type tt struct {
	t    *testing.T
	p    proc.Process
	img  *Image
	src  string                // the main source file
	tid  int                   // the thread of the last stop
	bps  map[uint64]bool       // the test's breakpoints (owner userOwner)
	bls  map[uint64]*Breaklets // every address's breaklets
	gr   *goroutines.Reader
	last *proc.Stop
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
	tg := &tt{t: t, p: p, img: LoadImage(bin), src: src, tid: p.Pid(), bps: map[uint64]bool{}, bls: map[uint64]*Breaklets{}}
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

// Breaklet owners of the harness.
const (
	userOwner = 1
	stepOwner = -1
)

// setBreaklet adds owner's breaklet at addr, sharing the address with
// the others there.
func (tg *tt) setBreaklet(addr uint64, owner int, cond proc.BreakCond) error {
	if bl := tg.bls[addr]; bl != nil {
		bl.Put(owner, cond)
		return nil
	}
	bl := NewBreaklets(owner, cond)
	if err := tg.p.SetBreakpoint(addr, bl.Eval); err != nil {
		return err
	}
	tg.bls[addr] = bl
	return nil
}

func (tg *tt) clearBreaklet(addr uint64, owner int) {
	if bl := tg.bls[addr]; bl != nil && !bl.Drop(owner) {
		delete(tg.bls, addr)
		tg.p.ClearBreakpoint(addr)
	}
}

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
	if err := tg.setBreaklet(addr, userOwner, cond); err != nil {
		tg.t.Fatalf("breakpoint at %s (%#x): %v", where, addr, err)
	}
	tg.bps[addr] = true
	return addr
}

func (tg *tt) clearAll() {
	for a := range tg.bps {
		tg.clearBreaklet(a, userOwner)
		delete(tg.bps, a)
	}
}

// cont continues to a breakpoint of ours and returns the line it is at.
func (tg *tt) cont() int {
	tg.t.Helper()
	st, err := tg.p.Continue()
	if err != nil {
		tg.t.Fatalf("continue: %v", err)
	}
	if st.Reason != proc.StopBreakpoint || tg.bls[st.Addr] == nil || !tg.bls[st.Addr].FiredFor(st.Tid, userOwner) {
		tg.t.Fatalf("continue stopped with %v at %#x, not at a breakpoint of the test", st.Reason, st.Addr)
	}
	tg.tid, tg.last = st.Tid, st
	return tg.where()
}

// where is the line the current thread stopped at.
func (tg *tt) where() int {
	tg.t.Helper()
	regs, ok := ThreadRegs(tg.p, tg.tid)
	if !ok {
		tg.t.Fatalf("no registers of thread %d", tg.tid)
	}
	_, line, _ := tg.img.Table(tg.p).PCToLine(regs.PC() - tg.img.Bias(tg.p))
	return line
}

// step runs one next, step or stepout of the current goroutine and
// returns the line it ends at.
func (tg *tt) step(op string) int {
	tg.t.Helper()
	regs, ok := ThreadRegs(tg.p, tg.tid)
	if !ok {
		tg.t.Fatalf("no registers of thread %d", tg.tid)
	}
	frames, err := tg.img.Unwind(tg.p, regs, 2)
	if len(frames) == 0 {
		tg.t.Fatalf("%s: no stack: %v", op, err)
	}
	h := &testHost{tg: tg}
	s := NewStepper(h, tg.p, tg.img, tg.tid, 0, frames[0].CFA)
	if tg.img.Table(tg.p).IsGo() {
		if tg.gr == nil {
			tg.gr, err = goroutines.NewReader(tg.img.Table(tg.p), tg.p, tg.img.Bias(tg.p))
			if err != nil {
				tg.t.Fatalf("goroutines: %v", err)
			}
		}
		if IsRuntimeFunc(frames[0].Func) || !s.FastG(tg.gr, frames[0].Regs) {
			tg.t.Fatalf("%s from %s: the harness steps user goroutines only", op, frames[0].Func)
		}
	}
	if err := s.Plan(op, frames); err != nil {
		tg.t.Fatalf("%s: %v", op, err)
	}
	var r Result
	done := false
	if in, ok := s.InstAt(regs.PC()); ok && in.Call && op == "step" {
		r, done = s.Enter(&proc.Stop{Reason: proc.StopBreakpoint, Pid: tg.p.Pid(), Tid: tg.tid, Addr: regs.PC()})
	}
	if !done {
		if r, err = s.Drive(); err != nil {
			tg.t.Fatalf("%s: %v", op, err)
		}
	}
	if !r.Done || r.Stop.Reason != proc.StopStepped {
		s.Cancel()
		tg.t.Fatalf("%s did not end where it stepped: %v (done %v)", op, r.Stop.Reason, r.Done)
	}
	tg.tid, tg.last = r.Stop.Tid, r.Stop
	return tg.where()
}

// testHost hosts a Stepper on the harness's breaklets: its temporary
// breakpoints share addresses with the test's.
type testHost struct{ tg *tt }

func (h *testHost) SetBreaklet(p proc.Process, addr uint64, cond proc.BreakCond) error {
	return h.tg.setBreaklet(addr, stepOwner, cond)
}
func (h *testHost) ClearBreaklet(p proc.Process, addr uint64) { h.tg.clearBreaklet(addr, stepOwner) }
func (h *testHost) StepFired(p proc.Process, st *proc.Stop) bool {
	bl := h.tg.bls[st.Addr]
	return bl != nil && bl.FiredFor(st.Tid, stepOwner) && !bl.FiredFor(st.Tid, userOwner)
}
func (h *testHost) Run(p proc.Process) (*proc.Stop, error) { return p.Continue() }
func (h *testHost) Unwind(depth int) ([]Frame, error) {
	regs, ok := ThreadRegs(h.tg.p, h.tg.tid)
	if !ok {
		return nil, fmt.Errorf("no registers of thread %d", h.tg.tid)
	}
	return h.tg.img.Unwind(h.tg.p, regs, depth)
}
func (h *testHost) AtReturn(tid int) {}
