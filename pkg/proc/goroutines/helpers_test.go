package goroutines_test

import (
	"debug/elf"
	"fmt"
	"os"
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/godbg/godbg/pkg/proc"
	. "github.com/godbg/godbg/pkg/proc/goroutines"
	"github.com/godbg/godbg/pkg/proc/target/targettest"
	"github.com/godbg/godbg/pkg/symbols"
)

// Build flags of the gorofix variants: the fixture helper's default
// (-gcflags=all=-N -l), optimized (a later -gcflags wins), PIE and
// linked by gcc.
var builds = []struct {
	name  string
	flags []string
}{
	{"debug", nil},
	{"optimized", []string{"-gcflags=all="}},
	{"pie", []string{"-buildmode=pie"}},
	// gcc links it: g's TLS slot is placed through runtime.tlsg.
	{"external", []string{"-ldflags=-linkmode=external"}},
}

// stopped is gorofix stopped at main.stopHere.
type stopped struct {
	p      proc.Process
	tab    *symbols.Table
	r      *Reader
	stop   *proc.Stop
	bias   uint64
	kinds  map[int64]string // goid → start function of each blocked goroutine
	spin   int64
	label  int64
	sys    int64
	caller int64
	// elfFuncs names pcs when the Table mislocates functions (see
	// stopGorofix); nil otherwise.
	elfFuncs []elf.Symbol
}

// launchGorofix builds gorofix with flags and starts it with args,
// stopped before its first instruction; lines carries its output.
func launchGorofix(t testing.TB, flags []string, args ...string) (s *stopped, lines chan string) {
	t.Helper()
	tg := targettest.Start(t, targettest.Config{Fixture: "gorofix", Flags: flags, Args: args, Stdout: true})
	return &stopped{p: tg.P, tab: tg.Tab(), bias: tg.Bias(), kinds: map[int64]string{}}, tg.Lines
}

// stopGorofix runs gorofix until it calls main.stopHere and parses what
// it printed on the way.
func stopGorofix(t testing.TB, flags []string, args ...string) *stopped {
	t.Helper()
	s, lines := launchGorofix(t, flags, args...)
	p, tab := s.p, s.tab
	fn, err := tab.LookupFunc("main.stopHere")
	if err != nil {
		t.Fatal(err)
	}
	addr := tab.FirstStmtPC(fn) + s.bias
	// pkg/symbols reads .gopclntab relative to .text, not runtime.text,
	// so in a gcc-linked binary every function it reports is off by the
	// C code in front of the Go text. Until that is fixed, stop at the
	// ELF symbol and name pcs from .symtab.
	if syms := funcSymbols(t, tab); syms != nil {
		if e := symbolAt(syms, fn.Entry); e == nil || e.Name != "main.stopHere" {
			t.Logf("pkg/symbols puts main.stopHere at %#x, .symtab at %#x: naming pcs from .symtab", fn.Entry, symbolNamed(syms, "main.stopHere"))
			s.elfFuncs = syms
			addr = symbolNamed(syms, "main.stopHere") + s.bias
		}
	}
	if err := p.SetBreakpoint(addr, nil); err != nil {
		t.Fatal(err)
	}
	if s.stop, err = p.Continue(); err != nil {
		t.Fatal(err)
	}
	if s.stop.Reason != proc.StopBreakpoint || s.stop.Addr != addr {
		t.Fatalf("stop %+v, want the breakpoint at main.stopHere (%#x)", s.stop, addr)
	}
	s.readLines(t, lines)
	if s.r, err = NewReader(tab, p, s.bias); err != nil {
		t.Fatal(err)
	}
	return s
}

// readLines parses the fixture's output up to its "caller" line.
func (s *stopped) readLines(t testing.TB, lines chan string) {
	t.Helper()
	timeout := time.After(20 * time.Second)
	for s.caller == 0 {
		var l string
		select {
		case l2, ok := <-lines:
			if !ok {
				t.Fatal("gorofix output ended before its caller line")
			}
			l = l2
		case <-timeout:
			t.Fatal("no caller line from gorofix")
		}
		f := strings.Fields(l)
		var id int64
		if len(f) < 2 {
			continue
		}
		if _, err := fmt.Sscan(f[1], &id); err != nil {
			continue
		}
		switch f[0] {
		case "g":
			s.kinds[id] = "main." + f[2]
		case "spin":
			s.spin = id
		case "labeled":
			s.label = id
		case "syscall":
			s.sys = id
		case "caller":
			s.caller = id
		}
	}
}

// threadRegs returns a thread's fs_base and r14.
func threadRegs(t testing.TB, p proc.Process, tid int) (fsBase, r14 uint64) {
	t.Helper()
	th, ok := p.Thread(tid)
	if !ok {
		t.Fatalf("no thread %d", tid)
	}
	regs, err := th.Registers()
	if err != nil {
		t.Fatal(err)
	}
	for _, r := range regs.List(false) {
		switch r.Name {
		case "fs_base":
			fsBase = r.Value
		case "r14":
			r14 = r.Value
		}
	}
	return fsBase, r14
}

// vmHWM returns this process's peak resident set size in bytes.
func vmHWM() uint64 {
	b, err := os.ReadFile("/proc/self/status")
	if err != nil {
		return 0
	}
	for _, l := range strings.Split(string(b), "\n") {
		if rest, ok := strings.CutPrefix(l, "VmHWM:"); ok {
			var kb uint64
			fmt.Sscan(strings.TrimSpace(strings.TrimSuffix(strings.TrimSpace(rest), "kB")), &kb)
			return kb << 10
		}
	}
	return 0
}

// funcSymbols returns the executable's function symbols sorted by address.
func funcSymbols(t testing.TB, tab *symbols.Table) []elf.Symbol {
	syms, err := tab.ELF().Symbols()
	if err != nil {
		return nil
	}
	syms = slices.DeleteFunc(syms, func(s elf.Symbol) bool { return elf.ST_TYPE(s.Info) != elf.STT_FUNC || s.Value == 0 })
	slices.SortFunc(syms, func(a, b elf.Symbol) int { return int(int64(a.Value - b.Value)) })
	return syms
}

func symbolAt(syms []elf.Symbol, pc uint64) *elf.Symbol {
	i, _ := slices.BinarySearchFunc(syms, pc+1, func(s elf.Symbol, pc uint64) int {
		if s.Value < pc {
			return -1
		}
		if s.Value > pc {
			return 1
		}
		return 0
	})
	if i == 0 || pc >= syms[i-1].Value+max(syms[i-1].Size, 1) {
		return nil
	}
	return &syms[i-1]
}

func symbolNamed(syms []elf.Symbol, name string) uint64 {
	for _, s := range syms {
		if s.Name == name {
			return s.Value
		}
	}
	return 0
}
