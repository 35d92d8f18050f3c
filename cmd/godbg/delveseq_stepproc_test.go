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
	"time"
)

// Delve 1.27.2's stepping tests of pkg/proc/proc_test.go that need more
// than a table of lines (a pc, a goroutine, a loop over stops), replayed
// through our CLI on Delve's fixtures: what each asserts, checked on what
// godbg prints. The facts are Delve's; the code is ours.

// saStop is what one command ended with: a stop, an error or the exit.
type saStop struct {
	fn, file string
	line     int
	pc       uint64
	err      string
	exited   bool
	raw      string
}

func (st saStop) String() string {
	switch {
	case st.exited:
		return "exited"
	case st.err != "":
		return "error: " + st.err
	}
	return fmt.Sprintf("%s %s:%d", st.fn, st.file, st.line)
}

var saPC = regexp.MustCompile(`\(PC: 0x([0-9a-f]+)\)`)

// saNext waits for the next stop, error or exit line of s.
func saNext(t *testing.T, s *session) saStop {
	t.Helper()
	deadline := time.After(60 * time.Second)
	for {
		select {
		case l, ok := <-s.lines:
			if !ok {
				t.Fatalf("godbg ended; output:\n%s", tail(s.output()))
			}
			switch {
			case seqStop.MatchString(l):
				m := seqStop.FindStringSubmatch(l)
				n, _ := strconv.Atoi(m[3])
				st := saStop{fn: m[1], file: m[2], line: n, raw: l}
				if pm := saPC.FindStringSubmatch(l); pm != nil {
					st.pc, _ = strconv.ParseUint(pm[1], 16, 64)
				}
				return st
			case seqFail.MatchString(l):
				return saStop{err: seqFail.FindStringSubmatch(l)[1], raw: l}
			case seqExit.MatchString(l):
				return saStop{exited: true, raw: l}
			}
		case <-deadline:
			t.Fatalf("no stop; output:\n%s", tail(s.output()))
		}
	}
}

func tail(s string) string {
	if len(s) > 4000 {
		return "..." + s[len(s)-4000:]
	}
	return s
}

// saDo sends a command and returns how it ended.
func saDo(t *testing.T, s *session, cmd string) saStop {
	t.Helper()
	s.send(cmd)
	return saNext(t, s)
}

// saStart launches a Delve fixture under godbg (past the launch stop).
func saStart(t *testing.T, fixture string) *session {
	t.Helper()
	bin := buildDelveFixture(t, delveFixtures(t), fixture, false)
	s := start(t, "exec", bin)
	saNext(t, s)
	return s
}

// saGoroutine is the current goroutine's id.
func saGoroutine(t *testing.T, s *session) int {
	t.Helper()
	s.send("goroutine")
	n, _ := strconv.Atoi(s.expect(`^\* Goroutine (\d+) `)[1])
	return n
}

// saSet sends a command that prints one line matching re (break, clear).
func saSet(t *testing.T, s *session, cmd, re string) []string {
	t.Helper()
	s.send(cmd)
	return s.expect(re)
}

func saWant(t *testing.T, st saStop, line int, what string) {
	t.Helper()
	if st.line != line || st.err != "" || st.exited {
		t.Fatalf("%s: stopped at %v, want line %d (%s)", what, st, line, st.raw)
	}
}

func TestDelveStepProc(t *testing.T) {
	delveFixtures(t)
	saRunCases(t, []saCase{
		{"TestStepInstruction", saStepInstruction},
		{"TestStepInstructionNoGoroutine", saStepInstructionNoGoroutine},
		{"TestStepIntoFunction", saStepIntoFunction},
		{"TestStepOutBreakpoint", saStepOutBreakpoint},
		{"TestStepOutDefer", saStepOutDefer},
		{"TestStepOutReturn", saStepOutReturn},
		{"TestStepoutOneliner", saStepoutOneliner},
		{"TestPanicLine", saPanicLine},
		{"TestIssue573", saIssue573},
		{"TestIssue683", saIssue683},
		{"TestIssue332_Part2", saIssue332},
		{"TestStepOnCallPtrInstr", saStepOnCallPtrInstr},
		{"TestIssue305", saIssue305},
		{"TestIssue332_Part1", saIssue332Part1},
		{"TestIssue664", saIssue664},
		{"TestIssue893", saIssue893},
		{"TestIssue844", saIssue844},
		{"TestIssue1101", saIssue1101},
		{"TestIssue1795", saIssue1795},
		{"TestInlinedStacktraceAndVariables", saInlinedVariables},
		{"TestRangeOverFuncNextInlined/values", saRangeInlinedValues},
	})
}

