package main

import (
	"bytes"
	"fmt"
	"os/exec"
	"regexp"
	"strconv"
	"strings"
	"syscall"
	"testing"
	"time"

	"github.com/godbg/godbg/internal/fixtures"
)

// runSplit runs a command and returns its standard output and error apart.
func runSplit(t *testing.T, bin string, args ...string) (stdout, stderr string, code int) {
	t.Helper()
	cmd := exec.Command(bin, args...)
	var o, e bytes.Buffer
	cmd.Stdout, cmd.Stderr = &o, &e
	if err := cmd.Start(); err != nil {
		t.Fatal(err)
	}
	done := make(chan struct{})
	go func() { cmd.Wait(); close(done) }()
	select {
	case <-done:
	case <-time.After(60 * time.Second):
		cmd.Process.Kill()
		<-done
		t.Fatalf("%s %v timed out; stderr:\n%s", bin, args, e.String())
	}
	return o.String(), e.String(), cmd.ProcessState.ExitCode()
}

var (
	progG     = regexp.MustCompile(`(?m)^goroutine (\d+) calls (\d+) sum (\d+)$`)
	traceCall = regexp.MustCompile(`(?m)^> goroutine\((\d+)\): main\.add\((\d+), (\d+)\)$`)
	traceRet  = regexp.MustCompile(`(?m)^>> goroutine\((\d+)\): main\.add => \((\d+)\)$`)
)

// backends runs f for the ptrace backend and, if the kernel lets us load
// BPF programs, for --ebpf; flags are the backend's extra arguments.
func backends(t *testing.T, f func(t *testing.T, flags ...string)) {
	t.Run("ptrace", func(t *testing.T) { f(t) })
	t.Run("ebpf", func(t *testing.T) {
		if reason := ebpfRefused(t); reason != "" {
			t.Skip(reason)
		}
		f(t, "--ebpf")
	})
}

// ebpfRefused returns the kernel's reason when it refuses a trivial
// --ebpf trace ("" when it works).
func ebpfRefused(t *testing.T) string {
	_, errOut, code := runSplit(t, godbgBin, "trace", "--ebpf", "--count", "--exec", fixtures.Build(t, "tracefix"), "main.add", "--", "1", "1")
	if code == 0 {
		return ""
	}
	if strings.Contains(errOut, "the kernel refused") {
		return "the kernel refuses eBPF tracing here: " + strings.TrimSpace(errOut)
	}
	t.Fatalf("--ebpf failed for another reason than the kernel's (status %d):\n%s", code, errOut)
	return ""
}

func traceArgs(flags []string, args ...string) []string {
	return append(append([]string{"trace"}, flags...), args...)
}

// TestTraceCalls traces main.add in one goroutine and then three, with
// each backend: the program's stdout is what it prints untraced, its exit
// status is godbg's, and the calls and results per goroutine are the
// program's own counts and sums.
func TestTraceCalls(t *testing.T) { backends(t, testTraceCalls) }

func testTraceCalls(t *testing.T, flags ...string) {
	bin := fixtures.Build(t, "tracefix")
	wantOut, _, wantCode := runSplit(t, bin, "1", "40", "0", "3")
	out, errOut, code := runSplit(t, godbgBin, traceArgs(flags, "--exec", bin, "main.add", "--", "1", "40", "0", "3")...)
	// Goroutine ids depend on the runtime's start-up (they differ between
	// runs under a debugger and without); every other byte must match.
	anyG := regexp.MustCompile(`goroutine \d+ `)
	if anyG.ReplaceAllString(out, "goroutine G ") != anyG.ReplaceAllString(wantOut, "goroutine G ") || code != wantCode || code != 3 {
		t.Fatalf("traced: status %d, stdout %q; untraced: status %d, stdout %q", code, out, wantCode, wantOut)
	}
	checkPerGoroutine(t, out, errOut)

	out, errOut, code = runSplit(t, godbgBin, traceArgs(flags, "--exec", bin, "main.add", "--", "3", "50")...)
	if code != 0 {
		t.Fatalf("status %d; stderr:\n%s", code, errOut)
	}
	checkPerGoroutine(t, out, errOut)
	if !strings.Contains(errOut, "has exited with status 0") {
		t.Errorf("no exit line in:\n%s", errOut)
	}
}

