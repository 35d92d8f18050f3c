package native

import (
	"errors"
	"fmt"
	"os"
	"slices"
	"syscall"
	"testing"
	"time"

	"github.com/godbg/godbg/internal/fixtures"
	"github.com/godbg/godbg/pkg/proc"
)

func tidsOf(p proc.Process) []int {
	var out []int
	for _, t := range p.Threads() {
		out = append(out, t.ID())
	}
	return out
}

func mustAttach(t *testing.T, pid int) proc.Process {
	t.Helper()
	p, err := Attach(pid)
	if err != nil {
		t.Fatalf("attach %d: %v", pid, err)
	}
	return p
}

func checkReleased(t *testing.T, pid int) {
	t.Helper()
	if tp, err := fixtures.TracerPid(pid); err != nil || tp != 0 {
		t.Fatalf("after detach TracerPid = %d (%v), want 0", tp, err)
	}
	// A stray SIGSTOP would show as T shortly after detach.
	time.Sleep(20 * time.Millisecond)
	if ok, m := fixtures.NoneStopped(pid); !ok {
		t.Fatalf("after detach some thread is stopped: %v", m)
	}
}

func TestAttachStopsEveryThread(t *testing.T) {
	bin := fixtures.Build(t, "sleepers.c")
	fx := fixtures.Start(t, bin, "8")
	p := mustAttach(t, fx.Pid)
	if ok, m := fixtures.AllStopped(fx.Pid); !ok {
		t.Fatalf("not every thread stopped after attach: %v", m)
	}
	kernel, _ := fixtures.Tids(fx.Pid)
	if got := tidsOf(p); !slices.Equal(got, kernel) {
		t.Fatalf("threads = %v, kernel says %v", got, kernel)
	}
	if len(kernel) != 9 {
		t.Fatalf("want 9 threads, kernel lists %v", kernel)
	}
	for _, th := range p.Threads() {
		r, err := th.Registers()
		if err != nil {
			t.Fatal(err)
		}
		sp, pc, err := fixtures.SyscallSPPC(fx.Pid, th.ID())
		if err != nil {
			t.Fatal(err)
		}
		if r.PC() != pc || r.SP() != sp {
			t.Errorf("thread %d: rip/rsp = %#x/%#x, kernel syscall file says %#x/%#x", th.ID(), r.PC(), r.SP(), pc, sp)
		}
	}
	if err := p.Detach(); err != nil {
		t.Fatal(err)
	}
	checkReleased(t, fx.Pid)
}

func TestAttachChurnRepeated(t *testing.T) {
	bin := fixtures.Build(t, "churn.c")
	fx := fixtures.Start(t, bin, "4")
	n := 50
	if testing.Short() {
		n = 10
	}
	for i := 0; i < n; i++ {
		p, err := Attach(fx.Pid)
		if err != nil {
			t.Fatalf("attach #%d: %v", i, err)
		}
		if ok, m := fixtures.AllStopped(fx.Pid); !ok {
			t.Fatalf("attach #%d: not all stopped: %v", i, m)
		}
		kernel, _ := fixtures.Tids(fx.Pid)
		if got := tidsOf(p); !slices.Equal(got, kernel) {
			t.Fatalf("attach #%d: threads = %v, kernel %v", i, got, kernel)
		}
		if err := p.Detach(); err != nil {
			t.Fatalf("detach #%d: %v", i, err)
		}
		checkReleased(t, fx.Pid)
	}
}

func TestContinueTracesNewThreads(t *testing.T) {
	bin := fixtures.Build(t, "churn.c")
	p, err := Launch(LaunchConfig{Path: bin, Args: []string{"3", "200"}, Stdout: devNull(t)})
	if err != nil {
		t.Fatal(err)
	}
	var created, exited int
	p.SetEventHandler(func(e proc.Event) {
		switch e.Kind {
		case proc.EventNewThread:
			created++
		case proc.EventThreadExit:
			exited++
		}
	})
	st, err := p.Continue()
	if err != nil {
		t.Fatal(err)
	}
	if st.Reason != proc.StopExited || st.ExitCode != 0 {
		t.Fatalf("stop = %+v, want exit 0", st)
	}
	if created != 600 || exited != 600 {
		t.Fatalf("new threads %d, exits %d; want 600 each", created, exited)
	}
}