// TestStepInstruction: stepi from main.helloworld's breakpoint advances
// the pc.
func saStepInstruction(t *testing.T) {
	s := saStart(t, "testprog")
	saSet(t, s, "break main.helloworld", `^Breakpoint 1 set`)
	a := saDo(t, s, "continue")
	b := saDo(t, s, "step-instruction")
	if a.fn != "main.helloworld" || b.pc <= a.pc {
		t.Fatalf("stepi from %v (%#x) went to %v (%#x)", a, a.pc, b, b.pc)
	}
}

// TestStepInstructionNoGoroutine: stepi right after the launch works.
func saStepInstructionNoGoroutine(t *testing.T) {
	s := saStart(t, "increment")
	if st := saDo(t, s, "step-instruction"); st.err != "" || st.exited {
		t.Fatalf("stepi at the launch: %v", st)
	}
}

// TestStepIntoFunction: continue to runtime.Breakpoint, step: in
// main.callme at line 8.
func saStepIntoFunction(t *testing.T) {
	s := saStart(t, "teststep")
	saDo(t, s, "continue")
	st := saDo(t, s, "step")
	if st.fn != "main.callme" || !strings.HasSuffix(st.file, "teststep.go") {
		t.Fatalf("step went to %v, want main.callme", st)
	}
	saWant(t, st, 8, "step")
}

// TestStepOutBreakpoint: a breakpoint on the same goroutine interrupts
// stepout, and the step's breakpoints are gone (a continue exits rather
// than stopping where the stepout would have).
func saStepOutBreakpoint(t *testing.T) {
	s := saStart(t, "testnextprog")
	saRunTo(t, s, "testnextprog.go:13", 13)
	saSet(t, s, "clear 1", `cleared`)
	saSet(t, s, "break testnextprog.go:14", `^Breakpoint 2 set`)
	saWant(t, saDo(t, s, "stepout"), 14, "stepout")
	saSet(t, s, "clear 2", `cleared`)
	if st := saDo(t, s, "continue"); !st.exited {
		t.Fatalf("continue after the interrupted stepout stopped at %v: its breakpoints stayed", st)
	}
}

// TestStepOutDefer: stepout of a deferred call ends in the runtime, not
// in the fixture's main.
func saStepOutDefer(t *testing.T) {
	s := saStart(t, "testnextdefer")
	saRunTo(t, s, "testnextdefer.go:9", 9)
	saSet(t, s, "clear 1", `cleared`)
	st := saDo(t, s, "stepout")
	if st.err != "" || st.exited || strings.HasSuffix(st.file, "testnextdefer.go") || st.line == 6 {
		t.Fatalf("stepout of the deferred call went to %v, want somewhere in the runtime", st)
	}
}

// TestStepOutReturn: stepout shows the return values.
func saStepOutReturn(t *testing.T) {
	s := saStart(t, "stepoutret")
	saSet(t, s, "break main.stepout", `^Breakpoint 1 set`)
	saDo(t, s, "continue")
	saDo(t, s, "stepout")
	s.expect(`^Values returned:`)
	s.expect(`^\s+str = "return 47"$`)
	s.expect(`^\s+num = 48$`)
}

// TestStepoutOneliner: stepout from a one-line function is not taken for
// a wrapper: main.T.m, then main.main.
func saStepoutOneliner(t *testing.T) {
	s := saStart(t, "issue2086")
	saWant(t, saDo(t, s, "continue"), 15, "continue")
	if st := saDo(t, s, "stepout"); st.fn != "main.T.m" {
		t.Fatalf("first stepout went to %v, want main.T.m", st)
	}
	if st := saDo(t, s, "stepout"); st.fn != "main.main" {
		t.Fatalf("second stepout went to %v, want main.main", st)
	}
}