// checkPerGoroutine matches the trace of each goroutine against the
// program's own line: as many calls and returns, the last result its sum.
func checkPerGoroutine(t *testing.T, progOut, trace string) {
	t.Helper()
	calls, last := map[string]int{}, map[string]string{}
	for _, m := range traceCall.FindAllStringSubmatch(trace, -1) {
		calls[m[1]]++
	}
	rets := map[string]int{}
	for _, m := range traceRet.FindAllStringSubmatch(trace, -1) {
		rets[m[1]]++
		last[m[1]] = m[2]
	}
	gs := progG.FindAllStringSubmatch(progOut, -1)
	if len(gs) == 0 || len(gs) != len(calls) {
		t.Fatalf("program goroutines %v, traced %v; trace:\n%.2000s", gs, calls, trace)
	}
	for _, g := range gs {
		n, _ := strconv.Atoi(g[2])
		if calls[g[1]] != n || rets[g[1]] != n || last[g[1]] != g[3] {
			t.Errorf("goroutine %s: program made %d calls with sum %s; traced %d calls, %d returns, last result %s",
				g[1], n, g[3], calls[g[1]], rets[g[1]], last[g[1]])
		}
	}
}

// TestTraceValuesAndStack checks a string and a struct argument, a string
// result and --stack frames against the fixture's source.
func TestTraceValuesAndStack(t *testing.T) { backends(t, testTraceValuesAndStack) }

func testTraceValuesAndStack(t *testing.T, flags ...string) {
	bin := fixtures.Build(t, "tracefix")
	_, errOut, code := runSplit(t, godbgBin, traceArgs(flags, "--exec", bin, "--stack", "2", "main.label", "--", "1", "1")...)
	line := markerLine(t, "tracefix/main.go", "label")
	want := fmt.Sprintf("> goroutine(1): main.label(\"start\", main.point {X: 1, Y: 2})\n\tmain.main main.go:%d\n\truntime.main ", line)
	if code != 0 || !strings.Contains(errOut, want) || !strings.Contains(errOut, `>> goroutine(1): main.label => ("start@1,2")`) {
		t.Fatalf("status %d, want %q in:\n%s", code, want, errOut)
	}
}

// TestTraceCountLatency checks --count against the program's own counts
// in 20 goroutines, and that --latency reports every call.
func TestTraceCountLatency(t *testing.T) { backends(t, testTraceCountLatency) }

func testTraceCountLatency(t *testing.T, flags ...string) {
	bin := fixtures.Build(t, "tracefix")
	out, errOut, code := runSplit(t, godbgBin, traceArgs(flags, "--count", "--exec", bin, "main.add", "--", "20", "100")...)
	if code != 0 || !strings.Contains(errOut, "main.add: 2000 calls in 20 goroutines") || strings.Contains(errOut, "> goroutine") {
		t.Fatalf("status %d; stderr:\n%s", code, errOut)
	}
	for _, g := range progG.FindAllStringSubmatch(out, -1) {
		if !strings.Contains(errOut, fmt.Sprintf("\tgoroutine(%s): %s\n", g[1], g[2])) {
			t.Errorf("no count %s for goroutine %s in:\n%s", g[2], g[1], errOut)
		}
	}
	_, errOut, code = runSplit(t, godbgBin, traceArgs(flags, "--latency", "--exec", bin, "main.add", "--", "2", "100")...)
	if code != 0 || !strings.Contains(errOut, "main.add: 200 calls, mean ") || !strings.Contains(errOut, "usecs") {
		t.Fatalf("status %d; stderr:\n%s", code, errOut)
	}
}

// TestTraceBadInput: each mistake is a clear error and exit status 1.
func TestTraceBadInput(t *testing.T) {
	bin := fixtures.Build(t, "tracefix")
	for _, c := range []struct {
		args []string
		want string
	}{
		{[]string{"--exec", bin, "main.(add"}, "invalid regular expression"},
		{[]string{"--exec", bin, "main.ad$"}, "did you mean main.add"},
		{[]string{"--exec", "/nonexistent/prog", "main.add"}, "--exec /nonexistent/prog"},
		{[]string{"--exec", bin, "-p", "1", "main.add"}, "give one of --exec, -p and --test"},
	} {
		_, errOut, code := runSplit(t, godbgBin, append([]string{"trace"}, c.args...)...)
		if code != 1 || !strings.Contains(errOut, c.want) {
			t.Errorf("trace %v: status %d, stderr %q; want status 1 and %q", c.args, code, errOut, c.want)
		}
	}
}

