package native

import (
	"fmt"
	"strings"
	"testing"

	"golang.org/x/sys/unix"

	"github.com/godbg/godbg/internal/fixtures"
	"github.com/godbg/godbg/pkg/proc"
)

// TestRegistersAfterPassedSignals: a thread resumed with a passed signal
// while scratch slots exist must not keep the registers read when it was
// resumed. Before the fix the slot check cached them, the thread's next
// stop (the SIGSTOP of an all-stop) did not drop them, and whatever was
// written back from that copy (passing a breakpoint, mapping a slot pc
// back) rewound the thread: in Go programs an instruction ran twice.
// Here every thread's registers at each stop must be the kernel's.
func TestRegistersAfterPassedSignals(t *testing.T) {
	bin := fixtures.Build(t, "sigslot.c")
	const n = 3000
	p, lines := launchPiped(t, bin, fmt.Sprint(n))
	np := p.(*nproc)
	// hot runs out of line (a scratch slot exists); its condition is false.
	if err := p.SetBreakpoint(funcAddr(t, bin, p, "hot"), func(proc.Hit) (bool, error) { return false, nil }); err != nil {
		t.Fatal(err)
	}
	mark := funcAddr(t, bin, p, "mark")
	if err := p.SetBreakpoint(mark, nil); err != nil {
		t.Fatal(err)
	}
	stops := 0
	continueToExit(t, p, func(st *proc.Stop) {
		if st.Addr != mark {
			t.Fatalf("stop %+v", st)
		}
		stops++
		for _, th := range p.Threads() {
			r, err := th.Registers()
			if err != nil {
				t.Fatal(err)
			}
			var kr unix.PtraceRegs
			np.ex.run(func() { err = ptraceGetRegs(th.ID(), &kr) })
			if err != nil {
				t.Fatal(err)
			}
			if r.PC() != kr.Rip || r.SP() != kr.Rsp {
				t.Fatalf("stop %d: thread %d registers say pc %#x sp %#x, the kernel pc %#x sp %#x",
					stops, th.ID(), r.PC(), r.SP(), kr.Rip, kr.Rsp)
			}
		}
	})
	if stops != n/100 {
		t.Fatalf("%d stops at mark, want %d", stops, n/100)
	}
	got := <-lines
	var sum, raised, handled int
	if _, err := fmt.Sscanf(got, "sum %d raised %d handled %d", &sum, &raised, &handled); err != nil {
		t.Fatalf("program printed %q: %v", got, err)
	}
	if sum != n*n || raised != handled || raised == 0 {
		t.Fatalf("program printed %q, want sum %d and as many handled as raised (> 0)", strings.TrimSpace(got), n*n)
	}
}

// TestStepOffSlotWithPendingSignal: a single step of a thread standing on
// a slot's copied instruction with a signal waiting to be delivered from
// the original code (stepOffSlot's state) runs that instruction and stops
// at the next one in the original code; the signal waits for the next
// Continue. Before the fix the step went on into the signal's handler.
func TestStepOffSlotWithPendingSignal(t *testing.T) {
	bin := fixtures.Build(t, "sigslot.c")
	const n = 300
	p, lines := launchPiped(t, bin, fmt.Sprint(n))
	np := p.(*nproc)
	hot := funcAddr(t, bin, p, "hot")
	if err := p.SetBreakpoint(hot, nil); err != nil {
		t.Fatal(err)
	}
	st, err := p.Continue()
	if err != nil || st.Reason != proc.StopBreakpoint || st.Addr != hot {
		t.Fatalf("stop %+v %v, want the breakpoint on hot", st, err)
	}
	bp := np.bps[hot]
	if bp.kind != passSlot {
		t.Fatalf("hot's breakpoint passes as %d, want a scratch slot", bp.kind)
	}
	// The state stepOffSlot leaves when an all-stop catches the thread
	// before its step: on the copied instruction, SIGUSR1 waiting.
	th := np.threads[st.Tid]
	if err := p.QueueSignal(th.tid, int(unix.SIGUSR1)); err != nil {
		t.Fatal(err)
	}
	np.ex.run(func() {
		th.regsValid = false
		if err = th.getRegs(); err == nil {
			_, err = np.pass(th, bp)
		}
		th.slotSig, th.slotInfo = th.heldSig, th.heldInfo
		th.heldSig, th.forceInfo, th.regsValid = 0, false, false
	})
	if err != nil {
		t.Fatal(err)
	}
	st, err = p.StepInstruction(th.tid)
	if err != nil || st.Reason != proc.StopStepped {
		t.Fatalf("step: %+v %v", st, err)
	}
	r, err := th.Registers()
	if err != nil {
		t.Fatal(err)
	}
	if want := hot + uint64(len(bp.insn)); r.PC() != want {
		t.Fatalf("after the step pc = %#x, want %#x (the instruction after hot's first)", r.PC(), want)
	}
	if err := p.ClearBreakpoint(hot); err != nil {
		t.Fatal(err)
	}
	st, err = p.Continue()
	if err != nil || st.Reason != proc.StopExited || st.ExitCode != 0 {
		t.Fatalf("stop %+v %v, want the exit", st, err)
	}
	var sum, raised, handled int
	got := <-lines
	if _, err := fmt.Sscanf(got, "sum %d raised %d handled %d", &sum, &raised, &handled); err != nil {
		t.Fatalf("program printed %q: %v", got, err)
	}
	if sum != n*n || handled != raised+1 {
		t.Fatalf("program printed %q, want sum %d and one more handled than raised (the queued SIGUSR1)", got, n*n)
	}
}
