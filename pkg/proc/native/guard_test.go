package native

import (
	"fmt"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/godbg/godbg/internal/fixtures"
)

// TestGuardianEndsWithSession: the first breakpoint of an attached
// process starts a guardian that learns the breakpoints; a clean detach (and a kill) tells it "done" and it
// exits without touching the program. (The SIGKILL cases are driven
// through the real binary: cmd/godbg/guard_cli_test.go.)
func TestGuardianEndsWithSession(t *testing.T) {
	bin := fixtures.Build(t, "haltloop.c")
	for _, end := range []string{"detach", "kill"} {
		t.Run(end, func(t *testing.T) {
			logPath := filepath.Join(t.TempDir(), "guard.log")
			t.Setenv(envGuardLog, logPath)
			fx := fixtures.Start(t, bin, "1")
			pr := drainTicks(fx.Lines)
			p, err := Attach(fx.Pid)
			if err != nil {
				t.Fatal(err)
			}
			t.Cleanup(func() { killIfLive(p) })
			np := p.(*nproc)
			_, ripRel := spinSites(t, bin, p)
			if err := p.SetBreakpoint(ripRel, never); err != nil {
				t.Fatal(err)
			}
			if np.s.guard == nil || np.s.guard.w == nil {
				t.Fatal("no guardian started at the first breakpoint")
			}
			if end == "detach" {
				err = p.Detach()
			} else {
				err = p.Kill()
			}
			if err != nil {
				t.Fatal(err)
			}
			var log string
			for deadline := time.Now().Add(10 * time.Second); time.Now().Before(deadline); time.Sleep(5 * time.Millisecond) {
				b, _ := os.ReadFile(logPath)
				if log = string(b); strings.Contains(log, "done") {
					break
				}
			}
			if !strings.Contains(log, "guarding pid") || !strings.Contains(log, "done") || strings.Contains(log, "godbg gone") {
				t.Fatalf("guardian log:\n%s", log)
			}
			t.Logf("guardian log:\n%s", log)
			if end == "detach" && !pr.advances(5*time.Second) {
				t.Fatal("the program no longer progresses after the detach")
			}
		})
	}
}

// TestGuardianLazy: an attach that writes no breakpoint starts no
// guardian process (issue 12: attach + detach pays nothing for it); the
// first breakpoint starts it and returns once the guardian holds it.
func TestGuardianLazy(t *testing.T) {
	bin := fixtures.Build(t, "haltloop.c")
	logPath := filepath.Join(t.TempDir(), "guard.log")
	t.Setenv(envGuardLog, logPath)
	fx := fixtures.Start(t, bin, "1")
	drainTicks(fx.Lines)
	p, err := Attach(fx.Pid)
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { killIfLive(p) })
	np := p.(*nproc)
	if np.s.guard == nil || np.s.guard.w != nil {
		t.Fatalf("after the attach: guardian %+v, want one not yet started", np.s.guard)
	}
	if err := p.Detach(); err != nil {
		t.Fatal(err)
	}
	time.Sleep(100 * time.Millisecond)
	if b, err := os.ReadFile(logPath); err == nil && len(b) > 0 {
		t.Fatalf("a guardian ran for an attach without breakpoints:\n%s", b)
	}

	// Attached again, the first breakpoint starts the guardian and
	// returns only once the guardian holds it: the program may run with
	// the int3 at once.
	p, err = Attach(fx.Pid)
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { killIfLive(p) })
	_, ripRel := spinSites(t, bin, p)
	if err := p.SetBreakpoint(ripRel, never); err != nil {
		t.Fatal(err)
	}
	b, _ := os.ReadFile(logPath)
	if want := fmt.Sprintf("guarding pid %d", fx.Pid); !strings.Contains(string(b), want) {
		t.Fatalf("SetBreakpoint returned before the guardian took the breakpoint in; its log:\n%s", b)
	}
	if err := p.Detach(); err != nil {
		t.Fatal(err)
	}
}
