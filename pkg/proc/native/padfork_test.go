package native

import (
	"fmt"
	"testing"

	"github.com/godbg/godbg/internal/fixtures"
	"github.com/godbg/godbg/pkg/proc"
)

// TestPadFork: forkfix padfork forks 20 children while a pad is armed on
// level (depth == 7, depth in rdi), which the parent passes once before
// each fork (false) and each child 1,000 times (true once). Let go (the
// default), every child runs its own original text — a true hit would
// kill it with SIGTRAP — and has no executable mapping of ours (it checks
// its maps: exit 11, not 12). Kept (detach-on-fork off), every child
// stops exactly once, at level's address with rdi = 7, and its pad
// counters go on from the parent's at the fork: i+1 passes of the parent
// plus 8 of its own, one true.
func TestPadFork(t *testing.T) {
	bin := fixtures.Build(t, "forkfix.c")
	const n = 20
	for _, keep := range []bool{false, true} {
		t.Run(fmt.Sprintf("keep=%v", keep), func(t *testing.T) {
			t.Setenv("GODBG_PAD", "1")
			args := []string{"padfork", fmt.Sprint(n)}
			if !keep {
				args = append(args, "clean")
			}
			p, lines := launchPiped(t, bin, args...)
			np := p.(*nproc)
			addr := funcAddr(t, bin, p, "level")
			var pd *pad
			var err error
			np.ex.run(func() {
				pd, err = np.setPadBreakpoint(addr, padCond{Loc: padReg, Reg: 5, Size: 8, Signed: true, Op: "==", K: 7}, nil)
			})
			if err != nil {
				t.Fatal(err)
			}
			exits := 0
			p.SetEventHandler(func(e proc.Event) {
				if e.Kind == proc.EventExit {
					if e.ExitCode != 11 {
						t.Errorf("child %d exited with %d (killed by %d)", e.Pid, e.ExitCode, e.KilledBy)
					}
					exits++
				}
			})
			p.SetForkPolicy(func(f proc.Fork) proc.ForkAction { return proc.ForkAction{Keep: keep} })
			stops := map[int]int{}
			for {
				st, err := p.Continue()
				if err != nil {
					t.Fatal(err)
				}
				if st.Reason == proc.StopExited && st.Pid == p.Pid() {
					break
				}
				if st.Reason != proc.StopBreakpoint || st.Pid == p.Pid() || st.Addr != addr {
					t.Fatalf("stop %+v, want a child's at level %#x", st, addr)
				}
				stops[st.Pid]++
				padForkChild(t, p, st, len(stops)-1)
			}
			if got, want := <-lines, fmt.Sprintf("padfork %d of %d sink %d", n, n, n*100+n*(n-1)/2); got != want {
				t.Fatalf("program printed %q, want %q", got, want)
			}
			want := 0
			if keep {
				want = n
			}
			if len(stops) != want || (keep && exits != n) {
				t.Fatalf("%d children stopped (want %d), %d exits", len(stops), want, exits)
			}
			for pid, k := range stops {
				if k != 1 {
					t.Fatalf("child %d stopped %d times", pid, k)
				}
			}
			_ = pd
		})
	}
}

// padForkChild checks the stop of child number i at its pad's true hit.
func padForkChild(t *testing.T, p proc.Process, st *proc.Stop, i int) {
	t.Helper()
	for _, q := range p.Targets() {
		c, ok := q.(*nproc)
		if !ok || c.pid != st.Pid {
			continue
		}
		th := c.threads[st.Tid]
		regsOf(c, th)
		passes, trues, ok := c.PadCounts(st.Addr)
		if th.regs.Rip != st.Addr || th.regs.Rdi != 7 || !ok || passes != uint64(i+1+8) || trues != 1 {
			t.Fatalf("child %d (%d): pc %#x rdi %d, pad counts %d passes %d true (%v); want %#x, 7, %d, 1",
				i, st.Pid, th.regs.Rip, th.regs.Rdi, passes, trues, ok, st.Addr, i+9)
		}
		return
	}
	t.Fatalf("child %d is not a target", st.Pid)
}
