package native

import (
	"fmt"
	"testing"

	"github.com/godbg/godbg/internal/fixtures"
	"github.com/godbg/godbg/pkg/proc"
)

// A storm of forks with a breakpoint in the code every child runs: let go
// (the default), no child may die of our int3; kept (detach-on-fork off),
// every child stops once at it and exits normally.
func TestForkStormWithBreakpoint(t *testing.T) {
	bin := fixtures.Build(t, "forkfix.c")
	const n = 150
	for _, keep := range []bool{false, true} {
		t.Run(fmt.Sprintf("keep=%v", keep), func(t *testing.T) {
			p, lines := launchPiped(t, bin, "storm", fmt.Sprint(n))
			addr := funcAddr(t, bin, p, "level")
			if err := p.SetBreakpoint(addr, nil); err != nil {
				t.Fatal(err)
			}
			forks, exits := 0, 0
			p.SetEventHandler(func(e proc.Event) {
				switch e.Kind {
				case proc.EventFork:
					forks++
				case proc.EventExit:
					if e.ExitCode != 11 {
						t.Errorf("child %d exited with %d (killed by %d)", e.Pid, e.ExitCode, e.KilledBy)
					}
					exits++
				}
			})
			p.SetForkPolicy(func(f proc.Fork) proc.ForkAction { return proc.ForkAction{Keep: keep} })
			hits := map[int]int{}
			for {
				st, err := p.Continue()
				if err != nil {
					t.Fatal(err)
				}
				if st.Reason == proc.StopExited && st.Pid == p.Pid() {
					break
				}
				if st.Reason != proc.StopBreakpoint || st.Pid == p.Pid() {
					t.Fatalf("stop %+v", st)
				}
				hits[st.Pid]++
				if len(p.Targets()) != 2 {
					t.Fatalf("%d targets at a child's breakpoint, want 2", len(p.Targets()))
				}
				if ok, m := fixtures.AllStopped(p.Pid()); !ok {
					t.Fatalf("parent not stopped while the child %d is: %v", st.Pid, m)
				}
			}
			if got := <-lines; got != fmt.Sprintf("storm %d of %d", n, n) {
				t.Fatalf("program printed %q", got)
			}
			want := 0
			if keep {
				want = n
			}
			if len(hits) != want || forks != n || (keep && exits != n) {
				t.Fatalf("%d children hit the breakpoint (want %d), %d forks, %d exits", len(hits), want, forks, exits)
			}
			for pid, h := range hits {
				if h != 1 {
					t.Fatalf("child %d hit %d times", pid, h)
				}
			}
		})
	}
}
