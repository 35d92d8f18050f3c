package main

import (
	"fmt"
	"net/http"
	"regexp"
	"strconv"
	"strings"
	"syscall"
	"testing"
	"time"
)

// Delve 1.27.2's concurrent next and breakpoint tests (TestNextConcurrent,
// TestNextConcurrentVariant2, TestNextParked, TestNextNetHTTP,
// TestBreakpointCounts, TestBreakpointCountsWithDetection), replayed
// through our CLI on Delve's fixtures. As in Delve, outcomes that depend
// on scheduling are tolerated where Delve tolerates them; what Delve
// asserts is asserted.

// TestBreakpointCounts and TestBreakpointCountsWithDetection: two
// goroutines hit one breakpoint 100 times each: 200 hits, 100 per
// goroutine, and at every stop the hitting goroutine's count is its own
// loop counter plus one.
func TestDelveBreakpointCounts(t *testing.T) {
	t.Parallel()
	bin := buildDelveFixture(t, delveFixtures(t), "bpcountstest", false)
	script := "break bpcountstest.go:12\n" + strings.Repeat("continue\nprint i\n", 201) + "breakpoints\n"
	out, code := run(t, script, "exec", bin)
	if code != 0 {
		t.Fatalf("exit %d\n%s", code, out)
	}
	m := regexp.MustCompile(`(?m)^\s+hits total:(\d+)((?: goroutine\(\d+\):\d+)*)$`).FindAllStringSubmatch(out, -1)
	last := m[len(m)-1]
	per := regexp.MustCompile(`goroutine\(\d+\):(\d+)`).FindAllStringSubmatch(last[2], -1)
	if last[1] != "200" || len(per) != 2 || per[0][1] != "100" || per[1][1] != "100" {
		t.Errorf("breakpoints says %q, want total 200 and two goroutines with 100 hits each", strings.TrimSpace(last[0]))
	}
	// Detection: each stop's goroutine count is i+1 of that goroutine.
	stop := regexp.MustCompile(`^> \[Breakpoint 1\] main\.demo\(\) .* \(hits goroutine\((\d+)\):(\d+) total:\d+\)`)
	lines := strings.Split(out, "\n")
	stops := 0
	for k, l := range lines {
		s := stop.FindStringSubmatch(l)
		if s == nil {
			continue
		}
		stops++
		for _, v := range lines[k+1:] {
			if i, err := strconv.Atoi(v); err == nil {
				if n, _ := strconv.Atoi(s[2]); n != i+1 {
					t.Errorf("goroutine %s stopped with hit count %d at i == %d", s[1], n, i)
				}
				break
			}
		}
	}
	if stops != 200 {
		t.Errorf("%d stops, want 200", stops)
	}
	if t.Failed() {
		t.Log(out)
	}
}

// TestNextConcurrent: with the breakpoint cleared, next goes 8 → 9 → 10
// → 11 in main.sayhi on the goroutine it started on (n does not change).
func TestDelveNextConcurrent(t *testing.T) {
	t.Parallel()
	bin := buildDelveFixture(t, delveFixtures(t), "parallel_next", false)
	out, _ := run(t, "break main.sayhi\ncontinue\nprint n\nclear 1\nnext\nprint n\nnext\nprint n\nnext\nprint n\n", "exec", bin)
	ev := nextEvents(out)
	want := []string{"main.sayhi:8", "main.sayhi:9", "main.sayhi:10", "main.sayhi:11"}
	ns := regexp.MustCompile(`(?m)^(\d+)$`).FindAllString(out, -1)
	if strings.Join(ev, " ") != strings.Join(want, " ") || len(ns) != 4 || ns[1] != ns[0] || ns[2] != ns[0] || ns[3] != ns[0] {
		t.Errorf("stops %v with n %v, want %v on one goroutine\n%s", ev, ns, want, out)
	}
}

// delveSession starts godbg (in parallel with the other tests) on one of
// Delve's fixtures.
func delveSession(t *testing.T, fixture string) *session {
	t.Parallel()
	return start(t, "exec", buildDelveFixture(t, delveFixtures(t), fixture, false))
}

var bareNumber = regexp.MustCompile(`^\d+$`)

// stopAndN sends cmd then print n and returns the last stop line and n.
func (s *session) stopAndN(cmd string) (string, string) {
	s.send(cmd)
	s.send("print n")
	stop := ""
	lines := s.readUntil(bareNumber)
	for _, l := range lines {
		if seqStop.MatchString(l) {
			stop = l
		}
	}
	return stop, lines[len(lines)-1]
}

