package main

import (
	"fmt"
	"os"
	"os/exec"
	"path/filepath"
	"regexp"
	"runtime"
	"strconv"
	"strings"
	"sync"
	"testing"

	"github.com/godbg/godbg/internal/fixtures"
)

// Delve 1.27.2's next and breakpoint sequences of pkg/proc/proc_test.go
// (TestNext*, TestBreakpoint*, TestRuntimeBreakpoint, TestContinueMulti,
// TestInlineBreakpoint, TestPanicBreakpoint, TestCond* and the TestIssueNNN
// that are next/continue/breakpoint sequences), replayed through our CLI
// on Delve's fixtures. Only the facts are taken: fixture, commands, the
// lines the stops are at, hit counts, goroutines. The concurrent ones are
// in delveseq_conc_test.go.

// nextCase is one replayed Delve test: commands after the launch stop and
// the stops they must make, each "fn:line", "fn:" (any line), "exited" or
// "error~text" (a failed command whose message holds text).
type nextCase struct {
	name    string // Delve's test
	fixture string // Delve's fixture, without .go
	opt     bool   // built as Delve's EnableOptimization|EnableInlining (no -gcflags)
	cmds    []string
	want    []string
	prefix  bool     // want lists the first stops only
	out     []string // the output must hold these
	not     []string // and not these
	check   func(t *testing.T, out string)
}

