package native

import (
	"errors"
	"os"
	"os/exec"
	"strconv"
	"strings"
	"sync"
	"testing"

	"github.com/godbg/godbg/internal/fixtures"
	"github.com/godbg/godbg/pkg/proc"
)

// gochurnFixture is bench's Go thread-churn program (one source for both).
const gochurnFixture = "../bench/testdata/gochurn"

// TestGoThreadChurnUnderTracer: a Go program whose goroutines end their
// OS threads (300 clones, each by a thread that is itself about to end)
// and that sends itself SIGUSR1 after every 10th runs to the end under
// Continue: every signal reaches it once ("signals 30"), its output is
// the native one, and every new thread reported is reported gone.
func TestGoThreadChurnUnderTracer(t *testing.T) {
	bin := fixtures.Build(t, gochurnFixture)
	native, err := exec.Command(bin, "300", "10").Output()
	if err != nil {
		t.Fatalf("native run: %v", err)
	}
	if !strings.Contains(string(native), "signals 30\n") {
		t.Fatalf("native run printed %q, want signals 30", native)
	}
	p, lines := launchPiped(t, bin, "300", "10")
	var mu sync.Mutex
	seen := map[int]int{} // tid → +1 new, -1 exited
	signals := 0
	p.SetEventHandler(func(e proc.Event) {
		mu.Lock()
		defer mu.Unlock()
		switch e.Kind {
		case proc.EventNewThread:
			seen[e.Tid]++
		case proc.EventThreadExit:
			seen[e.Tid]--
		case proc.EventSignal:
			signals++
		}
	})
	st, err := p.Continue()
	if err != nil || st.Reason != proc.StopExited || st.ExitCode != 0 {
		t.Fatalf("stop %+v, %v; want exit 0", st, err)
	}
	var out []string
	for l := range lines {
		out = append(out, l)
	}
	if got, want := strings.Join(out, "\n"), strings.TrimSpace(string(native)); got != want {
		t.Fatalf("output under the tracer:\n%s\nnative:\n%s", got, want)
	}
	mu.Lock()
	defer mu.Unlock()
	if len(seen) < 300 {
		t.Errorf("%d threads reported, want at least 300 (one per goroutine)", len(seen))
	}
	for tid, n := range seen {
		if n != 0 {
			t.Errorf("thread %d: new-thread minus exit events = %d, want 0", tid, n)
		}
	}
	if signals != 0 {
		t.Errorf("%d signal events for SIGUSR1 (policy: pass, no print)", signals)
	}
}

// TestTracerTakesNoSIGCHLD: once a program is traced, this process no
// longer catches SIGCHLD (the kernel drops the one each tracee stop
// raises) and yet still reaps children with their status.
func TestTracerTakesNoSIGCHLD(t *testing.T) {
	bin := fixtures.Build(t, gochurnFixture)
	p, lines := launchPiped(t, bin, "1")
	go func() {
		for range lines {
		}
	}()
	if _, err := p.Continue(); err != nil {
		t.Fatal(err)
	}
	caught, err := caughtSignals()
	if err != nil {
		t.Fatal(err)
	}
	if caught&(1<<(17-1)) != 0 {
		t.Fatalf("SigCgt %#x: SIGCHLD still caught", caught)
	}
	err = exec.Command("sh", "-c", "exit 3").Run()
	var ee *exec.ExitError
	if !errors.As(err, &ee) || ee.ExitCode() != 3 {
		t.Fatalf("child exiting 3: %v", err)
	}
}

// caughtSignals is this process's SigCgt mask from /proc/self/status.
func caughtSignals() (uint64, error) {
	b, err := os.ReadFile("/proc/self/status")
	if err != nil {
		return 0, err
	}
	for _, l := range strings.Split(string(b), "\n") {
		if v, ok := strings.CutPrefix(l, "SigCgt:"); ok {
			return strconv.ParseUint(strings.TrimSpace(v), 16, 64)
		}
	}
	return 0, errors.New("no SigCgt line in /proc/self/status")
}

// TestTracerPollsOnlyInBursts: a program whose exit comes long after its
// launch leaves the run loop's wait blocking at once, not polling first
// (whether a burst makes it poll depends on timing, so is not tested).
func TestTracerPollsOnlyInBursts(t *testing.T) {
	p, lines := launchPiped(t, "/bin/sleep", "0.2")
	go func() {
		for range lines {
		}
	}()
	st, err := p.Continue()
	if err != nil || st.Reason != proc.StopExited {
		t.Fatalf("stop %+v, %v; want its exit", st, err)
	}
	if p.(*nproc).s.spin.hot {
		t.Errorf("the wait would poll after an event that came 0.2 s after the launch")
	}
}
