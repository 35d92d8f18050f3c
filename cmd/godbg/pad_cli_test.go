package main

import (
	"fmt"
	"os/exec"
	"regexp"
	"strconv"
	"strings"
	"testing"

	"github.com/godbg/godbg/internal/fixtures"
)

// Jump pads (issue 17), GODBG_PAD=1: conditions of the form
// `<integer variable> <cmp> <constant>` run in the program.

var padOn = []string{"GODBG_PAD=1"}

// padLine returns the "cond" line of breakpoint id in the last
// breakpoints listing of out.
func padLine(t *testing.T, out string, id int) string {
	t.Helper()
	all := regexp.MustCompile(fmt.Sprintf(`(?m)^\[Breakpoint %d\] \S+ at \S+\(\) `, id)).FindAllStringIndex(out, -1)
	if all == nil {
		t.Fatalf("breakpoint %d not listed:\n%s", id, out)
	}
	rest := out[all[len(all)-1][0]:]
	j := strings.Index(rest, "\tcond ")
	if j < 0 {
		t.Fatalf("breakpoint %d has no cond line:\n%s", id, out)
	}
	return strings.SplitN(rest[j+1:], "\n", 2)[0]
}

// A false condition never stops; the pad counts every call the fixture
// made: one breakpoint at main.hot (i still in rax after the prologue),
// one on its body line (i in its stack slot).
func TestPadFalseConditionCountsEveryCall(t *testing.T) {
	bin := fixtures.Build(t, "padloop")
	line := sourceMarkers(t, fixtures.Source("padloop/main.go"), "// LINE:")["hotbody"]
	in := fmt.Sprintf("break main.hot if i == -1\nbreak main.go:%d if -1 >= i\nbreak main.finish\ncontinue\nbreakpoints\ncontinue\n", line)
	out, _ := runIn(t, "", padOn, in, "exec", bin, "--", "20000")
	m := regexp.MustCompile(`(?m)^calls (\d+) sum`).FindStringSubmatch(out)
	if m == nil {
		t.Fatalf("program did not finish:\n%s", out)
	}
	if strings.Contains(out, "> [Breakpoint 1]") || strings.Contains(out, "> [Breakpoint 2]") {
		t.Errorf("a false condition stopped:\n%s", out)
	}
	for id, where := range map[int]string{1: "i in rax", 2: "i at rsp+"} {
		want := fmt.Sprintf("(via pad, %s", where)
		got := padLine(t, out, id)
		if !strings.Contains(got, want) || !strings.Contains(got, "evaluated "+m[1]+" times") {
			t.Errorf("breakpoint %d: %q, want %q and %s evaluations", id, got, want, m[1])
		}
	}
	if t.Failed() {
		t.Log(out)
	}
}

// Without GODBG_PAD the same breakpoint says it traps.
func TestPadOffSaysTrap(t *testing.T) {
	bin := fixtures.Build(t, "padloop")
	out, _ := runIn(t, "", []string{"GODBG_PAD=0"}, "break main.hot if i == -1\nbreak main.finish\ncontinue\nbreakpoints\ncontinue\n", "exec", bin, "--", "300")
	if got := padLine(t, out, 1); !strings.HasSuffix(got, "(via trap)") {
		t.Errorf("cond line %q, want via trap\n%s", got, out)
	}
}

// An always-true condition stops at every call with the right i, and
// the hit count is exact.
func TestPadTrueConditionStopsEveryCall(t *testing.T) {
	bin := fixtures.Build(t, "padloop")
	in := "break main.hot if i >= 0\n" + strings.Repeat("continue\nprint i\n", 5) + "breakpoints\ncontinue\n"
	out, _ := runIn(t, "", padOn, in, "exec", bin, "--", "5")
	got := regexp.MustCompile(`(?m)^> \[Breakpoint 1\] main\.hot\(\).*\n(?:.*\n)*?(\d+)$`).FindAllStringSubmatch(out, -1)
	var is []string
	for _, g := range got {
		is = append(is, g[1])
	}
	if strings.Join(is, " ") != "0 1 2 3 4" {
		t.Errorf("stops printed i = %v, want 0 1 2 3 4", is)
	}
	if l := padLine(t, out, 1); !strings.Contains(l, "via pad, i in rax: evaluated 5 times") {
		t.Errorf("cond line %q", l)
	}
	if !strings.Contains(out, "hits total:5") || !strings.Contains(out, "calls 5 sum 35") {
		t.Errorf("want hits total:5 and the program's output")
	}
	if t.Failed() {
		t.Log(out)
	}
}