var nextCases = []nextCase{
	{name: "TestNextInstruction", fixture: "testprog", cmds: []string{"break testprog.go:19", "continue", "ni"},
		want: []string{"main.main:19", "main.main:20"}},
	{name: "TestBreakpoint", fixture: "testprog", cmds: []string{"break main.helloworld", "continue"},
		want: []string{"main.helloworld:9"}, out: []string{"(hits goroutine(1):1 total:1)"}, check: stopsAtBreakpointPC},
	{name: "TestBreakpointInSeparateGoRoutine", fixture: "testthreads", cmds: []string{"break main.anotherthread", "continue"},
		want: []string{"main.anotherthread:8"}},
	{name: "TestBreakpointWithNonExistentFunction", fixture: "testprog", cmds: []string{"break *0"},
		want: []string{"error~cannot set a breakpoint at 0x0"}},
	{name: "TestRuntimeBreakpoint", fixture: "testruntimebreakpoint", cmds: []string{"continue"}, want: []string{"main.main:10"}},
	{name: "TestNextBreakpoint", fixture: "testnextprog",
		cmds: []string{"break testnextprog.go:34", "continue", "clear 1", "break testnextprog.go:14", "next", "continue"},
		// The breakpoint of the stepping goroutine ends the next: continue
		// runs to the end, not to line 35.
		want: []string{"main.testnext:34", "main.helloworld:14", "exited"}, not: []string{"hit during next"}},
	// Delve's test sets KeepSteppingBreakpoints, which only its DAP server
	// does; its terminal (and godbg) end the next at a tracepoint of the
	// stepping goroutine, so continue does not come back to line 35.
	{name: "TestNextBreakpointKeepsSteppingBreakpoints/terminal", fixture: "testnextprog",
		cmds: []string{"break testnextprog.go:34", "continue", "clear 1", "trace testnextprog.go:14", "next", "continue"},
		want: []string{"main.testnext:34", "main.helloworld:14", "exited"}},
	{name: "TestContinueMulti", fixture: "integrationprog",
		cmds: []string{"break main.main", "break main.sayhi", "continue", "continue", "continue", "continue", "continue"},
		want: []string{"main.main:12", "main.sayhi:8", "main.sayhi:8", "main.sayhi:8", "exited"}},
	{name: "TestPanicBreakpoint", fixture: "panic", cmds: []string{"continue"},
		want: []string{"runtime.fatalpanic:"}, out: []string{"> [unrecovered-panic] runtime.fatalpanic()"}},
	{name: "TestCondBreakpoint", fixture: "parallel_next", cmds: []string{"break parallel_next.go:9 if n == 7", "continue", "print n"},
		want: []string{"main.sayhi:9"}, out: []string{"\n7\n"}},
	{name: "TestCondBreakpointWithFrame", fixture: "condframe",
		cmds: []string{"break condframe.go:12 if runtime.frame(1).i == 3", "continue", "frame 1 print i", "print runtime.frame(1).i",
			"print runtime.frame(-1).i", "print runtime.frame(99).i"},
		want: []string{"main.callme2:12", "error~runtime.frame takes one constant frame number >= 0", "error~runtime.frame(99): the stack has"},
		out:  []string{"\n3\n3\n"}, not: []string{"use call runtime.frame"}},
	// Design choice: a condition naming no variable of the location is
	// refused when it is set (Delve sets it and fails at the first hit).
	{name: "TestCondBreakpointError", fixture: "parallel_next",
		cmds: []string{"break parallel_next.go:9 if nonexistentvariable == 7", "break b9 parallel_next.go:9",
			"condition b9 nonexistentvariable == 7", "condition b9 n == 7", "continue", "print n"},
		want: []string{"error~nonexistentvariable", "error~nonexistentvariable", "main.sayhi:9"}, out: []string{"\n7\n"}},
	{name: "TestIssue305", fixture: "issue305", cmds: []string{"break issue305.go:5", "continue", "next", "next", "next", "next", "next"},
		want: []string{"main.main:5", "main.main:4", "main.main:5", "main.main:4", "main.main:5", "main.main:4"}, not: []string{"hit during next"}},
	{name: "TestIssue332_Part1", fixture: "issue332", cmds: []string{"break issue332.go:8", "continue", "next"},
		want: []string{"main.main:8", "main.main:9"}},
	{name: "TestIssue664", fixture: "issue664", cmds: []string{"break issue664.go:4", "continue", "next"},
		want: []string{"main.asdfasdf:4", "main.asdfasdf:5"}},
	{name: "TestIssue844", fixture: "nextcond", cmds: []string{"break nextcond.go:9", "break nextcond.go:10 if n == 11", "continue", "next"},
		want: []string{"main.main:9", "main.main:10"}},
	{name: "TestIssue262", fixture: "issue262", cmds: []string{"break issue262.go:11", "continue", "continue"},
		want: []string{"main.typicalFunction:11", "exited"}},
	{name: "TestIssue1101", fixture: "issue1101", cmds: []string{"break main.f", "continue", "next", "next", "next", "continue"},
		want: []string{"main.f:10", "main.f:11", "main.f:13"}, prefix: true, out: []string{"has exited with status 2"}},
	{name: "TestIssue1264", fixture: "issue1264", cmds: []string{"break issue1264.go:8 if equalsTwo", "continue", "print i"},
		want: []string{"main.main:8"}, out: []string{"\n2\n"}},
	{name: "TestIssue1615", fixture: "issue1615",
		cmds: []string{`break issue1615.go:19 if s == "projects/my-gcp-project-id-string/locations/us-central1/queues/my-task-queue-name"`, "continue"},
		want: []string{"main.main:19"}},
	{name: "TestIssue149", fixture: "break", cmds: []string{"break break.go:8"}, out: []string{"Breakpoint 1 set at main.main() "}},
	{name: "TestIssue1817", fixture: "issue1817", cmds: []string{"break issue1817.go:16"}, out: []string{"issue1817.go:16 (PC: "}},
	{name: "TestIssue239", fixture: "is sue239", cmds: []string{`break "is sue239.go:17"`, "continue"}, want: []string{"main.main:17"}},
	{name: "TestIssue594", fixture: "issue594", cmds: []string{"continue"}, want: []string{"main.main:21"}},
	{name: "TestIssue893", fixture: "increment", cmds: []string{"next"}, want: []string{"exited"}},
	{name: "TestIssue1374", fixture: "issue1374", cmds: []string{"break issue1374.go:7", "continue", "call getNum()", "continue"},
		want: []string{"main.main:7", "main.main:7", "exited"}},
	{name: "TestIssue1469", fixture: "issue1469", cmds: []string{"break issue1469.go:13", "continue", "threads"},
		want: []string{"main.main:13"}, check: oneThreadPerGoroutine},
	{name: "TestIssue3545", fixture: "nilptr", opt: true, cmds: []string{"continue", "stack 40"},
		want: []string{"runtime.fatalpanic:"}, check: mainOnceInStack},
	{name: "TestNextInDeferReturn", fixture: "defercall",
		cmds:  append([]string{"break runtime.deferreturn", "continue", "break main.sampleFunction"}, strings.Fields(strings.Repeat("next ", 10))...),
		check: reachesSampleFunction},
	{name: "TestInlineBreakpoint", fixture: "testinline", opt: true, cmds: []string{"break testinline.go:17"}, check: oneInlineCallSite},
	// The breakpoint part of TestInlinedStacktraceAndVariables: a line of a
	// function inlined twice into main.main (same file) gets an address in
	// each instance, and the stops are in each, called from lines 18 and 19.
	{name: "TestInlinedStacktraceAndVariables", fixture: "testinline", opt: true,
		cmds: []string{"break testinline.go:7", "continue", "stack 2", "continue", "stack 2"},
		want: []string{"main.main:7", "main.main:7"}, check: inlinedTwice},
	// From Delve's pkg/terminal/command_test.go, the same sequences typed
	// at its prompt.
	{name: "terminal/TestNextWithCount", fixture: "nextcond", cmds: []string{"break main.main", "continue", "next 2"},
		want: []string{"main.main:8", "main.main:10"}},
	{name: "terminal/TestContinueUntil", fixture: "continuetestprog", cmds: []string{"continue main.main", "continue main.sayhi"},
		want: []string{"main.main:16", "main.sayhi:12"}},
	{name: "terminal/TestContinueUntilExistingBreakpoint", fixture: "continuetestprog",
		cmds: []string{"break main.main", "continue main.main", "continue main.sayhi"}, want: []string{"main.main:16", "main.sayhi:12"}},
	{name: "terminal/TestHitCondBreakpoint", fixture: "break", cmds: []string{"break bp1 main.main:4", "condition -hitcount bp1 > 2", "continue", "print i"},
		want: []string{"main.main:7"}, out: []string{"\n3\n"}},
	{name: "terminal/TestHitCondBreakpoint/per-g", fixture: "condperghitcount",
		cmds: []string{"break bp1 main.main:8", "condition -per-g-hitcount bp1 == 2", "continue", "print j", "continue", "print j"},
		want: []string{"main.main.func1:16", "main.main.func1:16"}, out: []string{"\n2\n", "hits goroutine("}},
	{name: "terminal/TestCondBreakpointWithFrame", fixture: "condframe",
		cmds: []string{"break bp1 callme2", "condition bp1 runtime.frame(1).i == 3", "continue", "frame 1 print i"},
		want: []string{"main.callme2:11"}, out: []string{"\n3\n"}},
	{name: "terminal/TestClearCondBreakpoint", fixture: "break",
		cmds: []string{"break main.main:4", "condition 1 i%3==2", "continue", "print i", "condition -clear 1", "continue", "print i"},
		want: []string{"main.main:7", "main.main:7"}, out: []string{"\n2\n", "\n3\n"}},
	{name: "terminal/TestCreateBreakpointWithCondition", fixture: "break", cmds: []string{"break bp1 main.main:4 if i == 3", "continue", "print i"},
		want: []string{"main.main:7"}, out: []string{"\n3\n"}},
	{name: "terminal/TestCreateBreakpointWithCondition2", fixture: "break",
		cmds: []string{"continue main.main:4", "break if i == 3", "continue", "print i"},
		want: []string{"main.main:7", "main.main:7"}, out: []string{"Breakpoint 1 set at main.main() ", "\n3\n"}},
	{name: "TestIssue1795/next", fixture: "issue1795", opt: true, cmds: []string{"continue", "next"},
		want: []string{"main.main:12", "main.main:13"}},
	{name: "TestIssue1795/stack", fixture: "issue1795", opt: true,
		cmds: []string{"break " + doExecuteName(), "continue", "continue", "stack 5"},
		want: []string{"main.main:12", doExecuteName() + ":"}, check: inlinedMatchFrames},
}

