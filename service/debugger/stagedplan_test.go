package debugger

import (
	"bytes"
	"debug/elf"
	"fmt"
	"testing"

	"github.com/godbg/godbg/internal/fixtures"
	"github.com/godbg/godbg/pkg/proc/target/targettest"
)

// TestWarmedPlanIsDormant (issue 12): the breakpoints staged for the
// stop's plans after it (warmPlans) are dormant: memory shows the
// program's bytes, a continue stops only at user breakpoints with the
// right hit counts, also one set afterwards at a planned address and a
// conditional one (a jump pad) where the next's plan joins it; the next
// that takes the plan arms its breakpoints and ends on its line.
func TestWarmedPlanIsDormant(t *testing.T) {
	bin := fixtures.Build(t, "stepfix")
	src := fixtures.Source("stepfix/main.go")
	line := func(at string) int { return targettest.MarkerLine(t, src, at) }
	d := stepfixAt(t, fmt.Sprintf("main.go:%d", line("L:sh1")))
	if st, err := d.Continue(); err != nil || st.CurrentThread == nil || st.CurrentThread.Location.Line != line("L:sh1") {
		t.Fatalf("continue: %+v %v", st, err)
	}
	warm := func() {
		d.waitPlanned(t)
		d.mu.Lock()
		ps := d.prepared
		d.mu.Unlock()
		d.warmPlans(ps) // maybe again: staging twice is harmless
	}
	warm()
	d.mu.Lock()
	pcs, err := d.table().LineToPCs(src, line("L:sh2"))
	bias := d.bias()
	d.mu.Unlock()
	if err != nil || len(pcs) == 0 {
		t.Fatalf("no code at L:sh2: %v", err)
	}
	if got, want := readMem(t, d, pcs[0]+bias), fileText(t, bin, pcs[0]); !bytes.Equal(got, want) {
		t.Errorf("memory at a staged address (L:sh2) shows %x, the program has %x", got, want)
	}
	for _, c := range []struct{ at, cond string }{{"L:sh3", ""}, {"L:sh4", "x >= 0"}} {
		if _, err := d.CreateBreakpoint("", fmt.Sprintf("main.go:%d", line(c.at)), c.cond); err != nil {
			t.Fatal(err)
		}
	}
	if st, err := d.Continue(); err != nil || st.CurrentThread == nil || st.CurrentThread.Location.Line != line("L:sh3") {
		t.Fatalf("continue past a staged L:sh2: %+v %v", st, err)
	}
	warm()
	planned, armed := d.tgt.PlannedSteps(), d.tgt.ArmedBreaklets()
	if st, err := d.Next(1); err != nil || st.CurrentThread == nil || st.CurrentThread.Location.Line != line("L:sh4") {
		t.Fatalf("next from L:sh3: %+v %v", st, err)
	}
	if d.tgt.PlannedSteps() != planned+1 || d.tgt.ArmedBreaklets() == armed {
		t.Errorf("next took %d plans and armed %d breaklets, want 1 and some", d.tgt.PlannedSteps()-planned, d.tgt.ArmedBreaklets()-armed)
	}
	bps, err := d.ListBreakpoints()
	if err != nil {
		t.Fatal(err)
	}
	for _, b := range bps {
		t.Logf("breakpoint %d %s: %d hits, path %q", b.ID, b.Spec, b.TotalHits, b.Path)
		if b.ID > 0 && b.TotalHits != 1 {
			t.Errorf("breakpoint %d (%s) hit %d times, want 1", b.ID, b.Spec, b.TotalHits)
		}
	}
}

func readMem(t *testing.T, d *Debugger, addr uint64) []byte {
	t.Helper()
	b, err := d.ReadMemory(addr, 8)
	if err != nil {
		t.Fatal(err)
	}
	return b
}

// fileText is the 8 bytes of the executable bin at link-time address a.
func fileText(t *testing.T, bin string, a uint64) []byte {
	t.Helper()
	f, err := elf.Open(bin)
	if err != nil {
		t.Fatal(err)
	}
	defer f.Close()
	s := f.Section(".text")
	b := make([]byte, 8)
	if _, err := s.ReadAt(b, int64(a-s.Addr)); err != nil {
		t.Fatal(err)
	}
	return b
}