// TestNextConcurrentVariant2: the breakpoint stays; a next interrupted by
// it is another goroutine's hit (never the stepping one's again), and
// continuing completes the next on the stepping goroutine at 9, 10, 11.
func TestDelveNextConcurrentVariant2(t *testing.T) {
	s := delveSession(t, "parallel_next")
	s.send("break main.sayhi")
	stop, n0 := s.stopAndN("continue")
	if m := seqStop.FindStringSubmatch(stop); m == nil || m[1] != "main.sayhi" || m[3] != "8" {
		t.Fatalf("first stop %q, want main.sayhi:8", stop)
	}
	for _, line := range []string{"9", "10", "11"} {
		cmd := "next"
		for range 20 {
			stop, n := s.stopAndN(cmd)
			m := seqStop.FindStringSubmatch(stop)
			if m == nil {
				t.Fatalf("no stop after %s\n%s", cmd, s.output())
			}
			if strings.Contains(stop, "[Breakpoint 1]") {
				if n == n0 {
					t.Fatalf("the breakpoint stopped the stepping goroutine (n %s) again\n%s", n, s.output())
				}
				cmd = "continue"
				continue
			}
			if n != n0 || m[1] != "main.sayhi" || m[3] != line {
				t.Fatalf("next ended at %s:%s with n %s, want main.sayhi:%s with n %s\n%s", m[1], m[3], n, line, n0, s.output())
			}
			break
		}
	}
	s.end()
}

// TestNextParked: next on a goroutine that is parked in main.sayhi (no
// thread, before wg.Done) stays on that goroutine. As in Delve, a run in
// which no such goroutine shows up before the program ends proves nothing
// and passes.
func TestDelveNextParked(t *testing.T) {
	s := delveSession(t, "parallel_next")
	s.send("break main.sayhi")
	parked := regexp.MustCompile(`^  Goroutine (\d+) - User: \S*parallel_next\.go:(?:8|9|10) main\.sayhi \S+ \[[^\]]+\]$`)
	g := ""
	for i := 0; i < 10 && g == ""; i++ {
		s.send("continue")
		s.send("goroutines")
		for _, l := range s.readUntil(regexp.MustCompile(`^\[\d+ goroutines\]$|has exited|Command failed`)) {
			if m := parked.FindStringSubmatch(l); m != nil && g == "" {
				g = m[1]
			}
		}
	}
	if g == "" {
		t.Log("no parked goroutine in main.sayhi showed up (as Delve, this run proves nothing)")
		s.end()
		return
	}
	s.send("goroutine " + g)
	s.send("clear 1")
	s.send("next")
	s.send("goroutine")
	if m := s.expect(`^\* Goroutine (\d+) - `); m[1] != g {
		t.Errorf("next did not stay on goroutine %s: selected %s\n%s", g, m[1], s.output())
	}
	s.end()
}

// TestNextNetHTTP: the handler's runtime.Breakpoint() stops at line 14;
// next goes to 15, then 16, while the server's other goroutines run.
func TestDelveNextNetHTTP(t *testing.T) {
	s := delveSession(t, "testnextnethttp")
	s.send("continue")
	port := s.expect(`LISTENING:(\d+)`)[1]
	go func() {
		c := http.Client{Timeout: 30 * time.Second}
		if resp, err := c.Get(fmt.Sprintf("http://127.0.0.1:%s", port)); err == nil {
			resp.Body.Close()
		}
	}()
	for _, line := range []string{"14", "15", "16"} {
		m := s.expect(`^> (?:\[[^\]]+\] )?(\S+)\(\) \S+:(\d+) `)
		if m[2] != line || !strings.HasPrefix(m[1], "main.main.func1") {
			t.Fatalf("stopped at %s:%s, want main.main.func1:%s\n%s", m[1], m[2], line, s.output())
		}
		if line != "16" {
			s.send("next")
		}
	}
	s.end()
}

// TestIssue1145 (a documented difference): Ctrl-C during a next halts the
// program. Delve's terminal then drops the next; godbg keeps it armed, as
// Delve's DAP server does, and says so (help next).
func TestDelveHaltDuringNext(t *testing.T) {
	s := delveSession(t, "sleep")
	s.send("break sleep.go:18")
	s.send("continue")
	s.expect(`^> \[Breakpoint 1\] main\.main\(\) `)
	s.send("next")
	done := make(chan struct{})
	go func() { // Ctrl-C until the running next halts (at the prompt it does nothing)
		for {
			select {
			case <-done:
				return
			case <-time.After(300 * time.Millisecond):
				s.cmd.Process.Signal(syscall.SIGINT)
			}
		}
	}()
	s.expect(`halted`)
	close(done)
	s.expect(`stopped during next; continue completes the next`)
	s.end()
}

// TestHardcodedBreakpointCounts: two goroutines reach runtime.Breakpoint()
// 100 times each; every stop is reported in main.demo, on one of the two.
func TestDelveHardcodedBreakpointCounts(t *testing.T) {
	t.Parallel()
	bin := buildDelveFixture(t, delveFixtures(t), "hcbpcountstest", false)
	out, code := run(t, strings.Repeat("continue\ngoroutine\n", 201), "exec", bin)
	if code != 0 {
		t.Fatalf("exit %d\n%s", code, out)
	}
	counts := map[string]int{}
	for _, m := range regexp.MustCompile(`(?m)^\* Goroutine (\d+) - User: \S+hcbpcountstest\.go:15 main\.demo `).FindAllStringSubmatch(out, -1) {
		counts[m[1]]++
	}
	stops := strings.Count(out, "stopped at a breakpoint instruction (int3)")
	if stops != 200 || len(counts) != 2 {
		t.Fatalf("%d stops on goroutines %v, want 200 on two goroutines at hcbpcountstest.go:15\n%s", stops, counts, out)
	}
	for g, n := range counts {
		if n != 100 {
			t.Errorf("goroutine %s stopped %d times, want 100", g, n)
		}
	}
}