// doExecuteName is the regexp function Delve's TestIssue1795 breaks in.
func doExecuteName() string {
	if v := runtime.Version(); strings.HasPrefix(v, "go1.") {
		if minor, err := strconv.Atoi(strings.SplitN(strings.TrimPrefix(v, "go1."), ".", 2)[0]); err == nil && minor >= 27 {
			return "regexp.(*Regexp).find"
		}
	}
	return "regexp.(*Regexp).doExecute"
}

// TestBreakpoint: the stop is at the breakpoint's own address.
func stopsAtBreakpointPC(t *testing.T, out string) {
	set := regexp.MustCompile(`Breakpoint 1 set at .* \(PC: (0x[0-9a-f]+)\)`).FindStringSubmatch(out)
	hit := regexp.MustCompile(`> \[Breakpoint 1\] .* \(PC: (0x[0-9a-f]+)\)`).FindStringSubmatch(out)
	if set == nil || hit == nil || set[1] != hit[1] {
		t.Errorf("the stop is not at the breakpoint's address (set %v, hit %v)", set, hit)
	}
}

// TestNextInDeferReturn: next from runtime.deferreturn reaches the deferred
// main.sampleFunction without an error.
func reachesSampleFunction(t *testing.T, out string) {
	i := strings.Index(out, "main.sampleFunction() ")
	j := strings.LastIndex(out, "Breakpoint 2 set at")
	if i < 0 || j < 0 || i < j {
		t.Errorf("next never reached main.sampleFunction")
		return
	}
	if k := strings.Index(out, "Command failed"); k >= 0 && k < i {
		t.Errorf("a next failed before main.sampleFunction")
	}
}

