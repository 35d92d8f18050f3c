package native

import (
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/godbg/godbg/internal/fixtures"
)

// TestGuardianEndsWithSession: an attach starts a guardian that learns
// the breakpoints; a clean detach (and a kill) tells it "done" and it
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
			if np.s.guard == nil || np.s.guard.w == nil {
				t.Fatal("no guardian started at attach")
			}
			_, ripRel := spinSites(t, bin, p)
			if err := p.SetBreakpoint(ripRel, never); err != nil {
				t.Fatal(err)
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