// TestTraceAttachDetach traces a running process, interrupts godbg once,
// and checks the process runs on untraced and no call was seen twice or
// skipped.
func TestTraceAttachDetach(t *testing.T) { backends(t, testTraceAttachDetach) }

func testTraceAttachDetach(t *testing.T, flags ...string) {
	fx := fixtures.Start(t, fixtures.Build(t, "tracefix"), "loop")
	s := start(t, traceArgs(flags, "-p", fmt.Sprint(fx.Pid), "main.add")...)
	s.expect(`^>> goroutine\(1\): main\.add => `)
	s.expect(`^>> goroutine\(1\): main\.add => `)
	s.cmd.Process.Signal(syscall.SIGINT)
	if code := s.end(); code != 0 {
		t.Fatalf("status %d after SIGINT; output:\n%s", code, s.output())
	}
	out := s.output()
	if !strings.Contains(out, fmt.Sprintf("Detached from process %d", fx.Pid)) {
		t.Errorf("no detach line in:\n%s", out)
	}
	checkRunning(t, fx.Pid)
	prev := -1
	for _, m := range traceCall.FindAllStringSubmatch(out, -1) {
		i, _ := strconv.Atoi(m[2])
		if prev >= 0 && i != prev+1 {
			t.Fatalf("call add(%d, 1) after add(%d, 1): a call lost or seen twice", i, prev)
		}
		prev = i
	}
}

// TestTraceEBPFCapability: without CAP_BPF and CAP_PERFMON, --ebpf says
// which are missing and points to the ptrace backend.
func TestTraceEBPFCapability(t *testing.T) {
	if syscall.Geteuid() != 0 {
		t.Skip("needs root to run godbg as another user")
	}
	cmd := exec.Command(godbgBin, "trace", "--ebpf", "--exec", fixtures.Build(t, "tracefix"), "main.add")
	cmd.SysProcAttr = &syscall.SysProcAttr{Credential: &syscall.Credential{Uid: 65534, Gid: 65534}}
	out, _ := cmd.CombinedOutput()
	if code := cmd.ProcessState.ExitCode(); code != 1 || !strings.Contains(string(out), "needs CAP_BPF and CAP_PERFMON") ||
		!strings.Contains(string(out), "drop --ebpf to use the ptrace backend") {
		t.Fatalf("status %d, output:\n%s", code, out)
	}
}

// TestTraceTestBinary traces a package's test: the calls its test makes.
// In a test binary, package main's functions carry the import path; the
// error for main.add names that.
func TestTraceTestBinary(t *testing.T) {
	_, errOut, code := runSplit(t, godbgBin, "trace", "--test", fixtures.Source("tracefix"), "main.add$")
	if code != 1 || !strings.Contains(errOut, "did you mean github.com/godbg/godbg/_fixtures/tracefix.add") {
		t.Errorf("status %d, stderr:\n%s", code, errOut)
	}
	out, errOut, code := runSplit(t, godbgBin, "trace", "--test", fixtures.Source("tracefix"), `tracefix\.add$`, "--", "-test.run", "TestAdd", "-test.v")
	if code != 0 || !strings.Contains(out, "test sum 10") || !strings.Contains(out, "--- PASS: TestAdd") {
		t.Fatalf("status %d, stdout:\n%s\nstderr:\n%s", code, out, errOut)
	}
	calls := regexp.MustCompile(`(?m)^> goroutine\(\d+\): \S+/tracefix\.add\(\d+, \d+\)$`)
	if n := len(calls.FindAllString(errOut, -1)); n != 5 || !strings.Contains(errOut, "tracefix.add => (10)") {
		t.Fatalf("%d calls traced, want 5 and a last result of 10; stderr:\n%s", n, errOut)
	}
}

