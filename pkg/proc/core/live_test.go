package core

import (
	"bytes"
	"errors"
	"fmt"
	"os"
	"slices"
	"strings"
	"testing"

	"github.com/godbg/godbg/pkg/proc"
)

// checkAgainstLive compares a core's threads, registers and memory with
// what the process showed live.
func checkAgainstLive(t *testing.T, l *live, p proc.Inspector) {
	t.Helper()
	var tids []int
	for _, th := range p.Threads() {
		tids = append(tids, th.ID())
	}
	if !slices.Equal(tids, l.tids) {
		t.Fatalf("core threads %v, /proc/%d/task had %v", tids, l.pid, l.tids)
	}
	if p.Pid() != l.pid {
		t.Errorf("Pid() = %d, want %d", p.Pid(), l.pid)
	}
	for _, th := range p.Threads() {
		r, err := th.Registers()
		if err != nil {
			t.Fatal(err)
		}
		got := r.List(true)
		want := l.regs[th.ID()]
		if len(got) != len(want) {
			t.Errorf("thread %d: %d registers, live %d", th.ID(), len(got), len(want))
		}
		for i := range min(len(got), len(want)) {
			g, w := got[i], want[i]
			if g.Name != w.Name || g.Value != w.Value || !bytes.Equal(g.Bytes, w.Bytes) {
				t.Errorf("thread %d: register %s=%#x %x, live %s=%#x %x", th.ID(), g.Name, g.Value, g.Bytes, w.Name, w.Value, w.Bytes)
			}
		}
		if v, _ := r.DWARFRegister(7); v != r.SP() {
			t.Errorf("thread %d: DWARF 7 = %#x, rsp = %#x", th.ID(), v, r.SP())
		}
	}
	for a, want := range l.mem {
		got := make([]byte, len(want))
		if _, err := p.ReadMemory(a, got); err != nil {
			t.Errorf("core read at %#x: %v", a, err)
		} else if !bytes.Equal(got, want) {
			t.Errorf("core bytes at %#x differ from the live process:\n core %x\n live %x", a, got[:32], want[:32])
		}
	}
	if e, _ := p.EntryPoint(); e != l.entry {
		t.Errorf("EntryPoint = %#x, live %#x", e, l.entry)
	}
}

// checkText reads fn's code through the core (the executable's text is
// not in it: the fallback supplies it) and compares it with the file.
func checkText(t *testing.T, l *live, p proc.Inspector, fn string, bias uint64) {
	t.Helper()
	addr := symbolAddr(t, l.bin, fn)
	want := fileBytesAt(t, l.bin, addr, 64)
	got := make([]byte, 64)
	if _, err := p.ReadMemory(addr+bias, got); err != nil {
		t.Fatalf("reading %s at %#x: %v", fn, addr+bias, err)
	}
	if !bytes.Equal(got, want) {
		t.Fatalf("code of %s via the core %x, in the executable %x", fn, got, want)
	}
}

func TestDumpGoProgram(t *testing.T) {
	l := cachedDump(t, "corefix")
	t.Logf("corefix: %d threads, core %.1f MB (%.1f MB on disk) in %v", len(l.tids), float64(l.size)/1e6, float64(l.blocks)/1e6, l.elapsed)
	p := openCoreOf(t, l.bin, l.core)
	checkAgainstLive(t, l, p)
	checkText(t, l, p, "main.main", 0)
	// The global was written at run time: only the core has the text.
	buf := make([]byte, 64)
	p.ReadMemory(l.addrs[0], buf)
	if want := fmt.Sprintf("corefix marker pid=%d variant=plain", l.pid); !strings.HasPrefix(string(buf), want) {
		t.Errorf("global marker = %q, want %q", buf, want)
	}
	heap := make([]byte, 1<<16)
	if _, err := p.ReadMemory(l.addrs[1], heap); err != nil {
		t.Fatal(err)
	}
	for i, b := range heap {
		if b != byte(i*7+3) {
			t.Fatalf("heap byte %d = %#x, want %#x", i, b, byte(i*7+3))
		}
	}
	if p.Executable() != l.bin || !strings.Contains(strings.Join(p.CommandLine(), " "), "corefix") {
		t.Errorf("Executable %q CommandLine %q", p.Executable(), p.CommandLine())
	}
	if st := StopOf(p); st == nil || st.Signal != 0 || !slices.Contains(l.tids, st.Tid) {
		t.Errorf("StopOf = %+v", st)
	}
	checkReserved(t, l, p)
	// Without an executable, the one the core names is used.
	q := openCoreOf(t, "", l.core)
	if q.Executable() != l.bin {
		t.Errorf("Open without an executable found %q, want %q", q.Executable(), l.bin)
	}
	if l.size > 64<<20 {
		t.Errorf("core of a small Go program is %d bytes", l.size)
	}
}

// checkReserved: address space the process reserved without access
// (Go's arenas) is described, but reads fail rather than give zeros.
func checkReserved(t *testing.T, l *live, p proc.Inspector) {
	t.Helper()
	for _, m := range l.maps {
		if m.perms[0] != '-' || m.path != "" {
			continue
		}
		_, err := p.ReadMemory(m.start, make([]byte, 8))
		if !errors.Is(err, ErrUnavailable) {
			t.Errorf("reading reserved %#x-%#x: %v, want ErrUnavailable", m.start, m.end, err)
		}
		return
	}
	t.Log("no reserved mapping to check")
}

func TestDumpCProgram(t *testing.T) {
	l := cachedDump(t, "sleepers.c")
	t.Logf("sleepers.c: %d threads, core %.1f MB (%.1f MB on disk) in %v", len(l.tids), float64(l.size)/1e6, float64(l.blocks)/1e6, l.elapsed)
	p := openCoreOf(t, l.bin, l.core)
	checkAgainstLive(t, l, p)
	bias := l.entry - elfEntry(t, l.bin)
	checkText(t, l, p, "main", bias)
}

func elfEntry(t *testing.T, bin string) uint64 {
	e, err := openExe(bin)
	if err != nil {
		t.Fatal(err)
	}
	e.f.Close()
	return e.entry
}

func TestDumpOfExitedProcess(t *testing.T) {
	err := Dump(1<<30, []DumpThread{{Tid: 1 << 30}}, nil, tmpDir+"/none.core")
	if err == nil || !strings.Contains(err.Error(), "no such process") {
		t.Fatalf("dump of a missing process: %v", err)
	}
	if _, serr := os.Stat(tmpDir + "/none.core"); serr == nil {
		t.Error("a failed dump left a file")
	}
}