// TestPanicLine: the stack of a nil dereference names its line (7), not
// the line before the faulting instruction.
func saPanicLine(t *testing.T) {
	s := saStart(t, "panicline")
	saDo(t, s, "continue")
	s.send("stack")
	s.expect(`^\s+at \S+panicline\.go:7$`)
}

// TestIssue573: three steps from main.foo; none ends the program.
func saIssue573(t *testing.T) {
	s := saStart(t, "issue573")
	saSet(t, s, "break main.foo", `^Breakpoint 1 set`)
	saDo(t, s, "continue")
	for i := 1; i <= 3; i++ {
		if st := saDo(t, s, "step"); st.err != "" || st.exited {
			t.Fatalf("step %d: %v", i, st)
		}
	}
}

// TestIssue683: twenty steps from main.main (into code whose source is
// missing) never crash the debugger.
func saIssue683(t *testing.T) {
	s := saStart(t, "issue683")
	saSet(t, s, "break main.main", `^Breakpoint 1 set`)
	saDo(t, s, "continue")
	for range 20 {
		if st := saDo(t, s, "step"); st.err != "" || st.exited {
			break
		}
	}
	if code := s.end(); code != 0 || strings.Contains(s.output(), "panic:") {
		t.Fatalf("godbg exited %d:\n%s", code, tail(s.output()))
	}
}

// TestIssue332_Part2: step from line 8 until in main.changeMe: the stop
// is past its prologue (where break main.changeMe goes); then three nexts
// and a continue to the exit.
func saIssue332(t *testing.T) {
	s := saStart(t, "issue332")
	saRunTo(t, s, "issue332.go:8", 8)
	saSet(t, s, "clear 1", `cleared`)
	var st saStop
	for i := 0; st.fn != "main.changeMe"; i++ {
		if st = saDo(t, s, "step"); st.err != "" || st.exited || i > 10 {
			t.Fatalf("step: %v", st)
		}
	}
	m := saSet(t, s, "break main.changeMe", `^Breakpoint 2 set .*\(PC: 0x([0-9a-f]+)\)`)
	if want, _ := strconv.ParseUint(m[1], 16, 64); st.pc != want {
		t.Fatalf("step stopped at %#x in main.changeMe, want %#x (after the prologue)", st.pc, want)
	}
	for i := 0; i < 3; i++ {
		if st := saDo(t, s, "next"); st.err != "" || st.exited {
			t.Fatalf("next %d: %v", i+1, st)
		}
	}
	if st := saDo(t, s, "continue"); !st.exited {
		t.Fatalf("final continue: %v", st)
	}
}

// TestStepOnCallPtrInstr: stepi on line 10 up to its CALL instruction,
// then step goes into the called function (line 5).
func saStepOnCallPtrInstr(t *testing.T) {
	s := saStart(t, "teststepprog")
	saSet(t, s, "break teststepprog.go:10", `^Breakpoint 1 set`)
	st := saDo(t, s, "continue")
	saWant(t, st, 10, "continue")
	saSet(t, s, "clear 1", `cleared`)
	insn := regexp.MustCompile(`^\s*(?:=>)?\s*0x([0-9a-f]+)\s+[0-9a-f]+\s+(\S+)`)
	for found := false; !found; {
		if st.line != 10 {
			t.Fatalf("no CALL on line 10 (at %v)", st)
		}
		s.send(fmt.Sprintf("disassemble -a %#x %#x", st.pc, st.pc+16))
		m := s.expect(insn.String())
		if found = strings.HasPrefix(m[2], "CALL"); !found {
			st = saDo(t, s, "step-instruction")
		}
	}
	saWant(t, saDo(t, s, "step"), 5, "step on the CALL")
}

// TestIssue305: five nexts from line 5 of a loop, none failing.
func saIssue305(t *testing.T) {
	s := saStart(t, "issue305")
	saRunTo(t, s, "issue305.go:5", 5)
	for i := 1; i <= 5; i++ {
		if st := saDo(t, s, "next"); st.err != "" || st.exited {
			t.Fatalf("next %d: %v", i, st)
		}
	}
}

// TestIssue332_Part1: next from line 8 (a call) stays in main.main, line 9.
func saIssue332Part1(t *testing.T) {
	s := saStart(t, "issue332")
	saRunTo(t, s, "issue332.go:8", 8)
	st := saDo(t, s, "next")
	if st.fn != "main.main" {
		t.Fatalf("next went to %v, want main.main", st)
	}
	saWant(t, st, 9, "next")
}