// TestTraceBuildsPackage: with a package, trace builds it as debug does.
func TestTraceBuildsPackage(t *testing.T) {
	out, errOut, code := runSplit(t, godbgBin, "trace", fixtures.Source("tracefix"), "main.add", "--", "1", "2")
	if code != 0 {
		t.Fatalf("status %d; stderr:\n%s", code, errOut)
	}
	checkPerGoroutine(t, out, errOut)
	_, errOut, code = runSplit(t, godbgBin, "trace", fixtures.Source("nosuchdir"), "main.add")
	if code != 1 || !strings.Contains(errOut, "building "+fixtures.Source("nosuchdir")+" failed") {
		t.Errorf("status %d; stderr:\n%s", code, errOut)
	}
}

// TestTraceInterruptLaunched: Ctrl-C ends a trace of a program godbg
// started: the program is killed, godbg exits with status 1.
func TestTraceInterruptLaunched(t *testing.T) { backends(t, testTraceInterruptLaunched) }

func testTraceInterruptLaunched(t *testing.T, flags ...string) {
	s := start(t, traceArgs(flags, "--exec", fixtures.Build(t, "tracefix"), "main.add", "--", "loop")...)
	pid, _ := strconv.Atoi(s.expect(`^ready (\d+)$`)[1])
	s.expect(`^>> goroutine\(1\): main\.add => `)
	s.cmd.Process.Signal(syscall.SIGINT)
	if code := s.end(); code != 1 || !strings.Contains(s.output(), fmt.Sprintf("Process %d killed (interrupted)", pid)) {
		t.Fatalf("status %d; output:\n%s", code, s.output())
	}
	if alive(pid) {
		t.Errorf("process %d still alive after the trace ended", pid)
	}
}

// TestTraceC traces a C function in 3 threads: each line names its thread,
// its arguments (i + thread index, as the fixture computes them) are read
// after the prologue, and its results (from RAX) add up to the program's
// own sum.
func TestTraceC(t *testing.T) { backends(t, testTraceC) }

func testTraceC(t *testing.T, flags ...string) {
	out, errOut, code := runSplit(t, godbgBin, traceArgs(flags, "--exec", fixtures.Build(t, "bpfix.c"), "^hot$", "--", "3", "4")...)
	// No goroutines: each line names its thread, whose calls are
	// id, id+1, id+2, id+3 for its own index id.
	want, sum := map[string]int{}, 0
	for id := 0; id < 3; id++ {
		var calls []string
		for i := 0; i < 4; i++ {
			calls = append(calls, strconv.Itoa(i+id))
			sum += 2*(i+id) + 1
		}
		want[strings.Join(calls, " ")]++
	}
	byThread := map[string][]string{}
	for _, m := range regexp.MustCompile(`(?m)^> thread\((\d+)\): hot\((\d+)\)$`).FindAllStringSubmatch(errOut, -1) {
		byThread[m[1]] = append(byThread[m[1]], m[2])
	}
	got := map[string]int{}
	for _, calls := range byThread {
		got[strings.Join(calls, " ")]++
	}
	rets, retSum := 0, 0
	for _, m := range regexp.MustCompile(`(?m)^>> thread\(\d+\): hot => \((\d+)\)$`).FindAllStringSubmatch(errOut, -1) {
		n, _ := strconv.Atoi(m[1])
		rets, retSum = rets+1, retSum+n
	}
	if code != 0 || out != fmt.Sprintf("sum %d\n", sum) || fmt.Sprint(got) != fmt.Sprint(want) || rets != 12 || retSum != sum {
		t.Fatalf("status %d, stdout %q (want sum %d), calls %v, want %v, %d results summing to %d; stderr:\n%s",
			code, out, sum, got, want, rets, retSum, errOut)
	}
}