// TestInlineBreakpoint: a line calling an inlined function gets one
// address, in main.main.
func oneInlineCallSite(t *testing.T, out string) {
	set := regexp.MustCompile(`Breakpoint 1 set at (\S+)\(\) \S+:(\d+) `).FindAllStringSubmatch(out, -1)
	if len(set) != 1 || set[0][1] != "main.main" || set[0][2] != "17" {
		t.Errorf("want one address, in main.main at line 17; got %v", set)
	}
}

// TestInlinedStacktraceAndVariables: two addresses; each stop's frame 0
// is inlineThis (inlined), frame 1 main.main at the call's line.
func inlinedTwice(t *testing.T, out string) {
	if n := strings.Count(out, "Breakpoint 1 set at main.main() "); n != 2 {
		t.Errorf("line 7 got %d addresses, want 2 (one per inlined instance)", n)
	}
	frames := regexp.MustCompile(`\*0  0x[0-9a-f]+ in main\.inlineThis \(inlined\)\n\s+at \S+testinline\.go:7\n 1  0x[0-9a-f]+ in main\.main\n\s+at \S+testinline\.go:(\d+)\n`).FindAllStringSubmatch(out, -1)
	if len(frames) != 2 || frames[0][1] != "18" || frames[1][1] != "19" {
		t.Errorf("stacks %v, want inlineThis (inlined) called from main.main at lines 18 then 19", frames)
	}
}

// TestIssue1469: no goroutine runs on two threads.
func oneThreadPerGoroutine(t *testing.T, out string) {
	seen := map[string]bool{}
	ths := regexp.MustCompile(`(?m)^[ *] Thread \d+ at .* goroutine (\d+)$`).FindAllStringSubmatch(out, -1)
	for _, m := range ths {
		if seen[m[1]] {
			t.Errorf("goroutine %s is on two threads", m[1])
		}
		seen[m[1]] = true
	}
	if !seen["1"] {
		t.Errorf("threads shows no thread running goroutine 1")
	}
}

// TestIssue3545: at the unrecovered nil dereference of an optimised
// main.main, the stack holds main.main once.
func mainOnceInStack(t *testing.T, out string) {
	if n := len(regexp.MustCompile(`(?m)^[ *]\d+\s+0x[0-9a-f]+ in main\.main$`).FindAllString(out, -1)); n != 1 {
		t.Errorf("main.main is %d times in the stack, want once", n)
	}
}

// TestIssue1795: the frames above regexp's function are its inlined
// callers, then main.main at line 12.
func inlinedMatchFrames(t *testing.T, out string) {
	re := regexp.MustCompile(`(?s) 1  0x[0-9a-f]+ in regexp\.\(\*Regexp\)\.doMatch \(inlined\).* 2  0x[0-9a-f]+ in regexp\.\(\*Regexp\)\.MatchString \(inlined\).* 3  0x[0-9a-f]+ in main\.main\n\s+at \S+issue1795\.go:12\n`)
	if !re.MatchString(out) {
		t.Errorf("frames 1-3 are not doMatch (inlined), MatchString (inlined), main.main at issue1795.go:12")
	}
}

