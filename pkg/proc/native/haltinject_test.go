package native

import (
	"fmt"
	"testing"

	"golang.org/x/sys/unix"

	"github.com/godbg/godbg/internal/fixtures"
	"github.com/godbg/godbg/pkg/proc"
)

// TestHaltStopDuringInjectedSyscall: a halt request's wake-up SIGSTOP that
// reaches a thread while the tracer steps it alone (here through an
// injected system call) is the halt's, not a signal to hold for the
// program. Before the fix it was held and delivered at the Continue after
// the halt, which stopped again at once (a second halt here; a SIGSTOP
// stop once the halt's record was gone) with the process group-stopped.
func TestHaltStopDuringInjectedSyscall(t *testing.T) {
	bin := fixtures.Build(t, "bpfix.c")
	p, lines := launchPiped(t, bin, "2", "50")
	np := p.(*nproc)
	var pid uint64
	var err error
	np.ex.run(func() {
		s := np.s
		// As requestHalt does while threads run: the request, and its
		// SIGSTOP on the thread system calls are injected into.
		s.haltMu.Lock()
		s.haltReq.Store(true)
		if err = tgkill(np.pid, np.pid, sigSTOP); err == nil {
			s.haltSent[np.pid] = true
		}
		s.haltMu.Unlock()
		if err == nil {
			pid, err = np.injectSyscall(np.injectThread(), unix.SYS_GETPID)
		}
	})
	if err != nil || int(pid) != p.Pid() {
		t.Fatalf("injected getpid = %d, %v; want %d", pid, err, p.Pid())
	}
	st, err := p.Continue()
	if err != nil || st.Reason != proc.StopHalted {
		t.Fatalf("first Continue: %+v %v, want halted", st, err)
	}
	st, err = p.Continue()
	if err != nil || st.Reason != proc.StopExited || st.ExitCode != 0 {
		t.Fatalf("second Continue: %+v %v, want the exit (status 0)", st, err)
	}
	if got, want := <-lines, fmt.Sprintf("sum %d", expectedSum(2, 50)); got != want {
		t.Fatalf("program printed %q, want %q", got, want)
	}
}
