package native

import (
	"testing"
	"time"

	"golang.org/x/arch/x86/x86asm"
	"golang.org/x/sys/unix"

	"github.com/godbg/godbg/internal/fixtures"
	"github.com/godbg/godbg/pkg/proc"
)

// TestPassedFaultOnSlotInstruction: a breakpoint (false condition, run out
// of line) on an instruction that faults, with the fault passed to the
// program (as Go programs' SIGSEGV are): the program's handler must get
// it. Before the fix the fault, reported with the pc in the scratch slot,
// made the tracer step the copied instruction again before delivering it
// (stepOffSlot), which faulted again, for ever: Continue never returned.
func TestPassedFaultOnSlotInstruction(t *testing.T) {
	bin := fixtures.Build(t, "slotfault.c")
	p, lines := launchPiped(t, bin, "5")
	p.SetSignalPolicy(func(sig int) proc.SignalPolicy {
		if sig == int(unix.SIGSEGV) {
			return proc.SignalPolicy{Pass: true}
		}
		return proc.DefaultSignalPolicy(sig)
	})
	// load's first statement loads p; the next instruction dereferences it.
	first := funcAddr(t, bin, p, "load")
	code := make([]byte, 16)
	if _, err := p.ReadText(first, code); err != nil {
		t.Fatal(err)
	}
	in, err := x86asm.Decode(code, 64)
	if err != nil {
		t.Fatal(err)
	}
	deref := first + uint64(in.Len)
	hits := 0
	if err := p.SetBreakpoint(deref, func(proc.Hit) (bool, error) { hits++; return false, nil }); err != nil {
		t.Fatal(err)
	}
	if bp := p.(*nproc).bps[deref]; bp.kind != passSlot {
		t.Fatalf("breakpoint on %v passes as %d, want a scratch slot", in, bp.kind)
	}
	done := make(chan *proc.Stop, 1)
	go func() {
		st, err := p.Continue()
		if err != nil {
			st = &proc.Stop{}
		}
		done <- st
	}()
	select {
	case st := <-done:
		if st.Reason != proc.StopExited || st.ExitCode != 0 {
			t.Fatalf("stop %+v, want the exit", st)
		}
	case <-time.After(20 * time.Second):
		p.RequestHalt()
		t.Fatalf("Continue still running after 20 s (%d hits): the fault is not delivered", hits)
	}
	if got := <-lines; got != "recovered 5" || hits != 5 {
		t.Fatalf("program printed %q after %d hits, want recovered 5 after 5", got, hits)
	}
}
