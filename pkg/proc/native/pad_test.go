package native

import (
	"debug/elf"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"golang.org/x/arch/x86/x86asm"

	"github.com/godbg/godbg/internal/fixtures"
	"github.com/godbg/godbg/pkg/proc"
)

// padSites finds, in padstress's main.hot, the spill of i from rax (a
// register condition), the next instruction (i then in a stack slot at
// rsp+off) and the rip-relative load of main.limit (a package variable,
// the relocated instruction being rip-relative itself).
type padSites struct {
	spill, slot, ripRel, finish, limit uint64
	slotOff                            int64
}

func findPadSites(t *testing.T, bin string) padSites {
	t.Helper()
	f, err := elf.Open(bin)
	if err != nil {
		t.Fatal(err)
	}
	defer f.Close()
	syms, err := f.Symbols()
	if err != nil {
		t.Fatal(err)
	}
	var s padSites
	var hot elf.Symbol
	for _, sy := range syms {
		switch sy.Name {
		case "main.hot":
			hot = sy
		case "main.finish":
			s.finish = sy.Value
		case "main.limit":
			s.limit = sy.Value
		}
	}
	text := f.Section(".text")
	code := make([]byte, hot.Size)
	if _, err := text.ReadAt(code, int64(hot.Value-text.Addr)); err != nil {
		t.Fatal(err)
	}
	for off := 0; off < len(code); {
		inst, err := x86asm.Decode(code[off:], 64)
		if err != nil {
			t.Fatal(err)
		}
		pc := hot.Value + uint64(off)
		m, isMem := inst.Args[0].(x86asm.Mem)
		switch {
		case s.spill == 0 && inst.Op == x86asm.MOV && isMem && m.Base == x86asm.RSP && inst.Args[1] == x86asm.RAX && inst.Len >= 5:
			s.spill, s.slotOff = pc, m.Disp
		case s.spill != 0 && s.slot == 0 && inst.Len >= 5:
			s.slot = pc
		case s.ripRel == 0 && usesRIP(inst) && inst.Len >= 5:
			s.ripRel = pc
		}
		off += inst.Len
	}
	if s.spill == 0 || s.slot == 0 || s.ripRel == 0 || s.finish == 0 || s.limit == 0 {
		t.Fatalf("padstress: sites not found: %+v", s)
	}
	return s
}

func nativeOutput(t *testing.T, bin string, args ...string) string {
	t.Helper()
	out, err := exec.Command(bin, args...).Output()
	if err != nil {
		t.Fatal(err)
	}
	return dropReady(string(out))
}

func dropReady(s string) string {
	_, rest, _ := strings.Cut(s, "\n")
	return rest
}

// launchPad starts padstress with its output in a file and arms the
// three false-condition pads; it returns the process and the output path.
func launchPad(t *testing.T, bin, n string) (*nproc, string, padSites, []*pad) {
	t.Helper()
	s := findPadSites(t, bin)
	outPath := filepath.Join(t.TempDir(), "out")
	out, err := os.Create(outPath)
	if err != nil {
		t.Fatal(err)
	}
	defer out.Close()
	p, err := Launch(LaunchConfig{Path: bin, Args: []string{n}, Stdout: out})
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { killIfLive(p) })
	np := p.(*nproc)
	conds := map[uint64]padCond{
		s.spill:  {Loc: padReg, Reg: 0, Size: 8, Signed: true, Op: "==", K: -1},
		s.slot:   {Loc: padMem, Reg: 7, Off: s.slotOff, Size: 8, Signed: true, Op: "==", K: -1},
		s.ripRel: {Loc: padAbs, Off: int64(s.limit), Size: 8, Signed: true, Op: "<", K: 0},
	}
	var pads []*pad
	for _, a := range []uint64{s.spill, s.slot, s.ripRel} {
		var pd *pad
		np.ex.run(func() { pd, err = np.armPad(a, conds[a]) })
		if err != nil {
			t.Fatalf("arming a pad at %#x: %v", a, err)
		}
		pads = append(pads, pd)
	}
	if err := p.SetBreakpoint(s.finish, nil); err != nil {
		t.Fatal(err)
	}
	return np, outPath, s, pads
}

// TestPadStressGCProfile: 10 goroutines × n passes through three padded
// false conditions (register, stack slot, package variable behind a
// relocated rip-relative instruction) while runtime.GC runs in a loop and
// the CPU profiler samples: every pad counts exactly 10×n passes and no
// true one, and the program prints what it prints untraced.
func TestPadStressGCProfile(t *testing.T) {
	const n = "1000000"
	bin := fixtures.Build(t, "padstress")
	want := nativeOutput(t, bin, n)
	np, outPath, s, pads := launchPad(t, bin, n)
	st := continueBounded(t, np, 60*time.Second)
	if st.Reason != proc.StopBreakpoint || st.Addr != s.finish {
		t.Fatalf("stop %+v, want the breakpoint on main.finish", st)
	}
	for _, pd := range pads {
		hits, trues, err := np.padCounts(pd)
		if err != nil {
			t.Fatal(err)
		}
		if hits != 10_000_000 || trues != 0 {
			t.Errorf("pad at %#x: %d passes, %d true; want 10000000, 0", pd.addr, hits, trues)
		}
		var err2 error
		np.ex.run(func() { err2 = np.disarmPad(pd.addr) })
		if err2 != nil {
			t.Fatal(err2)
		}
		buf := make([]byte, len(pd.orig))
		np.mem.ReadAt(buf, int64(pd.addr))
		if string(buf) != string(pd.orig) {
			t.Errorf("pad at %#x: text % x after disarm, want % x", pd.addr, buf, pd.orig)
		}
	}
	if st := continueBounded(t, np, 20*time.Second); st.Reason != proc.StopExited || st.ExitCode != 0 {
		t.Fatalf("stop %+v, want exit 0", st)
	}
	got, _ := os.ReadFile(outPath)
	if dropReady(string(got)) != want {
		t.Fatalf("output %q, untraced %q", got, want)
	}
}
