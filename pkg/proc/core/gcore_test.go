package core

import (
	"fmt"
	"os/exec"
	"path/filepath"
	"slices"
	"testing"
	"time"

	"github.com/godbg/godbg/internal/fixtures"
)

// TestGcoreCore reads a core that gdb's gcore wrote of an untraced C
// program whose threads sleep in a system call.
func TestGcoreCore(t *testing.T) {
	if _, err := exec.LookPath("gcore"); err != nil {
		t.Skip("gcore (gdb) is not installed")
	}
	bin := fixtures.Build(t, "sleepers.c")
	fx := fixtures.Start(t, bin, "3")
	tids, err := fixtures.Tids(fx.Pid)
	if err != nil {
		t.Fatal(err)
	}
	type spPC struct{ sp, pc uint64 }
	kernel := map[int]spPC{}
	for _, tid := range tids {
		// The main thread may still be printing: wait for its sleep.
		for i := 0; ; i++ {
			sp, pc, err := fixtures.SyscallSPPC(fx.Pid, tid)
			if err == nil {
				kernel[tid] = spPC{sp, pc}
				break
			}
			if i == 200 {
				t.Fatal(err)
			}
			time.Sleep(10 * time.Millisecond)
		}
	}
	prefix := filepath.Join(t.TempDir(), "gcore")
	if out, err := exec.Command("gcore", "-o", prefix, fmt.Sprint(fx.Pid)).CombinedOutput(); err != nil {
		t.Skipf("gcore failed (ptrace not permitted?): %v\n%s", err, out)
	}
	p := openCoreOf(t, bin, fmt.Sprintf("%s.%d", prefix, fx.Pid))
	var got []int
	for _, th := range p.Threads() {
		got = append(got, th.ID())
		r, err := th.Registers()
		if err != nil {
			t.Fatal(err)
		}
		if k := kernel[th.ID()]; r.SP() != k.sp || r.PC() != k.pc {
			t.Errorf("thread %d: rsp/rip %#x/%#x in the core, the kernel said %#x/%#x", th.ID(), r.SP(), r.PC(), k.sp, k.pc)
		}
		if _, err := p.ReadMemory(r.SP(), make([]byte, 64)); err != nil {
			t.Errorf("thread %d: stack: %v", th.ID(), err)
		}
	}
	if !slices.Equal(got, tids) {
		t.Fatalf("threads %v in the gcore core, /proc/%d/task has %v", got, fx.Pid, tids)
	}
	entry, _ := p.EntryPoint()
	checkText(t, &live{bin: bin}, p, "main", entry-elfEntry(t, bin))
}