// nextEvents lists what the commands did after the launch stop.
func nextEvents(out string) []string {
	ev := seqEvents(out)
	if len(ev) > 0 && strings.HasPrefix(ev[0], "_rt0_") {
		ev = ev[1:]
	}
	return ev
}

func eventMatches(got, want string) bool {
	switch {
	case strings.HasPrefix(want, "error~"):
		return strings.HasPrefix(got, "error: ") && strings.Contains(got, want[len("error~"):])
	case strings.HasSuffix(want, ":"):
		return strings.HasPrefix(got, want)
	}
	return got == want
}

// delveBinary builds one of Delve's fixtures once per test binary:
// -gcflags='-N -l', or with opt as Delve's EnableOptimization|EnableInlining.
func delveBinary(t *testing.T, dir, name string, opt bool) string {
	if !opt {
		return buildDelveFixture(t, dir, name, false)
	}
	p, err := delveOptBuild(dir, name)
	if err != nil {
		t.Fatal(err)
	}
	return p
}

func delveOptBuild(dir, name string) (string, error) {
	v, _ := optBuilds.LoadOrStore(name, &optBuild{})
	b := v.(*optBuild)
	b.once.Do(func() {
		b.path = filepath.Join(os.TempDir(), "godbg-fixtures", fmt.Sprintf("delve-%s-opt-%s", name, runtime.Version()))
		if _, err := os.Stat(b.path); err == nil {
			return
		}
		os.MkdirAll(filepath.Dir(b.path), 0o755)
		tmp := fmt.Sprintf("%s.tmp%d", b.path, os.Getpid())
		cmd := exec.Command("go", "build", "-o", tmp, name+".go")
		cmd.Dir = dir
		cmd.Env = append(os.Environ(), "GO111MODULE=off", "GOFLAGS=")
		if msg, err := cmd.CombinedOutput(); err != nil {
			b.err = fmt.Errorf("building Delve's fixture %s optimised: %v\n%s", name, err, msg)
			return
		}
		b.err = os.Rename(tmp, b.path)
	})
	return b.path, b.err
}

var optBuilds sync.Map // fixture name → *optBuild

type optBuild struct {
	once sync.Once
	path string
	err  error
}

func TestDelveNextAndBreakpointSequences(t *testing.T) {
	dir := delveFixtures(t)
	var wg sync.WaitGroup
	for _, c := range nextCases {
		wg.Add(1)
		go func() { defer wg.Done(); delveBinaryQuiet(dir, c.fixture, c.opt) }()
	}
	wg.Wait()
	for _, c := range nextCases {
		t.Run(c.name, func(t *testing.T) {
			t.Parallel()
			bin := delveBinary(t, dir, c.fixture, c.opt)
			out, code := run(t, strings.Join(c.cmds, "\n")+"\n", "exec", bin)
			if code != 0 {
				t.Errorf("godbg exited with status %d", code)
			}
			ev := nextEvents(out)
			got := ev
			if c.prefix && len(got) > len(c.want) {
				got = got[:len(c.want)]
			}
			ok := len(got) == len(c.want) || c.want == nil && c.check != nil
			for i := 0; ok && i < len(c.want); i++ {
				ok = eventMatches(got[i], c.want[i])
			}
			if !ok {
				t.Errorf("stops %q, want %q", ev, c.want)
			}
			for _, s := range c.out {
				if !strings.Contains(out, s) {
					t.Errorf("output lacks %q", s)
				}
			}
			for _, s := range c.not {
				if strings.Contains(out, s) {
					t.Errorf("output holds %q", s)
				}
			}
			if c.check != nil {
				c.check(t, out)
			}
			if t.Failed() {
				t.Logf("commands %q\n%s", c.cmds, out)
			}
		})
	}
}

// delveBinaryQuiet builds ahead, in parallel; errors are reported by
// delveBinary.
func delveBinaryQuiet(dir, name string, opt bool) {
	if opt {
		delveOptBuild(dir, name)
		return
	}
	fixtures.BuildDelveErr(dir, name, false)
}
