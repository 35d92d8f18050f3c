package main

import (
	"fmt"
	"io"
	"math/rand"
	"os"
	"path/filepath"
	"regexp"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/godbg/godbg/internal/fixtures"
)

// guardLoops is how many runs each case of TestGuardianSurvivesKillWhileRunning
// makes: GODBG_GUARD_LOOPS (e.g. 100) for a long run.
func guardLoops(def int) int { return envLoops("GODBG_GUARD_LOOPS", def) }

// TestGuardianSurvivesKillWhileRunning attaches godbg to a program, sets a
// false-condition breakpoint its two threads hit, continues, and SIGKILLs
// godbg while the program runs with the int3 in its text (checked through
// /proc/PID/mem). The guardian must leave the program untraced, with no
// thread stopped, to finish with its exact sum. "rare": a hit every 10 ms
// per thread; "hot": hits back to back. A run that dies is counted (a thread
// caught by the kill in the middle of a hit dies of its SIGTRAP or resumes
// one byte past the int3: the window the guardian cannot close, see
// /work/notes/guard-note.md); the rare case must survive at least 2 runs
// in 10 (6 to 9 do; without the guardian none does: it dies at its next
// hit), the hot case (5 runs) is only reported (almost every run dies).
// GODBG_NO_GUARD=1 runs the same loop without a guardian, for comparison.
func TestGuardianSurvivesKillWhileRunning(t *testing.T) {
	logPath := filepath.Join(t.TempDir(), "guard.log")
	for _, c := range []struct {
		name, fixture, bp string
		iters, sleepUs    int
		minRate           float64
		runs              int
		pad               bool // pad (issue 17): a jump pad, not an int3
	}{
		{"C/rare", "guardc.c", "break work if i == -1", 40, 10000, 0.2, 10, false},
		{"Go/rare", "guardgo", "break main.work if i == -1", 40, 10000, 0.2, 10, false},
		{"C/hot", "guardc.c", "break work if i == -1", 3000000, 0, 0, 5, false},
		{"Go/hot", "guardgo", "break main.work if i == -1", 3000000, 0, 0, 5, false},
		// A jump pad has no int3 in the program's text; the guardian
		// turns the pad's own into a nop and, with every thread stopped,
		// puts the padded instruction back (guardpad_linux_amd64.go).
		// A thread the kill catches in a single step (godbg walks
		// threads out of a pad before a signal) dies of its SIGTRAP:
		// about 1 run in 10; so does one that meets a signal at a
		// trampoline before the guardian's rescue.
		{"Go/pad", "guardgo", "break main.work if i == -1", 3000000, 0, 0.4, 5, true},
	} {
		t.Run(c.name, func(t *testing.T) {
			bin := fixtures.Build(t, c.fixture)
			n := guardLoops(c.runs)
			want := fmt.Sprintf("sum %d", 2*c.iters*c.iters)
			survived := 0
			var deaths []string
			for i := 0; i < n; i++ {
				msg := killWhileRunning(t, bin, c.bp, c.iters, c.sleepUs, want, logPath, c.pad)
				if msg == "" {
					survived++
				} else {
					deaths = append(deaths, fmt.Sprintf("run %d: %s", i+1, msg))
				}
			}
			t.Logf("%s: %d of %d runs survived", c.name, survived, n)
			for _, d := range deaths {
				t.Log(d)
			}
			if noGuard := os.Getenv("GODBG_NO_GUARD") != ""; !noGuard && float64(survived) < c.minRate*float64(n) {
				t.Errorf("%d of %d survived, want at least %.0f%%", survived, n, 100*c.minRate)
			}
		})
	}
	if b, err := os.ReadFile(logPath); err == nil && testing.Verbose() {
		t.Logf("guardian log:\n%s", b)
	}
}

