package target_test

import (
	"bufio"
	"fmt"
	"os"
	"path/filepath"
	"strconv"
	"strings"
	"testing"

	"github.com/godbg/godbg/pkg/proc/target"
	"github.com/godbg/godbg/pkg/proc/target/targettest"
)

// firstMapping is where the kernel mapped the start of a file in pid
// (offset 0), from /proc/<pid>/maps.
func firstMapping(t *testing.T, pid int, path string) uint64 {
	t.Helper()
	f, err := os.Open("/proc/" + strconv.Itoa(pid) + "/maps")
	if err != nil {
		t.Fatal(err)
	}
	defer f.Close()
	sc := bufio.NewScanner(f)
	for sc.Scan() {
		fs := strings.Fields(sc.Text())
		if len(fs) >= 6 && fs[5] == path && fs[2] == "00000000" {
			lo, _, _ := strings.Cut(fs[0], "-")
			v, err := strconv.ParseUint(lo, 16, 64)
			if err != nil {
				t.Fatal(err)
			}
			return v
		}
	}
	t.Fatalf("%s is not mapped in process %d", path, pid)
	return 0
}

// TestImageLibrariesAndUnwind checks an Image's shared libraries against
// the kernel's mappings, that a pc in libc is located in it, and that a
// C thread's stack unwinds through the executable.
func TestImageLibrariesAndUnwind(t *testing.T) {
	targettest.WithTarget(t, "bpfix.c", func(tg *targettest.T) {
		tg.BreakAt("hot")
		tg.Cont()
		var libc *target.Lib
		for _, l := range tg.Img.RescanLibs(tg.P, 1) {
			if strings.HasPrefix(filepath.Base(l.Path), "libc.so") {
				libc = l
			}
		}
		if libc == nil {
			t.Fatalf("no libc among the libraries %v", tg.Img.Libs())
		}
		if lo := firstMapping(t, tg.P.Pid(), libc.Path); libc.Lo != lo || libc.Bias != lo {
			t.Errorf("libc at %#x, bias %#x; the kernel maps it at %#x", libc.Lo, libc.Bias, lo)
		}
		fn, err := libc.Table.LookupFunc("pthread_mutex_lock")
		if err != nil {
			t.Skipf("libc has no pthread_mutex_lock symbol: %v", err)
		}
		pc := fn.Entry + libc.Bias
		if l := tg.Img.LibAt(tg.P, pc, 1); l != libc {
			t.Fatalf("LibAt(%#x) = %v, want libc", pc, l)
		}
		if got, _, _ := libc.Location(pc); got == nil || got.Name != fn.Name {
			t.Errorf("the location of %#x is %v, want %s", pc, got, fn.Name)
		}
		regs, ok := target.ThreadRegs(tg.P, tg.Thread())
		if !ok {
			t.Fatal("no registers")
		}
		frames, err := tg.Img.Unwind(tg.P, regs, 3)
		if len(frames) < 2 || frames[0].Func != "hot" || frames[1].Func != "worker" {
			t.Fatalf("stack %v (%v), want hot called by worker", funcs(frames), err)
		}
	})
}

// TestImagePIEBias checks a PIE's load bias against the kernel's mapping
// and that a breakpoint set with it stops at the source line.
func TestImagePIEBias(t *testing.T) {
	targettest.WithTarget(t, "stepseq+pie", func(tg *targettest.T) {
		tab := tg.Img.Table(tg.P)
		if !tab.PIE() {
			t.Fatal("the fixture is not a PIE")
		}
		bias := tg.Img.Bias(tg.P)
		var vaddr uint64
		for _, p := range tab.ELF().Progs {
			if p.Off == 0 && p.Type == 1 { // PT_LOAD
				vaddr = p.Vaddr &^ 0xfff
			}
		}
		if lo := firstMapping(t, tg.P.Pid(), tg.P.Executable()); bias == 0 || bias+vaddr != lo {
			t.Errorf("bias %#x (+%#x); the kernel maps the executable at %#x", bias, vaddr, lo)
		}
		tg.BreakAt("L:add1")
		if got, want := tg.Cont(), tg.Line("L:add1"); got != want {
			t.Errorf("the breakpoint stopped at line %d, want %d", got, want)
		}
	})
}

func funcs(frames []target.Frame) string {
	var names []string
	for _, f := range frames {
		names = append(names, f.Func)
	}
	return fmt.Sprint(names)
}

// TestImageLibrariesOfCore checks that a core file's Image finds the
// libraries the live process had, from the core's NT_FILE note, at the
// same addresses.
func TestImageLibrariesOfCore(t *testing.T) {
	path := filepath.Join(t.TempDir(), "bpfix.core")
	var live []*target.Lib
	var exe string
	targettest.WithTarget(t, "bpfix.c", func(tg *targettest.T) {
		tg.BreakAt("hot")
		tg.Cont()
		live = tg.Img.RescanLibs(tg.P, 1)
		exe = tg.P.Executable()
		tg.ClearAll()
		if err := target.DumpCore(tg.P, tg.Thread(), path); err != nil {
			t.Fatal(err)
		}
	})
	p, _, err := target.OpenCore(exe, path)
	if err != nil {
		t.Fatal(err)
	}
	if c, ok := p.(interface{ Close() error }); ok {
		defer c.Close()
	}
	img := target.LoadImage(exe, nil)
	got := img.RescanLibs(p, 1)
	if len(live) == 0 || len(got) != len(live) {
		t.Fatalf("the core has %d libraries, the live process had %d", len(got), len(live))
	}
	for i := range live {
		if got[i].Path != live[i].Path || got[i].Bias != live[i].Bias || got[i].Lo != live[i].Lo {
			t.Errorf("library %d: core %s at %#x (bias %#x), live %s at %#x (bias %#x)", i,
				got[i].Path, got[i].Lo, got[i].Bias, live[i].Path, live[i].Lo, live[i].Bias)
		}
	}
}
