package native

import (
	"fmt"
	"os"
	"strings"
	"testing"
	"time"

	"github.com/godbg/godbg/internal/fixtures"
	"github.com/godbg/godbg/pkg/proc"
)

// execMaps keeps the executable mappings of a maps listing: the program's
// code and every area a debugger maps (pads are rwx, slots r-x); the
// heap, which the program grows as it runs, is left out.
func execMaps(maps string) string {
	var keep []string
	for _, l := range strings.Split(maps, "\n") {
		if f := strings.Fields(l); len(f) > 1 && strings.Contains(f[1], "x") {
			keep = append(keep, l)
		}
	}
	return strings.Join(keep, "\n")
}

// TestPadAttachCycles attaches to padstress again and again while its 10
// goroutines pass main.hot under runtime.GC and CPU profiling (SIGPROF,
// and SIGURG preemption, arrive all the time, some while a thread is in a
// pad): each session arms the three pads, runs, halts and detaches with
// the pads armed. After every detach the text is the original and the
// executable mappings are those before the first attach (the pad areas
// unmapped: no signal frame can hold a pad pc); the program never crashes
// and prints what it prints untraced.
func TestPadAttachCycles(t *testing.T) {
	const n, cycles = "30000000", 12
	bin := fixtures.Build(t, "padstress")
	want := nativeOutput(t, bin, n)
	s := findPadSites(t, bin)
	t.Setenv("GODBG_PAD", "1")
	fx := fixtures.Start(t, bin, n)
	before := execMaps(readMaps(t, fx.Pid))
	for i := 0; i < cycles; i++ {
		p := mustAttach(t, fx.Pid)
		np := p.(*nproc)
		pads := armPads(t, np, s)
		stop := haltSoon(p, 30*time.Millisecond)
		st := continueBounded(t, p, 20*time.Second)
		stop()
		if st.Reason != proc.StopHalted {
			killIfLive(p)
			t.Fatalf("cycle %d: stop %+v, want a halt", i, st)
		}
		if err := p.Detach(); err != nil {
			t.Fatalf("cycle %d: detach: %v", i, err)
		}
		checkReleased(t, fx.Pid)
		textOK(t, fx.Pid, pads)
		if after := execMaps(readMaps(t, fx.Pid)); after != before {
			t.Fatalf("cycle %d: executable mappings changed:\nbefore:\n%s\nafter:\n%s", i, before, after)
		}
	}
	line, err := fx.Expect("sum", 120*time.Second)
	if err != nil {
		t.Fatal(err)
	}
	if line+"\n" != want {
		t.Fatalf("program printed %q after %d cycles, untraced %q", line, cycles, want)
	}
}

// textOK checks, through /proc/PID/mem of a detached program, that the
// text under every pad is the original instruction.
func textOK(t *testing.T, pid int, pads []*pad) {
	t.Helper()
	f, err := os.Open(fmt.Sprintf("/proc/%d/mem", pid))
	if err != nil {
		t.Fatal(err)
	}
	defer f.Close()
	for _, pd := range pads {
		buf := make([]byte, len(pd.orig))
		f.ReadAt(buf, int64(pd.addr))
		if string(buf) != string(pd.orig) {
			t.Fatalf("text at %#x is % x after detach, want % x", pd.addr, buf, pd.orig)
		}
	}
}
