package native

import (
	"encoding/binary"
	"testing"
	"time"

	"golang.org/x/arch/x86/x86asm"

	"github.com/godbg/godbg/internal/fixtures"
	"github.com/godbg/godbg/pkg/proc"
)

// countSite finds, in padstress, the store of main.count (`MOVQ CX,
// 0(AX)`: *c++ written back; 3 bytes, so a trampoline) and the address
// of main.calls, the program's own per-goroutine counts.
func countSite(t *testing.T, bin string) (store, calls uint64) {
	t.Helper()
	fn, code, syms := funcCode(t, bin, "main.count")
	calls = syms["main.calls"]
	for off := 0; off < len(code); {
		inst, err := x86asm.Decode(code[off:], 64)
		if err != nil {
			t.Fatal(err)
		}
		if m, ok := inst.Args[0].(x86asm.Mem); ok && inst.Op == x86asm.MOV && m.Base == x86asm.RAX && inst.Args[1] == x86asm.RCX {
			return fn.Value + uint64(off), calls
		}
		off += inst.Len
	}
	t.Fatalf("padstress: no store in main.count, or no main.calls (%#x)", calls)
	return 0, 0
}

// TestPadToggledWhileRunning: 10 goroutines x 1,000,000 passes through a
// padded breakpoint (paced to last about 4 s; on main.count's store, condition rcx == -1, never
// true) while runtime.GC runs in a loop and the CPU profiler samples;
// the program is halted about every 300 µs and the breakpoint toggled
// (ClearBreakpoint, ArmPad) 1,000 times. At each disarm the pad's pass
// count must equal the calls the program itself counted while it was
// armed (every thread walked out of the pad first, its pass completed),
// no halt shows a thread in a pad, and the program prints what it prints
// untraced.
func TestPadToggledWhileRunning(t *testing.T) {
	const n, want = "1000000", 1000
	bin := fixtures.Build(t, "padstress")
	out := nativeOutput(t, bin, n)
	store, callsAt := countSite(t, bin)
	s := findPadSites(t, bin)
	np, outPath := launchOut(t, bin, n, "4000") // 4 ms of sleep every 1000 calls: about 4 s

	cond := proc.PadCond{Loc: proc.PadReg, Reg: 2, Size: 8, Signed: true, Op: "==", K: -1}
	arm := func() {
		if ok, err := np.ArmPad(store, cond, nil); !ok || err != nil {
			t.Fatalf("ArmPad at main.count's store %#x: %v %v", store, ok, err)
		}
	}
	calls := func() (c uint64) {
		var b [80]byte
		if _, err := np.ReadMemory(callsAt, b[:]); err != nil {
			t.Fatal(err)
		}
		for g := 0; g < 10; g++ {
			c += binary.LittleEndian.Uint64(b[8*g:])
		}
		return c
	}
	arm()
	if err := np.SetBreakpoint(s.finish, nil); err != nil {
		t.Fatal(err)
	}
	armed, toggles, since, expect := true, 0, uint64(0), uint64(0)
	t0 := time.Now()
	var st *proc.Stop
	for toggles < want {
		stop := haltSoon(np, 300*time.Microsecond)
		st = continueBounded(t, np, 20*time.Second)
		stop()
		if st.Reason != proc.StopHalted {
			break
		}
		noPadPC(t, np)
		if armed {
			if err := np.ClearBreakpoint(store); err != nil {
				t.Fatal(err)
			}
			expect += calls() - since
			pd := np.padSet().idle[store]
			if passes, _, _ := np.padCounts(pd); passes != expect {
				t.Fatalf("toggle %d: the pad counted %d passes, the program %d calls while it was armed", toggles, passes, expect)
			}
		} else {
			since = calls()
			arm()
		}
		armed = !armed
		toggles++
	}
	t.Logf("%d toggles in %v; %d passes counted by the pad", toggles, time.Since(t0).Round(time.Millisecond), expect)
	if toggles < want {
		t.Fatalf("only %d toggles before %+v", toggles, st)
	}
	for st.Reason == proc.StopHalted { // a request can outlive haltSoon's stop
		st = continueBounded(t, np, 60*time.Second)
	}
	if st.Reason != proc.StopBreakpoint || st.Addr != s.finish {
		t.Fatalf("stop %+v, want the breakpoint on main.finish", st)
	}
	if c := calls(); c != 10_000_000 {
		t.Fatalf("the program counted %d calls, want 10000000", c)
	}
	if armed {
		if passes, _, _ := np.PadCounts(store); passes != expect+10_000_000-since {
			t.Fatalf("the pad counted %d passes, the program %d calls while it was armed", passes, expect+10_000_000-since)
		}
	}
	finishOK(t, np, outPath, out)
}

// noPadPC fails if a thread of the stopped process np is in a pad.
func noPadPC(t *testing.T, np *nproc) {
	t.Helper()
	ps := np.padsEver()
	if ps == nil {
		return
	}
	for _, th := range np.threads {
		regsOf(np, th)
		if pd, _ := ps.padSpot(th.regs.Rip); pd != nil {
			t.Fatalf("thread %d stopped at %#x, in the pad of %#x", th.tid, th.regs.Rip, pd.addr)
		}
	}
}