func TestHaltStopsAllAndNewThreadsListed(t *testing.T) {
	bin := fixtures.Build(t, "churn.c")
	p, err := Launch(LaunchConfig{Path: bin, Args: []string{"4"}, Stdout: devNull(t)})
	if err != nil {
		t.Fatal(err)
	}
	defer p.Kill()
	for i := 0; i < 20; i++ {
		stop := haltSoon(p, time.Duration(5+i%7)*time.Millisecond)
		st, err := p.Continue()
		stop()
		if err != nil {
			t.Fatal(err)
		}
		if st.Reason != proc.StopHalted {
			t.Fatalf("round %d: stop %+v, want halted", i, st)
		}
		if ok, m := fixtures.AllStopped(p.Pid()); !ok {
			t.Fatalf("round %d: not all stopped: %v", i, m)
		}
		kernel, _ := fixtures.Tids(p.Pid())
		if got := tidsOf(p); !slices.Equal(got, kernel) {
			t.Fatalf("round %d: threads = %v, kernel %v", i, got, kernel)
		}
	}
}

func TestSignalsReachHandler(t *testing.T) {
	p, lines := launchPiped(t, fixtures.Build(t, "signals.c"))
	const sent = 25
	go func() {
		<-lines // ready
		// A queued real-time signal: SIGUSR1s sent close together may be
		// merged by the kernel while pending, debugger or not.
		for i := 0; i < sent; i++ {
			syscall.Kill(p.Pid(), syscall.Signal(40))
			time.Sleep(time.Millisecond)
		}
		time.Sleep(20 * time.Millisecond)
		syscall.Kill(p.Pid(), syscall.SIGUSR2)
	}()
	st, err := p.Continue()
	if err != nil {
		t.Fatal(err)
	}
	if st.Reason != proc.StopExited || st.ExitCode != 0 {
		t.Fatalf("stop %+v", st)
	}
	if got := <-lines; got != "count 25" {
		t.Fatalf("program says %q, want count 25", got)
	}
}

func TestExitAndFatalSignals(t *testing.T) {
	bin := fixtures.Build(t, "exitcode.c")
	cases := []struct {
		arg    string
		first  proc.StopReason
		signal int
		code   int
		killed int
	}{
		{"3", proc.StopExited, 0, 3, 0},
		{"segv", proc.StopSignal, 11, 0, 11},
		{"abort", proc.StopSignal, 6, 0, 6},
		{"trap", proc.StopTrap, 0, 7, 0},
	}
	for _, c := range cases {
		p, err := Launch(LaunchConfig{Path: bin, Args: []string{c.arg}, Stdout: devNull(t)})
		if err != nil {
			t.Fatal(err)
		}
		st, err := p.Continue()
		if err != nil {
			t.Fatal(err)
		}
		if st.Reason != c.first || st.Signal != c.signal {
			t.Fatalf("%s: first stop %+v", c.arg, st)
		}
		if st.Reason != proc.StopExited {
			if st, err = p.Continue(); err != nil {
				t.Fatal(err)
			}
		}
		if st.Reason != proc.StopExited || st.ExitCode != c.code || st.KilledBy != c.killed {
			t.Fatalf("%s: final stop %+v, want exit %d killed %d", c.arg, st, c.code, c.killed)
		}
		var pe proc.ErrProcessExited
		if _, err := p.Continue(); !errors.As(err, &pe) {
			t.Fatalf("%s: continue after exit: %v", c.arg, err)
		}
	}
}

func TestKillReportsSignal(t *testing.T) {
	bin := fixtures.Build(t, "exitcode.c")
	p, err := Launch(LaunchConfig{Path: bin, Args: []string{"sleep"}})
	if err != nil {
		t.Fatal(err)
	}
	go func() {
		time.Sleep(50 * time.Millisecond)
		syscall.Kill(p.Pid(), syscall.SIGKILL)
	}()
	st, err := p.Continue()
	if err != nil {
		t.Fatal(err)
	}
	if st.Reason != proc.StopExited || st.KilledBy != 9 {
		t.Fatalf("stop %+v, want killed by 9", st)
	}
}

