package target

import (
	"bufio"
	"fmt"
	"os"
	"path/filepath"
	"strconv"
	"strings"
	"testing"
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
	WithTarget(t, "bpfix.c", func(tg *tt) {
		tg.breakAt("hot")
		tg.cont()
		var libc *Lib
		for _, l := range tg.img.RescanLibs(tg.p, 1) {
			if strings.HasPrefix(filepath.Base(l.Path), "libc.so") {
				libc = l
			}
		}
		if libc == nil {
			t.Fatalf("no libc among the libraries %v", tg.img.Libs())
		}
		if lo := firstMapping(t, tg.p.Pid(), libc.Path); libc.Lo != lo || libc.Bias != lo {
			t.Errorf("libc at %#x, bias %#x; the kernel maps it at %#x", libc.Lo, libc.Bias, lo)
		}
		fn, err := libc.Table.LookupFunc("pthread_mutex_lock")
		if err != nil {
			t.Skipf("libc has no pthread_mutex_lock symbol: %v", err)
		}
		pc := fn.Entry + libc.Bias
		if l := tg.img.LibAt(tg.p, pc, 1); l != libc {
			t.Fatalf("LibAt(%#x) = %v, want libc", pc, l)
		}
		if got, _, _ := libc.Location(pc); got == nil || got.Name != fn.Name {
			t.Errorf("the location of %#x is %v, want %s", pc, got, fn.Name)
		}
		regs, ok := ThreadRegs(tg.p, tg.Thread())
		if !ok {
			t.Fatal("no registers")
		}
		frames, err := tg.img.Unwind(tg.p, regs, 3)
		if len(frames) < 2 || frames[0].Func != "hot" || frames[1].Func != "worker" {
			t.Fatalf("stack %v (%v), want hot called by worker", funcs(frames), err)
		}
	})
}

// TestImagePIEBias checks a PIE's load bias against the kernel's mapping
// and that a breakpoint set with it stops at the source line.
func TestImagePIEBias(t *testing.T) {
	WithTarget(t, "stepseq+pie", func(tg *tt) {
		tab := tg.img.Table(tg.p)
		if !tab.PIE() {
			t.Fatal("the fixture is not a PIE")
		}
		bias := tg.img.Bias(tg.p)
		var vaddr uint64
		for _, p := range tab.ELF().Progs {
			if p.Off == 0 && p.Type == 1 { // PT_LOAD
				vaddr = p.Vaddr &^ 0xfff
			}
		}
		if lo := firstMapping(t, tg.p.Pid(), tg.p.Executable()); bias == 0 || bias+vaddr != lo {
			t.Errorf("bias %#x (+%#x); the kernel maps the executable at %#x", bias, vaddr, lo)
		}
		tg.breakAt("L:add1")
		if got, want := tg.cont(), tg.line("L:add1"); got != want {
			t.Errorf("the breakpoint stopped at line %d, want %d", got, want)
		}
	})
}

func funcs(frames []Frame) string {
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
	var live []*Lib
	var exe string
	WithTarget(t, "bpfix.c", func(tg *tt) {
		tg.breakAt("hot")
		tg.cont()
		live = tg.img.RescanLibs(tg.p, 1)
		exe = tg.p.Executable()
		tg.clearAll()
		if err := DumpCore(tg.p, tg.Thread(), path); err != nil {
			t.Fatal(err)
		}
	})
	p, _, err := OpenCore(exe, path)
	if err != nil {
		t.Fatal(err)
	}
	if c, ok := p.(interface{ Close() error }); ok {
		defer c.Close()
	}
	img := LoadImage(exe, nil)
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

// TestImageLoaded: Loaded does not wait, and reports the end of loading.
func TestImageLoaded(t *testing.T) {
	var none *Image
	if none.Loaded() {
		t.Errorf("a nil Image reports loaded symbols")
	}
	exe, err := os.Executable()
	if err != nil {
		t.Skip(err)
	}
	img := LoadImage(exe, nil)
	<-img.done
	if !img.Loaded() || img.Err() != nil {
		t.Errorf("after loading: Loaded %v, Err %v", img.Loaded(), img.Err())
	}
}
