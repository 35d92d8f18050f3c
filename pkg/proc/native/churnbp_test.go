package native

import (
	"testing"

	"github.com/godbg/godbg/internal/fixtures"
	"github.com/godbg/godbg/pkg/proc"
)

// TestBreakOnOptimisedFuncOncePerThread: a breakpoint on work, in churn
// built with -O2 (no prologue; the next line row is inside work's loop),
// is hit once per thread created, not at every iteration of its loop.
func TestBreakOnOptimisedFuncOncePerThread(t *testing.T) {
	bin := fixtures.Build(t, "churn.c", "-O2")
	p, lines := launchPiped(t, bin, "4", "10")
	go func() {
		for range lines {
		}
	}()
	hits := 0
	count := func(proc.Hit) (bool, error) { hits++; return false, nil }
	if err := p.SetBreakpoint(funcAddr(t, bin, p, "work"), count); err != nil {
		t.Fatal(err)
	}
	st, err := p.Continue()
	if err != nil || st.Reason != proc.StopExited || st.ExitCode != 0 {
		t.Fatalf("stop %+v, %v; want exit 0", st, err)
	}
	if hits != 40 {
		t.Fatalf("work's breakpoint hit %d times, want 40 (once per thread)", hits)
	}
}