// toggle and clear while the program runs through the pad: the pass
// count is exactly the calls made while the breakpoint was enabled, and
// the program's result is unchanged.
func TestPadToggleAndClearWhileRunning(t *testing.T) {
	bin := fixtures.Build(t, "padloop")
	// tick stops after calls 1000, 2000, ...: toggle at each of the first
	// four (off, on, off, on), list at the fifth, clear at the sixth.
	in := "break main.hot if i == -1\nbreak main.tick\ncontinue\n" +
		strings.Repeat("toggle 1\ncontinue\n", 4) + "breakpoints\nclear 1\ncontinue\nbreakpoints\nclear 2\ncontinue\n"
	out, _ := runIn(t, "", padOn, in, "exec", bin, "--", "8000")
	// Enabled for calls 1-1000, 2001-3000, 4001-5000: 3000 passes.
	if l := padLine(t, out, 1); !strings.Contains(l, "evaluated 3000 times") {
		t.Errorf("cond line %q, want 3000 evaluations\n%s", l, out)
	}
	if !strings.Contains(out, "calls 8000 sum 95996000") {
		t.Errorf("program output changed:\n%s", out)
	}
	if strings.Contains(out, "> [Breakpoint 1]") {
		t.Errorf("a false condition stopped:\n%s", out)
	}
}

// 10 goroutines x 1,000,000 passes under runtime.GC and CPU profiling
// (padstress): every pass counted, output identical to the untraced run.
func TestPadStressCLI(t *testing.T) {
	if testing.Short() {
		t.Skip("stress")
	}
	bin := fixtures.Build(t, "padstress")
	native, err := exec.Command(bin, "1000000").Output()
	if err != nil {
		t.Fatal(err)
	}
	sum := regexp.MustCompile(`sum \d+ calls \d+`).FindString(string(native))
	out, _ := runIn(t, "", padOn, "break main.hot if i == -1\nbreak main.finish\ncontinue\nbreakpoints\ncontinue\n", "exec", bin, "--", "1000000")
	if sum == "" || !strings.Contains(out, sum+"\n") {
		t.Errorf("output lacks the untraced %q:\n%s", sum, out)
	}
	if l := padLine(t, out, 1); !strings.Contains(l, "evaluated "+strconv.Itoa(10_000_000)+" times") {
		t.Errorf("cond line %q, want 10000000 evaluations\n%s", l, out)
	}
}

// A step into a padded function puts a temporary breakpoint at the pad's
// address: the breakpoint traps meanwhile, and is a pad again after.
func TestPadStepIntoPaddedFunction(t *testing.T) {
	bin := fixtures.Build(t, "padloop")
	in := "break main.hot if i == 3\nbreak main.go:30\ncontinue\nstep\nstep\nclear 2\nnext\nnext\nbreakpoints\ncontinue\nprint i\ncontinue\n"
	out, _ := runIn(t, "", padOn, in, "exec", bin, "--", "6")
	if l := padLine(t, out, 1); !strings.Contains(l, "(via pad, i in rax") {
		t.Errorf("after the step: cond line %q, want via pad\n%s", l, out)
	}
	if !regexp.MustCompile(`(?m)^> \[Breakpoint 1\] main\.hot\(\).*\n(?:.*\n)*?3\n`).MatchString(out) || !strings.Contains(out, "calls 6 sum 51") {
		t.Errorf("want one stop with i = 3 and the program's output:\n%s", out)
	}
}