// killWhileRunning runs one cycle; it returns how the program died, or "".
// A check the guardian must always pass (traced or stopped after its
// rescue, a wrong sum) fails the test at once.
func killWhileRunning(t *testing.T, bin, bp string, iters, sleepUs int, want, logPath string, pad bool) string {
	prog, in, lines := startReady(t, bin, strconv.Itoa(iters), strconv.Itoa(sleepUs))
	defer prog.Process.Kill()
	pid := prog.Process.Pid
	padEnv := map[bool]string{false: "GODBG_PAD=0", true: "GODBG_PAD=1"}[pad]
	s := startIn(t, "", []string{"GODBG_GUARD_LOG=" + logPath, padEnv}, "attach", strconv.Itoa(pid))
	s.expect(`^Attached to process`)
	s.send(bp)
	addr, _ := strconv.ParseUint(s.expect(`^Breakpoint 1 set at .*\(PC: (0x[0-9a-f]+)\)`)[1], 0, 64)
	s.send("continue")
	io.WriteString(in, "go\n")
	// Running with the int3 in: wait until the text shows it.
	mem, err := os.Open(fmt.Sprintf("/proc/%d/mem", pid))
	if err != nil {
		t.Fatal(err)
	}
	defer mem.Close()
	b := make([]byte, 1)
	for deadline := time.Now().Add(10 * time.Second); ; time.Sleep(time.Millisecond) {
		if _, err := mem.ReadAt(b, int64(addr)); err == nil && (b[0] == 0xcc || pad && (b[0] == 0xe9 || b[0] == 0xeb)) {
			break
		}
		if time.Now().After(deadline) {
			t.Fatalf("no int3 (or pad jump) at %#x 10s after continue; godbg said:\n%s", addr, s.output())
		}
	}
	time.Sleep(time.Duration(20+rand.Intn(80)) * time.Millisecond)
	s.cmd.Process.Kill()
	for range s.lines { // closed once godbg is reaped
	}
	in.Close()

	// The guardian's rescue of this pid ends with one of these lines.
	end := regexp.MustCompile(fmt.Sprintf(`pid %d: (untraced after|exited|still traced)`, pid))
	var rescue string
	if os.Getenv("GODBG_NO_GUARD") != "" {
		rescue = "no guardian"
	}
	for deadline := time.Now().Add(10 * time.Second); rescue == "" && time.Now().Before(deadline); time.Sleep(2 * time.Millisecond) {
		logText, _ := os.ReadFile(logPath)
		for _, l := range strings.Split(string(logText), "\n") {
			if end.MatchString(l) {
				rescue = l
			}
		}
	}
	if rescue == "" {
		t.Fatalf("pid %d: no rescue by the guardian within 10s of godbg's SIGKILL", pid)
	}
	if pad && strings.Contains(rescue, "untraced after") && !strings.Contains(rescue, "seized 0 threads") && !regexp.MustCompile(`; [1-9]\d* bytes restored late`).MatchString(rescue) {
		t.Errorf("pid %d: the guardian did not put the padded instruction back (%s)", pid, rescue)
	}
	if strings.Contains(rescue, "untraced after") {
		if tp, _ := fixtures.TracerPid(pid); tp > 0 {
			t.Fatalf("pid %d still traced by %d after the guardian's rescue (%s)", pid, tp, rescue)
		}
		if ok, st := fixtures.NoneStopped(pid); !ok && len(st) > 0 {
			t.Fatalf("pid %d: threads stopped after the guardian's rescue: %v (%s)", pid, st, rescue)
		}
	}
	done := make(chan string, 1)
	go func() {
		var got []string
		for l := range lines {
			got = append(got, l)
		}
		err := prog.Wait()
		switch {
		case err != nil:
			done <- fmt.Sprintf("%v (%s)", err, rescue)
		case len(got) != 1 || got[0] != want:
			done <- "WRONG OUTPUT " + strings.Join(got, "|")
		default:
			done <- ""
		}
	}()
	select {
	case msg := <-done:
		if strings.HasPrefix(msg, "WRONG OUTPUT") {
			t.Fatalf("pid %d: %s, want %q", pid, msg, want)
		}
		return msg
	case <-time.After(30 * time.Second):
		st, _ := os.ReadFile(fmt.Sprintf("/proc/%d/stat", pid))
		t.Fatalf("the program did not end within 30s after godbg's SIGKILL (stat %s)", st)
	}
	return ""
}
