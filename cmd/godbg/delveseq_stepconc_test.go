package main

import (
	"regexp"
	"strconv"
	"strings"
	"testing"
)

// Delve 1.27.2's stepping tests with many goroutines (pkg/proc/
// proc_test.go), replayed through our CLI: what each asserts, on what
// godbg prints.

func TestDelveStepConcurrent(t *testing.T) {
	delveFixtures(t)
	saRunCases(t, []saCase{
		{"TestStepConcurrentDirect", saStepConcurrentDirect},
		{"TestStepConcurrentPtr", saStepConcurrentPtr},
		{"TestStepShadowConcurrentBreakpoint", saStepShadow},
		{"TestStepParked", saStepParked},
		{"TestStepOutPreservesGoroutine", saStepOutPreservesGoroutine},
		{"TestIssue414", saIssue414},
	})
}

// TestStepConcurrentDirect: from line 37 of main, while 100 goroutines
// call Foo, step goes round main's loop (37 38 13 15 16 38) on main's
// goroutine, 100 times, then leaves it at line 40.
func saStepConcurrentDirect(t *testing.T) {
	s := saStart(t, "teststepconcurrent")
	saRunTo(t, s, "teststepconcurrent.go:37", 37)
	saSet(t, s, "clear 1", `cleared`)
	gid := saGoroutine(t, s)
	seq := []int{37, 38, 13, 15, 16, 38}
	i, count := 1, 0
	for {
		st := saDo(t, s, "step")
		if i == 1 && st.line == 40 {
			break
		}
		if st.line != seq[i] {
			t.Fatalf("step %d of round %d stopped at %v, want line %d", i, count, st, seq[i])
		}
		if i == 2 { // in Foo: the goroutine is main's
			if g := saGoroutine(t, s); g != gid {
				t.Fatalf("step switched from goroutine %d to %d", gid, g)
			}
		}
		if i = (i + 1) % len(seq); i == 0 {
			count++
		}
	}
	if count != 100 {
		t.Fatalf("main's loop ran %d times under step, want 100", count)
	}
	if g := saGoroutine(t, s); g != gid {
		t.Fatalf("step switched from goroutine %d to %d", gid, g)
	}
}

// TestStepConcurrentPtr: each goroutine stopping at line 24 (fn(1, 2))
// has made progress (k grew); step from there goes into Foo (line 13) on
// the same goroutine. A step interrupted by another goroutine's stop at
// 24 is completed by continue. 50 rounds.
func saStepConcurrentPtr(t *testing.T) {
	s := saStart(t, "teststepconcurrent")
	saSet(t, s, "break teststepconcurrent.go:24", `^Breakpoint 1 set`)
	kvals := map[int]int{}
	kval := regexp.MustCompile(`^(\d+)$`)
	for count := 0; count < 50; count++ {
		st := saDo(t, s, "continue")
		if st.exited {
			break
		}
		saWant(t, st, 24, "continue")
		gid := saGoroutine(t, s)
		s.send("print k")
		k, _ := strconv.Atoi(s.expect(kval.String())[1])
		if old, ok := kvals[gid]; ok && old >= k {
			t.Fatalf("goroutine %d did not make progress: k %d then %d", gid, old, k)
		}
		kvals[gid] = k
		st = saDo(t, s, "step")
		for st.line == 24 && st.err == "" && !st.exited {
			// another goroutine's breakpoint interrupted the step
			if g := saGoroutine(t, s); g == gid {
				t.Fatalf("step stopped at line 24 again on goroutine %d: it did not go into fn", gid)
			}
			st = saDo(t, s, "continue")
		}
		saWant(t, st, 13, "step into fn")
		if g := saGoroutine(t, s); g != gid {
			t.Fatalf("step switched from goroutine %d to %d", gid, g)
		}
	}
	if len(kvals) == 0 {
		t.Fatal("the breakpoint at line 24 was never hit")
	}
}

