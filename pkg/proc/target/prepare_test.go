package target

import (
	"fmt"
	"testing"

	"github.com/godbg/godbg/internal/fixtures"
	"github.com/godbg/godbg/pkg/proc"
	"github.com/godbg/godbg/pkg/symbols"
)

// TestPrepareStepIndexesRangeBodies (issue 12): the background step
// preparation builds the index of range-over-func bodies, which every
// next and step consults (a first next used to build it, searching every
// function name of the binary).
func TestPrepareStepIndexesRangeBodies(t *testing.T) {
	tab, err := symbols.Open(fixtures.Build(t, "stepseq"))
	if err != nil {
		t.Fatal(err)
	}
	fn, err := tab.LookupFunc("main.main")
	if err != nil {
		t.Fatal(err)
	}
	PrepareStep(tab, 0, NewPreparedStack(RegsAt(fn.Entry, 0, 0), StackSnapshot{}, 2), fn.Entry)
	tab.Derived(rangeIndexKey{}, func() any {
		t.Error("PrepareStep did not build the range-over-func index")
		return map[string][]*symbols.Func{}
	})
}

// TestPreparedFrames (issue 12): the frames prepared in the background
// from a stop's stack copy are the live unwind's, and are given only while
// the registers and the copied stack are unchanged.
func TestPreparedFrames(t *testing.T) {
	WithTarget(t, "stepseq", func(tg *tt) {
		addr := tg.breakAt("L:add1")
		tg.cont()
		var th proc.Thread
		for _, c := range tg.p.Threads() {
			if r, err := c.Registers(); err == nil && r.PC() == addr {
				th = c
			}
		}
		if th == nil {
			t.Fatal("no thread at the breakpoint")
		}
		r, err := th.Registers()
		if err != nil {
			t.Fatal(err)
		}
		regs, err := RegsOf(r)
		if err != nil {
			t.Fatal(err)
		}
		snap := StackSnapshot{Addr: r.SP() &^ 4095, B: make([]byte, 8192)}
		n, _ := tg.p.ReadMemory(snap.Addr, snap.B)
		snap.B = snap.B[:n]
		tab, bias := tg.img.Table(tg.p), tg.img.Bias(tg.p)
		ps := NewPreparedStack(regs, snap, 2)
		PrepareStep(tab, bias, ps, addr-bias)

		got, ok, gotErr := tg.img.PreparedFrames(ps, tg.p, regs, 2)
		if !ok {
			t.Fatal("no prepared frames for the unchanged stop")
		}
		live, liveErr := tg.img.Unwind(tg.p, regs, 2)
		if fmt.Sprint(got) != fmt.Sprint(live) || fmt.Sprint(gotErr) != fmt.Sprint(liveErr) {
			t.Fatalf("prepared %v (%v), live %v (%v)", got, gotErr, live, liveErr)
		}
		if _, ok, _ := tg.img.PreparedFrames(ps, tg.p, regs, 3); ok {
			t.Error("prepared frames given for another depth")
		}
		other := regs
		other.Set(0, regs.PC()^1)
		if _, ok, _ := tg.img.PreparedFrames(ps, tg.p, other, 2); ok {
			t.Error("prepared frames given for other registers")
		}
		// A word of the copied stack changed: unwind again.
		word := make([]byte, 8)
		if _, err := tg.p.ReadMemory(r.SP()+8, word); err != nil {
			t.Fatal(err)
		}
		changed := append([]byte(nil), word...)
		changed[0] ^= 0xff
		if _, err := tg.p.WriteMemory(r.SP()+8, changed); err != nil {
			t.Fatal(err)
		}
		if _, ok, _ := tg.img.PreparedFrames(ps, tg.p, regs, 2); ok {
			t.Error("prepared frames given after the stack changed")
		}
		if _, err := tg.p.WriteMemory(r.SP()+8, word); err != nil {
			t.Fatal(err)
		}
	})
}