// TestIssue664: next from an outer for line goes into the inner one (5).
func saIssue664(t *testing.T) {
	s := saStart(t, "issue664")
	saRunTo(t, s, "issue664.go:4", 4)
	saWant(t, saDo(t, s, "next"), 5, "next")
}

// TestIssue893: next right after the launch: no error, or no source at
// the pc, or the program ran to its end.
func saIssue893(t *testing.T) {
	s := saStart(t, "increment")
	st := saDo(t, s, "next")
	if st.err != "" && !strings.Contains(st.err, "source") && !strings.Contains(st.err, "no function") {
		t.Fatalf("next at the launch: %v", st)
	}
}

// TestIssue844: a breakpoint whose condition is false on the next line
// does not derail next: it stops at that line.
func saIssue844(t *testing.T) {
	s := saStart(t, "nextcond")
	saSet(t, s, "break nextcond.go:9", `^Breakpoint 1 set`)
	saSet(t, s, "break nextcond.go:10", `^Breakpoint 2 set`)
	s.send("condition 2 n == 11")
	saWant(t, saDo(t, s, "continue"), 9, "continue")
	saWant(t, saDo(t, s, "next"), 10, "next")
}

// TestIssue1101: nexts through a goroutine whose deferred wg.Done lets
// main call os.Exit(2): the program exits with status 2.
func saIssue1101(t *testing.T) {
	s := saStart(t, "issue1101")
	saSet(t, s, "break main.f", `^Breakpoint 1 set`)
	saDo(t, s, "continue")
	st := saDo(t, s, "next")
	for i := 0; i < 3 && !st.exited; i++ {
		if st.err != "" {
			t.Fatalf("next: %v", st)
		}
		cmd := "next"
		if i == 2 {
			cmd = "continue"
		}
		st = saDo(t, s, cmd)
	}
	if !st.exited || !strings.Contains(st.raw, "status 2") {
		t.Fatalf("the program did not exit with status 2: %v (%s)", st, st.raw)
	}
}

// TestIssue1795: with optimisation and inlining, next from the
// runtime.Breakpoint stop (line 12) goes to line 13; a breakpoint in
// regexp's doExecute shows the inlined doMatch and MatchString frames
// and main.main at line 12.
func saIssue1795(t *testing.T) {
	bin := saBuildOptimised(t, "issue1795")
	s := start(t, "exec", bin)
	saNext(t, s)
	saWant(t, saDo(t, s, "continue"), 12, "continue")
	saWant(t, saDo(t, s, "next"), 13, "next")
	s = start(t, "exec", bin)
	saNext(t, s)
	saRunTo(t, s, "regexp.(*Regexp).doExecute", 12)
	saDo(t, s, "continue")
	out := strings.Join(saList(t, s, "stack"), "\n")
	for _, re := range []string{
		`(?m)^\s*\*?\s*0\s+0x[0-9a-f]+ in regexp\.\(\*Regexp\)\.doExecute$`,
		`(?m)^\s*\*?\s*1\s+0x[0-9a-f]+ in regexp\.\(\*Regexp\)\.doMatch \(inlined\)$`,
		`(?m)^\s*\*?\s*2\s+0x[0-9a-f]+ in regexp\.\(\*Regexp\)\.MatchString \(inlined\)$`,
		`(?m)^\s*\*?\s*3\s+0x[0-9a-f]+ in main\.main\n\s+at \S+issue1795\.go:12$`,
	} {
		if !regexp.MustCompile(re).MatchString(out) {
			t.Errorf("stack lacks %s:\n%s", re, out)
		}
	}
}

var saOptBuilds sync.Map

