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
		p := ripRelSession(t, bin, fx.Pid, pr, i)
		if err := p.Detach(); err != nil {
			t.Fatalf("session %d: %v", i, err)
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
		np := ripRelSession(t, bin, fx.Pid, pr, i)
		if i < 6 {
			np.areas = nil // left behind, as by a debugger that was killed
		}
		if err := np.Detach(); err != nil {
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

// ripRelSession attaches to haltloop, runs it for a while with a
// false-condition breakpoint on spin's rip-relative load, which must run
// out of line, and halts it; the program must have progressed meanwhile.
func ripRelSession(t *testing.T, bin string, pid int, pr *progress, i int) *nproc {
	t.Helper()
	p, err := Attach(pid)
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
		t.Fatalf("session %d: stop %+v, calls %d → %d (no progress under the breakpoint?)", i, st, from, pr.ticks.Load())
	}
	return np
}
