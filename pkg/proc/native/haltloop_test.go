package native

import (
	"strconv"
	"strings"
	"sync/atomic"
	"testing"
	"time"

	"golang.org/x/arch/x86/x86asm"
	"golang.org/x/sys/unix"

	"github.com/godbg/godbg/internal/fixtures"
	"github.com/godbg/godbg/pkg/proc"
	"github.com/godbg/godbg/pkg/symbols"
)

// spinSites returns, in haltloop's spin, the run-time addresses of the
// indirect call (stepped in place) and of the rip-relative load before
// it (run out of line in a scratch slot).
func spinSites(t *testing.T, bin string, p proc.Process) (call, ripRel uint64) {
	t.Helper()
	tab, err := symbols.Open(bin)
	if err != nil {
		t.Fatal(err)
	}
	defer tab.Close()
	fn, err := tab.LookupFunc("spin")
	if err != nil {
		t.Fatal(err)
	}
	bias := funcAddr(t, bin, p, "spin") - tab.FirstStmtPC(fn)
	code := make([]byte, fn.End-fn.Entry)
	if _, err := p.ReadText(fn.Entry+bias, code); err != nil {
		t.Fatal(err)
	}
	for off := 0; off < len(code); {
		in, err := x86asm.Decode(code[off:], 64)
		if err != nil {
			t.Fatalf("spin+%#x: %v", off, err)
		}
		if _, isReg := in.Args[0].(x86asm.Reg); in.Op == x86asm.CALL && isReg && call == 0 {
			call = fn.Entry + bias + uint64(off)
		}
		if m, ok := in.Args[1].(x86asm.Mem); ok && m.Base == x86asm.RIP && in.Op == x86asm.MOV && ripRel == 0 {
			ripRel = fn.Entry + bias + uint64(off)
		}
		off += in.Len
	}
	if call == 0 || ripRel == 0 {
		t.Fatalf("spin has no indirect call (%#x) or rip-relative load (%#x)", call, ripRel)
	}
	return call, ripRel
}

// progress drains a fixture's "tick N" lines and counts them.
type progress struct{ ticks atomic.Int64 }

func drainTicks(lines <-chan string) *progress {
	pr := &progress{}
	go func() {
		for l := range lines {
			if n, ok := strings.CutPrefix(l, "tick "); ok {
				if v, err := strconv.Atoi(n); err == nil {
					pr.ticks.Store(int64(v))
				}
			}
		}
	}()
	return pr
}

// advances waits until the program has printed a tick past the current one.
func (pr *progress) advances(within time.Duration) bool {
	from := pr.ticks.Load()
	for end := time.Now().Add(within); time.Now().Before(end); time.Sleep(5 * time.Millisecond) {
		if pr.ticks.Load() > from {
			return true
		}
	}
	return false
}

func never(proc.Hit) (bool, error) { return false, nil }

// TestHaltHonouredFirstTime requests one halt at a time while a
// false-condition breakpoint on an indirect call keeps the tracer busy
// stopping and restarting every thread: each request must halt the
// program, none may be lost between the tracer's own stops and resumes.
func TestHaltHonouredFirstTime(t *testing.T) {
	bin := fixtures.Build(t, "haltloop.c")
	p, lines := launchPiped(t, bin, "1")
	drainTicks(lines)
	call, _ := spinSites(t, bin, p)
	if err := p.SetBreakpoint(call, never); err != nil {
		t.Fatal(err)
	}
	for i := 0; i < 100; i++ {
		done := make(chan *proc.Stop, 1)
		go func() {
			st, err := p.Continue()
			if err != nil {
				t.Error(err)
			}
			done <- st
		}()
		time.Sleep(time.Duration(1+i%7) * time.Millisecond)
		p.RequestHalt()
		select {
		case st := <-done:
			if st == nil || st.Reason != proc.StopHalted {
				t.Fatalf("halt %d: stop %+v, want halted", i, st)
			}
		case <-time.After(5 * time.Second):
			unix.Kill(p.Pid(), unix.SIGKILL) // let the test end
			<-done
			t.Fatalf("halt %d was not honoured within 5s", i)
		}
	}
}

// TestHaltBetweenContinues: a request made while nothing runs (between
// two Continues of a command that resumes again, like next) halts the
// next Continue at once.
func TestHaltBetweenContinues(t *testing.T) {
	bin := fixtures.Build(t, "haltloop.c")
	p, lines := launchPiped(t, bin)
	drainTicks(lines)
	p.RequestHalt()
	if st := continueBounded(t, p, 5*time.Second); st.Reason != proc.StopHalted {
		t.Fatalf("Continue after a halt request: %+v; want halted", st)
	}
	stop := haltSoon(p, 20*time.Millisecond)
	st := continueBounded(t, p, 5*time.Second)
	stop()
	if st.Reason != proc.StopHalted {
		t.Fatalf("second Continue: %+v; want halted", st)
	}
}

// continueBounded is Continue that kills the program if it has not
// returned within d (failing the test).
func continueBounded(t *testing.T, p proc.Process, d time.Duration) *proc.Stop {
	t.Helper()
	done := make(chan *proc.Stop, 1)
	go func() {
		st, err := p.Continue()
		if err != nil {
			st = &proc.Stop{Reason: proc.StopExited}
		}
		done <- st
	}()
	select {
	case st := <-done:
		return st
	case <-time.After(d):
		unix.Kill(p.Pid(), unix.SIGKILL)
		<-done
		t.Fatalf("Continue did not return within %v", d)
		return nil
	}
}