// saBuildOptimised builds a Delve fixture as Delve's EnableOptimization|
// EnableInlining does (no -gcflags), once per test binary.
func saBuildOptimised(t *testing.T, name string) string {
	t.Helper()
	v, _ := saOptBuilds.LoadOrStore(name, &struct {
		once sync.Once
		path string
		err  error
	}{})
	b := v.(*struct {
		once sync.Once
		path string
		err  error
	})
	b.once.Do(func() {
		out := filepath.Join(os.TempDir(), "godbg-fixtures", fmt.Sprintf("delve-%s-opt-%s", name, runtime.Version()))
		if _, err := os.Stat(out); err == nil {
			b.path = out
			return
		}
		os.MkdirAll(filepath.Dir(out), 0o755)
		tmp := fmt.Sprintf("%s.tmp%d", out, os.Getpid())
		cmd := exec.Command("go", "build", "-o", tmp, name+".go")
		cmd.Dir = delveFixtures(t)
		cmd.Env = append(os.Environ(), "GO111MODULE=off", "GOFLAGS=")
		if msg, err := cmd.CombinedOutput(); err != nil {
			b.err = fmt.Errorf("building Delve's fixture %s: %v\n%s", name, err, msg)
			return
		}
		b.path, b.err = out, os.Rename(tmp, out)
	})
	if b.err != nil {
		t.Fatal(b.err)
	}
	return b.path
}

// saRunTo sets breakpoint 1 at loc and continues to it (line).
func saRunTo(t *testing.T, s *session, loc string, line int) {
	t.Helper()
	saSet(t, s, "break "+loc, `^Breakpoint 1 set`)
	saWant(t, saDo(t, s, "continue"), line, "continue")
}

// saCase is one Delve test replayed by a function of ours.
type saCase struct {
	name string
	fn   func(t *testing.T)
}

// saRunCases runs the cases as parallel subtests.
func saRunCases(t *testing.T, cases []saCase) {
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) { t.Parallel(); c.fn(t) })
	}
}

// TestInlinedStacktraceAndVariables: at both inlined copies of line 7 the
// frame is main.inlineThis (inlined) and its a and z are the inlined
// call's (3 and 9, then 4 and 16), not main's. (Reached by step and next
// from lines 18 and 19: `break testinline.go:7` gets only the first copy,
// a breakpoint matter left to TestInlineBreakpoint's owner.)
func saInlinedVariables(t *testing.T) {
	bin := buildDelveFixture(t, delveFixtures(t), "testinline", true)
	s := start(t, "exec", bin)
	saNext(t, s)
	for i, want := range [][2]string{{"3", "9"}, {"4", "16"}} {
		saSet(t, s, fmt.Sprintf("break testinline.go:%d", 18+i), fmt.Sprintf(`^Breakpoint %d set`, i+1))
		saWant(t, saDo(t, s, "continue"), 18+i, "continue")
		saWant(t, saDo(t, s, "step"), 6, "step")
		saWant(t, saDo(t, s, "next"), 7, "next")
		stack := strings.Join(saList(t, s, "stack"), "\n")
		if !regexp.MustCompile(`(?m)^\s*\*?\s*0\s+0x[0-9a-f]+ in main\.inlineThis \(inlined\)$`).MatchString(stack) {
			t.Fatalf("frame 0 is not the inlined main.inlineThis:\n%s", stack)
		}
		if a, z := saPrint(t, s, "a"), saPrint(t, s, "z"); a != want[0] || z != want[1] {
			t.Fatalf("a, z = %s, %s; want %s, %s", a, z, want[0], want[1])
		}
		full := strings.Join(saList(t, s, "stack -full"), "\n")
		if !strings.Contains(full, "in main.inlineThis (inlined)\n     at "+delveFixtures(t)+"/testinline.go:7\n         a = "+want[0]+"\n         z = "+want[1]+"\n") {
			t.Fatalf("stack -full does not show the inlined frame's a and z:\n%s", full)
		}
	}
}

// saPrint prints an expression and returns its value's line.
func saPrint(t *testing.T, s *session, e string) string {
	t.Helper()
	out := saList(t, s, "print "+e)
	if len(out) == 0 {
		t.Fatalf("print %s printed nothing", e)
	}
	return out[len(out)-1]
}

// The values TestRangeOverFuncNextInlined asserts in an inlined loop body
// (TestBreak1, line 49): x is the body's parameter.
func saRangeInlinedValues(t *testing.T) {
	bin := buildDelveFixture(t, delveFixtures(t), "rangeoverfunc", true)
	s := start(t, "exec", bin)
	saNext(t, s)
	saRunTo(t, s, "main.TestBreak1", 46)
	for _, l := range []int{47, 48, 49} {
		saWant(t, saDo(t, s, "next"), l, "next")
	}
	if got := saPrint(t, s, "x"); got != "-1" {
		t.Fatalf("x = %s at line 49, want -1", got)
	}
}

