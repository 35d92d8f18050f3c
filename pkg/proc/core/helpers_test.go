package core

import (
	"debug/elf"
	"fmt"
	"os"
	"path/filepath"
	"slices"
	"strconv"
	"strings"
	"sync"
	"syscall"
	"testing"
	"time"

	"github.com/godbg/godbg/internal/fixtures"
	"github.com/godbg/godbg/pkg/proc"
	"github.com/godbg/godbg/pkg/proc/native"
)

// tmpDir holds the dumps; CORE_KEEP=1 keeps it for a look with readelf or gdb.
var tmpDir string

func TestMain(m *testing.M) {
	var err error
	if tmpDir, err = os.MkdirTemp("", "godbg-core-test"); err != nil {
		fmt.Fprintln(os.Stderr, err)
		os.Exit(1)
	}
	code := m.Run()
	if os.Getenv("CORE_KEEP") == "" {
		os.RemoveAll(tmpDir)
	}
	os.Exit(code)
}

// live is what a stopped process looked like when it was dumped.
type live struct {
	bin     string
	pid     int
	tids    []int
	regs    map[int][]proc.Register // List(true) per thread
	entry   uint64
	mem     map[uint64][]byte // address → bytes read live
	addrs   []uint64          // fixture-reported addresses (corefix: global, heap)
	maps    []mapping         // /proc/<pid>/maps at the dump
	core    string
	size    int64 // apparent size of the core file
	blocks  int64 // bytes allocated on disk
	elapsed time.Duration
}

// dumpFixture starts bin (untraced; it prints "ready <pid>"), attaches,
// records threads, registers and memory, dumps it and detaches.
func dumpFixture(t testing.TB, bin string, args ...string) *live {
	t.Helper()
	fx := fixtures.Start(t, bin, args...)
	l := &live{bin: bin, pid: fx.Pid, regs: map[int][]proc.Register{}, mem: map[uint64][]byte{}}
	if strings.Contains(bin, "corefix") {
		line, err := fx.Expect("addrs", 10*time.Second)
		if err != nil {
			t.Fatal(err)
		}
		for _, f := range strings.Fields(line)[1:3] {
			a, err := strconv.ParseUint(f, 0, 64)
			if err != nil {
				t.Fatalf("fixture line %q: %v", line, err)
			}
			l.addrs = append(l.addrs, a)
		}
	}
	p, err := native.Attach(fx.Pid)
	if err != nil {
		t.Fatalf("attach %d: %v", fx.Pid, err)
	}
	defer p.Detach()
	if l.tids, err = fixtures.Tids(fx.Pid); err != nil {
		t.Fatal(err)
	}
	if l.maps, err = readMaps(fmt.Sprintf("/proc/%d/maps", fx.Pid)); err != nil {
		t.Fatal(err)
	}
	if l.entry, err = p.EntryPoint(); err != nil {
		t.Fatal(err)
	}
	var sps []uint64
	for _, th := range p.Threads() {
		r, err := th.Registers()
		if err != nil {
			t.Fatal(err)
		}
		l.regs[th.ID()] = r.List(true)
		sps = append(sps, r.SP())
	}
	for _, a := range append(sps, l.addrs...) {
		b := make([]byte, 256)
		if _, err := p.ReadMemory(a, b); err != nil {
			t.Fatalf("live read at %#x: %v", a, err)
		}
		l.mem[a] = b
	}
	l.core = filepath.Join(tmpDir, fmt.Sprintf("%s.%d.core", filepath.Base(bin), fx.Pid))
	start := time.Now()
	if err := DumpProcess(p, 0, l.core); err != nil {
		t.Fatal(err)
	}
	l.elapsed = time.Since(start)
	l.size, l.blocks = fileSize(t, l.core)
	return l
}

func fileSize(t testing.TB, path string) (size, disk int64) {
	t.Helper()
	st, err := os.Stat(path)
	if err != nil {
		t.Fatal(err)
	}
	disk = st.Size()
	if s, ok := st.Sys().(*syscall.Stat_t); ok {
		disk = s.Blocks * 512
	}
	return st.Size(), disk
}

// Cached dumps, one per fixture, shared by the tests that only read them.
var (
	dumpMu sync.Mutex
	dumps  = map[string]*live{}
)

func cachedDump(t testing.TB, fixture string) *live {
	t.Helper()
	dumpMu.Lock()
	defer dumpMu.Unlock()
	if l := dumps[fixture]; l != nil {
		return l
	}
	bin := fixtures.Build(t, fixture)
	var args []string
	if fixture == "sleepers.c" {
		args = []string{"4"}
	}
	l := dumpFixture(t, bin, args...)
	dumps[fixture] = l
	return l
}

func openCoreOf(t testing.TB, exe, core string) proc.Inspector {
	t.Helper()
	p, err := Open(exe, core)
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { p.(interface{ Close() error }).Close() })
	return p
}

// symbolAddr returns the link-time address of an ELF symbol of bin.
func symbolAddr(t testing.TB, bin, name string) uint64 {
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
	i := slices.IndexFunc(syms, func(s elf.Symbol) bool { return s.Name == name })
	if i < 0 {
		t.Fatalf("%s: no symbol %s", bin, name)
	}
	return syms[i].Value
}

// fileBytesAt reads n bytes of bin's file image at link-time address vaddr.
func fileBytesAt(t testing.TB, bin string, vaddr uint64, n int) []byte {
	t.Helper()
	f, err := elf.Open(bin)
	if err != nil {
		t.Fatal(err)
	}
	defer f.Close()
	for _, p := range f.Progs {
		if p.Type == elf.PT_LOAD && vaddr >= p.Vaddr && vaddr+uint64(n) <= p.Vaddr+p.Filesz {
			b := make([]byte, n)
			if _, err := p.ReadAt(b, int64(vaddr-p.Vaddr)); err != nil {
				t.Fatal(err)
			}
			return b
		}
	}
	t.Fatalf("%s: %#x is not in a loadable segment", bin, vaddr)
	return nil
}