// TestTraceFollowCalls: --follow-calls N traces the callees of the
// matched function N levels deep, only under it, with dlv's frame(D)
// and indentation; the values are those the fixture prints.
func TestTraceFollowCalls(t *testing.T) {
	bin := fixtures.Build(t, "tracefollow")
	out, _, code := runSplit(t, bin)
	if code != 0 || !strings.Contains(out, "outer(2)=") {
		t.Fatalf("fixture: status %d, output %q", code, out)
	}
	var leaf10, outer2, mid2, inner2, leaf2 int
	if _, err := fmt.Sscanf(out, "leaf(10)=%d outer(2)=%d mid(2)=%d inner(2)=%d leaf(2)=%d", &leaf10, &outer2, &mid2, &inner2, &leaf2); err != nil {
		t.Fatalf("fixture output %q: %v", out, err)
	}
	deep := fmt.Sprintf(`> goroutine(1):frame(1) main.outer(2)
 > goroutine(1):frame(2) main.mid(2)
  > goroutine(1):frame(3) main.inner(2)
  >> goroutine(1):frame(3) main.inner => (%d)
 >> goroutine(1):frame(2) main.mid => (%d)
 > goroutine(1):frame(2) main.leaf(2)
 >> goroutine(1):frame(2) main.leaf => (%d)
>> goroutine(1):frame(1) main.outer => (%d)
`, inner2, mid2, leaf2, outer2)
	// Depth 1: inner (called from mid only) is not traced.
	shallow := strings.Replace(deep, fmt.Sprintf("  > goroutine(1):frame(3) main.inner(2)\n  >> goroutine(1):frame(3) main.inner => (%d)\n", inner2), "", 1)
	for _, c := range []struct {
		depth string
		want  string
	}{{"1", shallow}, {"2", deep}} {
		stdout, stderr, code := runSplit(t, godbgBin, "trace", "--exec", bin, "main.outer", "--follow-calls", c.depth)
		if code != 0 || stdout != out {
			t.Fatalf("--follow-calls %s: status %d, stdout %q, want %q; stderr:\n%s", c.depth, code, stdout, out, stderr)
		}
		got := strings.TrimSuffix(stderr, stderr[strings.LastIndex(stderr[:len(stderr)-1], "\n")+1:])
		if got != c.want {
			t.Errorf("--follow-calls %s: trace\n%s\nwant\n%s", c.depth, got, c.want)
		}
	}
	_, stderr, code := runSplit(t, godbgBin, "trace", "--ebpf", "--exec", bin, "main.outer", "--follow-calls", "1")
	if code != 1 || !strings.Contains(stderr, "--follow-calls needs the ptrace backend") {
		t.Errorf("--ebpf --follow-calls: status %d, stderr %q", code, stderr)
	}
}

// TestTraceFuncValue traces main.twice, called once through a func value
// and once directly: both calls and both returns, with the program's own
// results (an eBPF return probe placed only after the direct call would
// miss one).
func TestTraceFuncValue(t *testing.T) { backends(t, testTraceFuncValue) }

func testTraceFuncValue(t *testing.T, flags ...string) {
	bin := fixtures.Build(t, "tracefix")
	out, errOut, code := runSplit(t, godbgBin, traceArgs(flags, "--exec", bin, "main.twice", "--", "1", "4")...)
	m := regexp.MustCompile(`(?m)^twice (\d+) (\d+)$`).FindStringSubmatch(out)
	if code != 0 || m == nil {
		t.Fatalf("status %d, stdout %q, stderr:\n%s", code, out, errOut)
	}
	calls := regexp.MustCompile(`(?m)^> goroutine\(\d+\): main\.twice\(\d+\)$`).FindAllString(errOut, -1)
	rets := regexp.MustCompile(`(?m)^>> goroutine\(\d+\): main\.twice => \((\d+)\)$`).FindAllStringSubmatch(errOut, -1)
	if len(calls) != 2 || len(rets) != 2 || rets[0][1] != m[1] || rets[1][1] != m[2] {
		t.Fatalf("program printed %q; trace:\n%s", m[0], errOut)
	}
}

// TestTraceFloat traces main.scale(2) => 3: the ptrace backend reads the
// float argument from X0; an eBPF probe cannot (pt_regs has no SSE
// registers) and says so, and reads the result from its stack slot.
func TestTraceFloat(t *testing.T) { backends(t, testTraceFloat) }