func TestStepInstruction(t *testing.T) {
	bin := fixtures.Build(t, "signals.c")
	p, err := Launch(LaunchConfig{Path: bin, Stdout: devNull(t)})
	if err != nil {
		t.Fatal(err)
	}
	defer p.Kill()
	stop := haltSoon(p, 100*time.Millisecond)
	st, err := p.Continue()
	stop()
	if err != nil || st.Reason != proc.StopHalted {
		t.Fatalf("halt: %+v %v", st, err)
	}
	stepped := 0
	for _, th := range p.Threads() {
		if th.ID() == p.Pid() {
			continue // the main thread sits in pause(): a step waits for the syscall
		}
		r0, _ := th.Registers()
		st, err := p.StepInstruction(th.ID())
		if err != nil {
			t.Fatal(err)
		}
		if st.Reason != proc.StopStepped || st.Tid != th.ID() {
			t.Fatalf("step stop %+v", st)
		}
		r1, _ := th.Registers()
		if r1.PC() == r0.PC() {
			t.Fatalf("thread %d: pc did not move from %#x", th.ID(), r0.PC())
		}
		if ok, m := fixtures.AllStopped(p.Pid()); !ok {
			t.Fatalf("after stepi not all stopped: %v", m)
		}
		stepped++
	}
	if stepped != 2 {
		t.Fatalf("stepped %d threads, want the 2 spinners", stepped)
	}
}

// TestHaltDuringBlockedStep: stepping a thread blocked in a system call
// waits for the call; a halt request ends the wait.
func TestHaltDuringBlockedStep(t *testing.T) {
	bin := fixtures.Build(t, "sleepers.c")
	fx := fixtures.Start(t, bin, "1")
	p := mustAttach(t, fx.Pid)
	defer p.Detach()
	stop := haltSoon(p, 100*time.Millisecond)
	st, err := p.StepInstruction(fx.Pid)
	stop()
	if err != nil || (st.Reason != proc.StopHalted && st.Reason != proc.StopStepped) {
		t.Fatalf("stop %+v %v", st, err)
	}
	if ok, m := fixtures.AllStopped(fx.Pid); !ok {
		t.Fatalf("not all stopped: %v", m)
	}
}

func TestAttachErrors(t *testing.T) {
	if _, err := Attach(os.Getpid()); !errors.Is(err, ErrSelf) {
		t.Errorf("self: %v", err)
	}
	if _, err := Attach(99999999); !errors.Is(err, ErrNoProcess) {
		t.Errorf("no process: %v", err)
	}
	bin := fixtures.Build(t, "sleepers.c")
	fx := fixtures.Start(t, bin, "1")
	p := mustAttach(t, fx.Pid)
	defer p.Detach()
	_, err := Attach(fx.Pid)
	if !errors.Is(err, ErrAlreadyTraced) {
		t.Errorf("already traced: %v", err)
	}
}

func devNull(t *testing.T) *os.File {
	f, err := os.OpenFile(os.DevNull, os.O_WRONLY, 0)
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { f.Close() })
	return f
}

// TestSignalsDuringStopsNotLost halts and resumes the program over and
// over while real-time signals (queued by the kernel, never merged, unlike
// SIGUSR1 which merges while pending) arrive; the program's handler must
// count every one.
func TestSignalsDuringStopsNotLost(t *testing.T) {
	p, lines := launchPiped(t, fixtures.Build(t, "signals.c"))
	const sent = 300
	done := make(chan struct{})
	go func() {
		<-lines // ready
		for i := 0; i < sent; i++ {
			syscall.Kill(p.Pid(), syscall.Signal(40)) // SIGRTMIN+6 in glibc
			time.Sleep(time.Millisecond)
		}
		close(done)
	}()
	for stops := 0; ; stops++ {
		select {
		case <-done:
			time.Sleep(20 * time.Millisecond)
			go func() { time.Sleep(20 * time.Millisecond); syscall.Kill(p.Pid(), syscall.SIGUSR2) }()
			st, err := p.Continue()
			// The last halter can land one request after its Continue
			// returned: by RequestHalt's contract it halts this one.
			for extra := 0; err == nil && st.Reason == proc.StopHalted && extra < 2; extra++ {
				st, err = p.Continue()
			}
			if err != nil || st.Reason != proc.StopExited {
				t.Fatalf("final stop %+v %v", st, err)
			}
			if got := <-lines; got != fmt.Sprintf("count %d", sent) {
				t.Fatalf("program says %q after %d halts, want count %d", got, stops, sent)
			}
			return
		default:
		}
		stop := haltSoon(p, 2*time.Millisecond)
		st, err := p.Continue()
		stop()
		if err != nil {
			t.Fatal(err)
		}
		if st.Reason != proc.StopHalted {
			t.Fatalf("stop %+v", st)
		}
	}
}
