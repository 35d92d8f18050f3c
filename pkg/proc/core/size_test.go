package core

import (
	"fmt"
	"os"
	"os/exec"
	"path/filepath"
	"testing"
	"time"

	"github.com/godbg/godbg/internal/fixtures"
	"github.com/godbg/godbg/pkg/proc/native"
)

// gcoreGorofix is what gdb 13's gcore wrote for an untraced gorofix here
// (1,255,980,960 bytes, in 1.2 s warm and 15.7 s cold; see
// BenchmarkGcoreGorofix).
const gcoreGorofix = 1255980960

// TestDumpSizeGorofix logs the size and time of a dump of gorofix (its
// goroutines parked in the ways the goroutine tests need) and keeps it
// under a tenth of what gcore writes.
func TestDumpSizeGorofix(t *testing.T) {
	bin := fixtures.Build(t, "gorofix")
	l := dumpFixture(t, bin)
	t.Logf("gorofix: %d threads; dump %.1f MB (%.1f MB on disk) in %v; gcore wrote %.0f MB",
		len(l.tids), float64(l.size)/1e6, float64(l.blocks)/1e6, l.elapsed, gcoreGorofix/1e6)
	if l.size > gcoreGorofix/10 {
		t.Errorf("the dump is %d bytes, more than a tenth of gcore's", l.size)
	}
	p := openCoreOf(t, bin, l.core)
	checkAgainstLive(t, l, p)
}

// TestDumpHidesBreakpoints dumps a process stopped at a breakpoint: the
// text page the breakpoint changed is in the core, without the int3.
func TestDumpHidesBreakpoints(t *testing.T) {
	bin := fixtures.Build(t, "corefix")
	devnull, err := os.OpenFile(os.DevNull, os.O_WRONLY, 0)
	if err != nil {
		t.Fatal(err)
	}
	defer devnull.Close()
	p, err := native.Launch(native.LaunchConfig{Path: bin, Stdout: devnull})
	if err != nil {
		t.Fatal(err)
	}
	defer p.Kill()
	addr := symbolAddr(t, bin, "main.parked")
	if err := p.SetBreakpoint(addr, nil); err != nil {
		t.Fatal(err)
	}
	st, err := p.Continue()
	if err != nil || st.Addr != addr {
		t.Fatalf("continue: %+v, %v; want the breakpoint at %#x", st, err, addr)
	}
	path := filepath.Join(tmpDir, "bp.core")
	if err := DumpProcess(p, st.Tid, path); err != nil {
		t.Fatal(err)
	}
	c := openCoreOf(t, bin, path)
	got := make([]byte, 16)
	if _, err := c.ReadMemory(addr, got); err != nil {
		t.Fatal(err)
	}
	if want := fileBytesAt(t, bin, addr, 16); string(got) != string(want) {
		t.Errorf("code at the breakpoint in the core %x, in the executable %x", got, want)
	}
	if cur := StopOf(c); cur.Tid != st.Tid {
		t.Errorf("current thread %d, want %d (the one at the breakpoint)", cur.Tid, st.Tid)
	}
	th, _ := c.Thread(st.Tid)
	if r, _ := th.Registers(); r.PC() != addr {
		t.Errorf("pc %#x, want the breakpoint %#x", r.PC(), addr)
	}
}

// BenchmarkDumpGorofix dumps an attached gorofix b.N times.
func BenchmarkDumpGorofix(b *testing.B) {
	bin := fixtures.Build(b, "gorofix")
	fx := fixtures.Start(b, bin)
	p, err := native.Attach(fx.Pid)
	if err != nil {
		b.Fatal(err)
	}
	defer p.Detach()
	path := filepath.Join(b.TempDir(), "core")
	for b.Loop() {
		if err := DumpProcess(p, 0, path); err != nil {
			b.Fatal(err)
		}
	}
	size, disk := fileSize(b, path)
	b.ReportMetric(float64(size), "bytes/core")
	b.ReportMetric(float64(disk), "disk-bytes/core")
}

// BenchmarkGcoreGorofix measures gdb's gcore on an untraced gorofix
// (gcore cannot attach to a process we trace). Run it with -benchtime=1x:
// each run takes seconds.
func BenchmarkGcoreGorofix(b *testing.B) {
	if _, err := exec.LookPath("gcore"); err != nil {
		b.Skip("gcore (gdb) is not installed")
	}
	bin := fixtures.Build(b, "gorofix")
	fx := fixtures.Start(b, bin)
	prefix := filepath.Join(b.TempDir(), "gcore")
	path := fmt.Sprintf("%s.%d", prefix, fx.Pid)
	var elapsed time.Duration
	for b.Loop() {
		start := time.Now()
		if out, err := exec.Command("gcore", "-o", prefix, fmt.Sprint(fx.Pid)).CombinedOutput(); err != nil {
			b.Fatalf("gcore: %v\n%s", err, out)
		}
		elapsed += time.Since(start)
	}
	size, disk := fileSize(b, path)
	b.ReportMetric(float64(size), "bytes/core")
	b.ReportMetric(float64(disk), "disk-bytes/core")
	b.Logf("gcore: %.1f MB (%.1f MB on disk) in %v", float64(size)/1e6, float64(disk)/1e6, elapsed/time.Duration(b.N))
}
