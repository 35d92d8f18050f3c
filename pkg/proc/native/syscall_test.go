package native

import (
	"testing"

	"github.com/godbg/godbg/internal/fixtures"
	"github.com/godbg/godbg/pkg/proc"
)

func TestCatchSyscallWrite(t *testing.T) {
	bin := fixtures.Build(t, "bpfix.c")
	p, lines := launchPiped(t, bin, "1", "1")
	var traced []proc.Syscall
	p.SetEventHandler(func(e proc.Event) {
		if e.Kind == proc.EventSyscall && e.Syscall.Nr == 1 {
			traced = append(traced, *e.Syscall)
		}
	})
	p.SetSyscallCatch(func(nr uint64) bool { return nr == 1 }, true) // write
	st, err := p.Continue()
	if err != nil || st.Reason != proc.StopSyscall || !st.Syscall.Entry {
		t.Fatalf("first stop %+v %v", st, err)
	}
	sc := st.Syscall
	buf := make([]byte, sc.Args[2])
	if _, err := p.ReadMemory(sc.Args[1], buf); err != nil {
		t.Fatal(err)
	}
	if sc.Args[0] != 1 || string(buf) != "sum 1\n" {
		t.Fatalf("write(%d, %q)", sc.Args[0], buf)
	}
	if ok, m := fixtures.AllStopped(p.Pid()); !ok {
		t.Fatalf("not all stopped at the catch: %v", m)
	}
	st, err = p.Continue()
	if err != nil || st.Reason != proc.StopSyscall || st.Syscall.Entry || st.Syscall.Ret != 6 {
		t.Fatalf("exit stop %+v %v", st, err)
	}
	if got := <-lines; got != "sum 1" {
		t.Fatalf("program printed %q", got)
	}
	p.SetSyscallCatch(nil, false)
	if st, err = p.Continue(); err != nil || st.Reason != proc.StopExited {
		t.Fatalf("final stop %+v %v", st, err)
	}
	if len(traced) != 2 || !traced[0].Entry || traced[1].Entry || traced[1].Ret != 6 {
		t.Fatalf("traced writes: %+v", traced)
	}
}