// TestStepShadowConcurrentBreakpoint: step from line 15 (f() calls
// stacktraceme1) while another goroutine hits the breakpoint in
// stacktraceme2: no stop is lost, each function is counted 100 times.
func saStepShadow(t *testing.T) {
	s := saStart(t, "stepshadow")
	saSet(t, s, "break main.stacktraceme2", `^Breakpoint 1 set`)
	saSet(t, s, "break stepshadow.go:15", `^Breakpoint 2 set`)
	calls1, calls2 := 0, 0
	st := saDo(t, s, "continue")
	for !st.exited {
		switch {
		case st.err != "":
			t.Fatalf("%v after %d/%d calls", st, calls1, calls2)
		case st.line == 15:
			st = saDo(t, s, "step")
		case st.line == 28:
			calls1++
			st = saDo(t, s, "continue")
		case st.line == 30 || st.line == 31:
			calls2++
			st = saDo(t, s, "continue")
		default:
			t.Fatalf("unexpected stop %v", st)
		}
	}
	if calls1 != 100 || calls2 != 100 {
		t.Fatalf("stops in stacktraceme1 %d, in stacktraceme2 %d; want 100 each", calls1, calls2)
	}
}

// TestStepParked: continue at main.sayhi until a goroutine is parked in
// main.sayhi (no thread); switch to it: step stays on it.
func saStepParked(t *testing.T) {
	s := saStart(t, "parallel_next")
	saSet(t, s, "break main.sayhi", `^Breakpoint 1 set`)
	gline := regexp.MustCompile(`^[ *] Goroutine (\d+) - .* main\.sayhi \(0x[0-9a-f]+\) \[[^\]]*\]$`)
	for {
		if st := saDo(t, s, "continue"); st.exited {
			t.Log("no goroutine was parked in main.sayhi before the exit")
			return
		}
		parked := 0
		for _, l := range saList(t, s, "goroutines -with curloc main.sayhi") {
			if m := gline.FindStringSubmatch(l); m != nil {
				parked, _ = strconv.Atoi(m[1])
			}
		}
		if parked == 0 {
			continue
		}
		s.send("goroutine " + strconv.Itoa(parked))
		saSet(t, s, "clear 1", `cleared`)
		if st := saDo(t, s, "step"); st.err != "" || st.exited {
			t.Fatalf("step on parked goroutine %d: %v", parked, st)
		}
		if g := saGoroutine(t, s); g != parked {
			t.Fatalf("step did not go on on the selected goroutine %d, but on %d", parked, g)
		}
		return
	}
}

// TestStepOutPreservesGoroutine: stepout of a goroutine running
// main.coroutine (one waiting in the runtime) keeps it selected.
func saStepOutPreservesGoroutine(t *testing.T) {
	s := saStart(t, "issue2113")
	saDo(t, s, "continue")
	// Delve picks a goroutine with main.coroutine on its stack, best one
	// on a thread in the runtime; here one waiting in start.Wait (or one
	// not started yet when none waits).
	var pick string
	gline := regexp.MustCompile(`^  Goroutine (\d+) - User: \S+ (\S+) `)
	for _, l := range saList(t, s, "goroutines -with startloc main.main.gowrap1 -without running") {
		if m := gline.FindStringSubmatch(l); m != nil && (pick == "" || m[2] != "main.main.gowrap1") {
			pick = m[1]
		}
	}
	if pick == "" {
		t.Fatalf("no goroutine of main.coroutine besides the running one:\n%s", tail(s.output()))
	}
	m := []string{"", pick}
	s.send("goroutine " + m[1])
	st := saDo(t, s, "stepout")
	if st.exited {
		t.Log("the program exited during the stepout (Delve accepts it)")
		return
	}
	if st.err != "" {
		t.Fatalf("stepout: %v", st)
	}
	if g := saGoroutine(t, s); strconv.Itoa(g) != m[1] {
		t.Fatalf("stepout selected goroutine %d, want %s", g, m[1])
	}
}

// TestIssue414: step through math.go from line 9 (next outside it) until
// the program exits, without an error.
func saIssue414(t *testing.T) {
	s := saStart(t, "math")
	saSet(t, s, "break _fixtures/math.go:9", `^Breakpoint 1 set`)
	st := saDo(t, s, "continue")
	for i := 0; !st.exited; i++ {
		if st.err != "" || i > 1000 {
			t.Fatalf("after %d steps: %v", i, st)
		}
		cmd := "next"
		if strings.HasSuffix(st.file, "/math.go") {
			cmd = "step"
		}
		st = saDo(t, s, cmd)
	}
}

// saList sends a command and returns the lines it printed.
func saList(t *testing.T, s *session, cmd string) []string {
	t.Helper()
	s.send(cmd)
	s.send(`print "end-of-list"`)
	var out []string
	for l := range s.lines {
		if strings.Contains(l, "end-of-list") {
			return out
		}
		out = append(out, l)
	}
	t.Fatalf("godbg ended after %s:\n%s", cmd, tail(s.output()))
	return nil
}