// saAt is a stop of a sequence: its line and the how-manieth stop there
// it is.
type saAt struct{ line, n int }

// The values TestRangeOverFuncNext(Inlined) asserts along its nexts (for
// the subtests with values): in a loop body the variables of the
// enclosing bodies and of the function are visible.
var saRangeValues = map[string]map[saAt][]string{
	"TestMultiCont0": {
		{86, 1}: {"w", "1000", "result", "[]int len: 0, cap: 10, []"},
		{87, 1}: {"result", "[]int len: 1, cap: 10, [1000]"},
		{92, 1}: {"w", "1000", "x", "100", "y", "10"},
		{94, 1}: {"w", "1000", "x", "100", "y", "10", "z", "1"},
		{94, 2}: {"z", "2"},
		{94, 3}: {"z", "3"},
		{94, 4}: {"z", "4"},
		{97, 2}: {"result", "[]int len: 3, cap: 10, [1000,10,2]"},
		{87, 2}: {"w", "2000", "result", "[]int len: 5, cap: 10, [1000,10,2,4,2000]"},
	},
	"TestTrickyIterAll1": {
		{27, 1}: {"i", "0"},
		{28, 1}: {"i", "0", "x", "30"},
		{28, 2}: {"i", "30", "x", "7"},
	},
	"TestBreak1": {
		{49, 1}: {"result", "[]int len: 0, cap: 0, nil", "x", "-1"},
		{53, 1}: {"result", "[]int len: 0, cap: 0, nil", "x", "-1", "y", "1"},
		{53, 2}: {"x", "-1", "y", "2"},
		{53, 3}: {"x", "-1", "y", "3"},
		{49, 2}: {"result", "[]int len: 3, cap: 4, [1,2,-1]", "x", "-2"},
		{48, 3}: {"result", "[]int len: 6, cap: 8, [1,2,-1,1,2,-2]", "x", "-4"},
	},
	"TestRecur": {
		{232, 1}: {"n", "3"},
		{236, 1}: {"n", "3"},
		{237, 1}: {"x", "10", "n", "3"},
		{237, 2}: {"x", "20", "n", "3"},
	},
}

func TestDelveRangeOverFuncValues(t *testing.T) {
	delveFixtures(t)
	for sub := range saRangeValues {
		for _, inline := range []bool{false, true} {
			name, seqs := "TestRangeOverFuncNext/"+sub, rangeFuncSeqs
			if inline {
				name, seqs = "TestRangeOverFuncNextInlined/"+sub, stepSeqs
			}
			t.Run(name, func(t *testing.T) {
				t.Parallel()
				for _, q := range seqs {
					if q.name == name {
						saCheckValues(t, q, saRangeValues[sub])
						return
					}
				}
				t.Fatalf("no sequence %s", name)
			})
		}
	}
}

// saCheckValues replays seq and prints the wanted values at its stops.
func saCheckValues(t *testing.T, seq delveSeq, want map[saAt][]string) {
	bin := buildDelveFixture(t, delveFixtures(t), seq.fixture, seq.inline)
	s := start(t, "exec", bin)
	saNext(t, s)
	saRunTo(t, s, seq.initial, seq.first)
	saSet(t, s, "clear 1", `cleared`)
	seen := map[int]int{}
	checked := 0
	for _, c := range seq.cmds {
		saWant(t, saDo(t, s, c.cmd), c.line, c.cmd)
		seen[c.line]++
		ev := want[saAt{c.line, seen[c.line]}]
		for i := 0; i < len(ev); i += 2 {
			if got := saPrint(t, s, ev[i]); got != ev[i+1] {
				t.Errorf("line %d (stop %d there): %s = %s, want %s", c.line, seen[c.line], ev[i], got, ev[i+1])
			}
			checked++
		}
	}
	total := 0
	for _, ev := range want {
		total += len(ev) / 2
	}
	if checked != total {
		t.Fatalf("%d values checked, want %d", checked, total)
	}
}
