package native

import (
	"os"
	"strconv"
	"testing"
	"time"

	"github.com/godbg/godbg/internal/fixtures"
	"github.com/godbg/godbg/pkg/proc"
)

func readMaps(t *testing.T, pid int) string {
	t.Helper()
	b, err := os.ReadFile("/proc/" + strconv.Itoa(pid) + "/maps")
	if err != nil {
		t.Fatal(err)
	}
	return string(b)
}

// TestScratchUnmappedAtDetach attaches to one process again and again,
// each session with a false-condition breakpoint on a rip-relative load
// (run out of line from scratch memory): every session must let the
// program progress, and after the last detach its mappings must be what
// they were before the first attach.
func TestScratchUnmappedAtDetach(t *testing.T) {
	bin := fixtures.Build(t, "haltloop.c")
	fx := fixtures.Start(t, bin, "1")
	pr := drainTicks(fx.Lines)
	if !pr.advances(5 * time.Second) {
		t.Fatal("the fixture does not progress untraced")
	}
	before := readMaps(t, fx.Pid)
	for i := 0; i < 8; i++ {
		p, err := Attach(fx.Pid)
		if err != nil {
			t.Fatalf("session %d: %v", i, err)
		}
		t.Cleanup(func() { killIfLive(p) })
		_, ripRel := spinSites(t, bin, p)
		if err := p.SetBreakpoint(ripRel, never); err != nil {
			t.Fatalf("session %d: %v", i, err)
		}
		from := pr.ticks.Load()
		stop := haltSoon(p, 150*time.Millisecond)
		st := continueBounded(t, p, 10*time.Second)
		stop()
		if st.Reason != proc.StopHalted {
			t.Fatalf("session %d: stop %+v, want halted", i, st)
		}
		if err := p.Detach(); err != nil {
			t.Fatalf("session %d: %v", i, err)
		}
		if got := pr.ticks.Load(); got <= from {
			t.Fatalf("session %d: no progress under the breakpoint (%d calls before, %d after)", i, from, got)
		}
	}
	if !pr.advances(5 * time.Second) {
		t.Fatal("the program no longer progresses after the last detach")
	}
	if after := readMaps(t, fx.Pid); after != before {
		t.Fatalf("mappings changed:\nbefore:\n%s\nafter:\n%s", before, after)
	}
}

// TestScratchAfterLeftovers: areas an earlier debugger left in the
// program (sessions here that "forget" theirs) must not keep a new
// session from running a rip-relative instruction out of line.
func TestScratchAfterLeftovers(t *testing.T) {
	bin := fixtures.Build(t, "haltloop.c")
	fx := fixtures.Start(t, bin, "1")
	pr := drainTicks(fx.Lines)
	for i := 0; i < 7; i++ {
		p, err := Attach(fx.Pid)
		if err != nil {
			t.Fatalf("session %d: %v", i, err)
		}
		t.Cleanup(func() { killIfLive(p) })
		_, ripRel := spinSites(t, bin, p)
		if err := p.SetBreakpoint(ripRel, never); err != nil {
			t.Fatalf("session %d: %v", i, err)
		}
		np := p.(*nproc)
		if bp := np.bps[ripRel]; bp.kind != passSlot {
			t.Fatalf("session %d: the rip-relative load is not run out of line (kind %d)", i, bp.kind)
		}
		from := pr.ticks.Load()
		stop := haltSoon(p, 100*time.Millisecond)
		st := continueBounded(t, p, 10*time.Second)
		stop()
		if st.Reason != proc.StopHalted || pr.ticks.Load() <= from {
			t.Fatalf("session %d: stop %+v, calls %d → %d", i, st, from, pr.ticks.Load())
		}
		if i < 6 {
			np.areas = nil // left behind, as by a debugger that was killed
		}
		if err := p.Detach(); err != nil {
			t.Fatalf("session %d: %v", i, err)
		}
	}
}

// killIfLive ends a session a failed test left open.
func killIfLive(p proc.Process) {
	if !p.Exited() {
		p.Kill()
	}
}
