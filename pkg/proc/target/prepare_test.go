package target_test

import (
	"fmt"
	"os"
	"strconv"
	"strings"
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

// planned runs op from the current thread's stop through the plan made
// as the debugger makes it after a stop (CopyStop, PrepareStep, here
// synchronously) and returns the line it ends at and whether the plan
// was taken.
func planned(tg *targettest.T, op string, change func(ps *target.PreparedStack) *target.PreparedStack) (line int, used bool) {
	tg.TB.Helper()
	regs := tg.Regs()
	ps := target.CopyStop(tg.P, tg.Thread(), regs, 2)
	target.PrepareStep(tg.Tab(), tg.Bias(), ps, regs.PC()-tg.Bias())
	before := tg.PlannedSteps()
	if change != nil {
		ps = change(ps)
	}
	r, err := tg.StepFrom(op, target.From{Prepared: ps})
	if err != nil || !r.Done || r.Stop.Reason != proc.StopStepped {
		tg.TB.Fatalf("%s: %+v %v", op, r, err)
	}
	return tg.Where(), tg.PlannedSteps() > before
}

// TestPlannedSteppingSequences (issue 12): steps from a stop take the
// plan made in the background and end where the planned-on-demand ones
// of TestSteppingSequences do.
func TestPlannedSteppingSequences(t *testing.T) {
	for _, sq := range stepSeqs {
		t.Run(sq.name, func(t *testing.T) {
			targettest.WithTarget(t, sq.fixture, func(tg *targettest.T) {
				tg.BreakAt(sq.start)
				tg.Cont()
				tg.ClearAll()
				for i, c := range sq.cmds {
					if c.cmd == "to" {
						tg.BreakAt(c.line)
						tg.Cont()
						tg.ClearAll()
						continue
					}
					got, used := planned(tg, c.cmd, nil)
					if want := tg.Line(c.line); got != want {
						t.Fatalf("command %d (%s) stopped at line %d, want %d (%s)", i+1, c.cmd, got, want, c.line)
					}
					if !used {
						t.Errorf("command %d (%s) planned on demand, not in the background", i+1, c.cmd)
					}
				}
			})
		})
	}
}

// TestPlannedStepFallsBack (issue 12): a step does not take the plan made
// at the stop when what it was made from changed since: a register, a
// word of the copied stack, the thread; it plans again and ends where it
// should.
func TestPlannedStepFallsBack(t *testing.T) {
	for _, c := range []struct {
		name   string
		change func(t *testing.T, tg *targettest.T, ps *target.PreparedStack) *target.PreparedStack
	}{
		{"unchanged", nil},
		{"register", func(t *testing.T, tg *targettest.T, ps *target.PreparedStack) *target.PreparedStack {
			th, _ := tg.P.Thread(tg.Thread())
			rs, ok := th.(proc.RegisterSetter)
			if !ok {
				t.Fatal("a live thread without SetRegister")
			}
			regs := tg.Regs()
			r12, _ := regs.Get(12) // dead at a statement start of an -N -l build
			if err := rs.SetRegister("r12", r12^0x5a5a); err != nil {
				t.Fatal(err)
			}
			return ps
		}},
		{"stack", func(t *testing.T, tg *targettest.T, ps *target.PreparedStack) *target.PreparedStack {
			regs := tg.Regs()
			at := regs.SP() - 16 // below sp: dead, but in the copy from sp's page
			if at < regs.SP()&^4095 {
				t.Skip("sp is at its page's start: nothing below it was copied")
			}
			if _, err := tg.P.WriteMemory(at, []byte{0xa5, 0x5a}); err != nil {
				t.Fatal(err)
			}
			return ps
		}},
		{"thread", func(t *testing.T, tg *targettest.T, ps *target.PreparedStack) *target.PreparedStack {
			other := target.CopyStop(tg.P, tg.Thread()+100000, tg.Regs(), 2)
			regs := tg.Regs()
			target.PrepareStep(tg.Tab(), tg.Bias(), other, regs.PC()-tg.Bias())
			return other
		}},
	} {
		t.Run(c.name, func(t *testing.T) {
			targettest.WithTarget(t, "stepseq", func(tg *targettest.T) {
				tg.BreakAt("L:tw1")
				tg.Cont()
				tg.ClearAll()
				var change func(ps *target.PreparedStack) *target.PreparedStack
				if c.change != nil {
					change = func(ps *target.PreparedStack) *target.PreparedStack { return c.change(t, tg, ps) }
				}
				got, used := planned(tg, "next", change)
				if want := tg.Line("L:tw2"); got != want {
					t.Fatalf("next stopped at line %d, want %d", got, want)
				}
				if used != (c.change == nil) {
					t.Errorf("plan taken: %v, want %v", used, c.change == nil)
				}
			})
		})
	}
}

// TestWarmedPlanSetsWithoutWrites (issue 12): once the backend's side of
// a plan's breakpoints was prepared after the stop (WarmPlans), taking
// the plan neither reads nor writes the process (the backend counted no
// change since the stop's copies, proc.Generations): counted by the
// kernel in /proc/self/io.
func TestWarmedPlanSetsWithoutWrites(t *testing.T) {
	for _, warm := range []bool{false, true} {
		targettest.WithTarget(t, "stepseq", func(tg *targettest.T) {
			tg.BreakAt("L:tw1")
			tg.Cont()
			tg.ClearAll()
			regs := tg.Regs()
			ps := target.CopyStop(tg.P, tg.Thread(), regs, 2)
			target.PrepareStep(tg.Tab(), tg.Bias(), ps, regs.PC()-tg.Bias())
			if warm {
				tg.WarmPlans(ps)
			}
			rb, _ := ioCounts(t)
			r0, w0 := ioCounts(t)
			cancel, ok := tg.TakePlan("next", target.From{Prepared: ps})
			r1, w1 := ioCounts(t)
			r1 -= r0 - rb // ioCounts' own reads
			defer cancel()
			if !ok {
				t.Fatal("no plan taken")
			}
			t.Logf("warm %v: %d reads, %d writes", warm, r1-r0, w1-w0)
			if warm && (r1 != r0 || w1 != w0) {
				t.Errorf("a warmed plan read the process %d times and wrote %d times, want none", r1-r0, w1-w0)
			}
			if !warm && w1 == w0 {
				t.Errorf("a plan not warmed wrote nothing: the test sees no writes")
			}
		})
	}
}

// ioCounts reads this process's read and write system call counts.
func ioCounts(t *testing.T) (syscr, syscw int) {
	t.Helper()
	b, err := os.ReadFile("/proc/self/io")
	if err != nil {
		t.Skip("no /proc/self/io:", err)
	}
	for _, l := range strings.Split(string(b), "\n") {
		k, v, _ := strings.Cut(l, ": ")
		n, _ := strconv.Atoi(v)
		switch k {
		case "syscr":
			syscr = n
		case "syscw":
			syscw = n
		}
	}
	return syscr, syscw
}
