package target_test

import (
	"fmt"
	"testing"

	"github.com/godbg/godbg/pkg/proc"
	"github.com/godbg/godbg/pkg/proc/target"
	"github.com/godbg/godbg/pkg/proc/target/targettest"
)

// TestPreparedFrames (issue 12): the frames prepared in the background
// from a stop's stack copy are the live unwind's, and are given only while
// the registers and the copied stack are unchanged.
func TestPreparedFrames(t *testing.T) {
	targettest.WithTarget(t, "stepseq", func(tg *targettest.T) {
		addr := tg.BreakAt("L:add1")
		tg.Cont()
		var th proc.Thread
		for _, c := range tg.P.Threads() {
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
		regs, err := target.RegsOf(r)
		if err != nil {
			t.Fatal(err)
		}
		snap := target.StackSnapshot{Addr: r.SP() &^ 4095, B: make([]byte, 8192)}
		n, _ := tg.P.ReadMemory(snap.Addr, snap.B)
		snap.B = snap.B[:n]
		tab, bias := tg.Img.Table(tg.P), tg.Img.Bias(tg.P)
		ps := target.NewPreparedStack(regs, snap, 2)
		target.PrepareStep(tab, bias, ps, addr-bias)

		got, ok, gotErr := tg.Img.PreparedFrames(ps, tg.P, regs, 2)
		if !ok {
			t.Fatal("no prepared frames for the unchanged stop")
		}
		live, liveErr := tg.Img.Unwind(tg.P, regs, 2)
		if fmt.Sprint(got) != fmt.Sprint(live) || fmt.Sprint(gotErr) != fmt.Sprint(liveErr) {
			t.Fatalf("prepared %v (%v), live %v (%v)", got, gotErr, live, liveErr)
		}
		if _, ok, _ := tg.Img.PreparedFrames(ps, tg.P, regs, 3); ok {
			t.Error("prepared frames given for another depth")
		}
		other := regs
		other.Set(0, regs.PC()^1)
		if _, ok, _ := tg.Img.PreparedFrames(ps, tg.P, other, 2); ok {
			t.Error("prepared frames given for other registers")
		}
		// A word of the copied stack changed: unwind again.
		word := make([]byte, 8)
		if _, err := tg.P.ReadMemory(r.SP()+8, word); err != nil {
			t.Fatal(err)
		}
		changed := append([]byte(nil), word...)
		changed[0] ^= 0xff
		if _, err := tg.P.WriteMemory(r.SP()+8, changed); err != nil {
			t.Fatal(err)
		}
		if _, ok, _ := tg.Img.PreparedFrames(ps, tg.P, regs, 2); ok {
			t.Error("prepared frames given after the stack changed")
		}
		if _, err := tg.P.WriteMemory(r.SP()+8, word); err != nil {
			t.Fatal(err)
		}
	})
}
