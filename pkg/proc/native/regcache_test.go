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