func testTraceFloat(t *testing.T, flags ...string) {
	bin := fixtures.Build(t, "tracefix")
	out, errOut, code := runSplit(t, godbgBin, traceArgs(flags, "--exec", bin, "main.scale", "--", "1", "1")...)
	arg := "2"
	if len(flags) > 0 {
		arg = "(float in X0: not readable by an eBPF probe; drop --ebpf to see it)"
	}
	if code != 0 || !strings.Contains(out, "scale 3\n") || !strings.Contains(errOut, "> goroutine(1): main.scale("+arg+")\n") ||
		!strings.Contains(errOut, ">> goroutine(1): main.scale => (3)\n") {
		t.Fatalf("status %d, stdout %q, stderr:\n%s", code, out, errOut)
	}
}

// TestTracePanic traces main.positive, whose second call panics (its
// caller recovers and returns -1): two calls, one return; its caller
// returns twice with the values the program prints.
func TestTracePanic(t *testing.T) { backends(t, testTracePanic) }

func testTracePanic(t *testing.T, flags ...string) {
	bin := fixtures.Build(t, "tracefix")
	out, errOut, code := runSplit(t, godbgBin, traceArgs(flags, "--exec", bin, `main\.(try)?[pP]ositive$`, "--", "1", "1")...)
	want := "> goroutine(1): main.tryPositive(5)\n> goroutine(1): main.positive(5)\n>> goroutine(1): main.positive => (5)\n" +
		">> goroutine(1): main.tryPositive => (5)\n> goroutine(1): main.tryPositive(-5)\n> goroutine(1): main.positive(-5)\n" +
		">> goroutine(1): main.tryPositive => (-1)\n"
	if code != 0 || !strings.Contains(out, "positive 5 -1\n") || !strings.Contains(errOut, want) {
		t.Fatalf("status %d, stdout %q, want in stderr:\n%s\ngot:\n%s", code, out, want, errOut)
	}
}

// TestTraceOptimized traces main.add in an optimized build (a leaf
// without a frame: eBPF probes its CALLs), 2 goroutines, --stack 1:
// calls and returns per goroutine are the program's count, the last
// call's arguments add up to its sum, each call names its caller, and
// (eBPF) the last result is the sum.
func TestTraceOptimized(t *testing.T) { backends(t, testTraceOptimized) }

func testTraceOptimized(t *testing.T, flags ...string) {
	bin := fixtures.Build(t, "tracefix", "-gcflags=all=")
	out, errOut, code := runSplit(t, godbgBin, traceArgs(flags, "--exec", bin, "--stack", "1", "main.add", "--", "2", "30")...)
	gs := progG.FindAllStringSubmatch(out, -1)
	if code != 0 || len(gs) != 2 {
		t.Fatalf("status %d, stdout %q, stderr:\n%.2000s", code, out, errOut)
	}
	at := fmt.Sprintf("\tmain.main.func1 main.go:%d\n", markerLine(t, "tracefix/main.go", "addcall"))
	for _, g := range gs {
		calls := regexp.MustCompile(`(?m)^> goroutine\(`+g[1]+`\): main\.add\((\d+), (\d+)\)\n`+at).FindAllStringSubmatch(errOut, -1)
		rets := regexp.MustCompile(`(?m)^>> goroutine\(`+g[1]+`\): main\.add => `).FindAllString(errOut, -1)
		n, _ := strconv.Atoi(g[2])
		if len(calls) != n || len(rets) != n {
			t.Fatalf("goroutine %s: program made %d calls; traced %d calls at %q, %d returns:\n%.3000s", g[1], n, len(calls), at, len(rets), errOut)
		}
		a, _ := strconv.Atoi(calls[n-1][1])
		b, _ := strconv.Atoi(calls[n-1][2])
		if strconv.Itoa(a+b) != g[3] {
			t.Errorf("goroutine %s: last call add(%d, %d), program's sum %s", g[1], a, b, g[3])
		}
		// DWARF has no location for the result at the RET; the eBPF
		// probe reads it from RAX, as Go's internal ABI returns it.
		if len(flags) > 0 && !strings.Contains(errOut, ">> goroutine("+g[1]+"): main.add => ("+g[3]+")\n") {
			t.Errorf("goroutine %s: no return of the sum %s in:\n%.3000s", g[1], g[3], errOut)
		}
	}
}
