package main

import (
	"fmt"
	"regexp"
	"strconv"
	"strings"
	"testing"

	"github.com/godbg/godbg/internal/fixtures"
)

// A condition is print's language: fields, indexing, len and map lookups
// stop exactly at the calls where the fixture's own values make it true,
// print of the same expression says true at each stop, and an error in a
// condition reads as print's error for the same text.
func TestConditionIsPrintsLanguage(t *testing.T) {
	bin := fixtures.Build(t, "condexpr")
	line := sourceMarkers(t, fixtures.Source("condexpr/main.go"), "// stop:")["visit"]
	cond := `p.X >= 2 && len(s) >= 2 && s[1] > 3 && m["k"] != 1`
	bad := `i == 21 && p.Nope > 1`
	cmds := []string{
		fmt.Sprintf("break main.go:%d if %s", line, cond),
		"break main.visit if nosuch > 1",
		"break main.visit",
		"condition 2 " + bad,
	}
	for i := 0; i < 8; i++ {
		cmds = append(cmds, "continue", "print i", "print "+cond, "print "+bad)
	}
	out, _ := run(t, strings.Join(cmds, "\n")+"\n", "exec", bin)
	var want []int
	for _, m := range regexp.MustCompile(`(?m)^call i=(\d+) x=(\d+) len=(\d+) s1=(-?\d+) k=(\d+)$`).FindAllStringSubmatch(out, -1) {
		n := make([]int, 5)
		for j := range n {
			n[j], _ = strconv.Atoi(m[j+1])
		}
		if n[1] >= 2 && n[2] >= 2 && n[3] > 3 && n[4] != 1 {
			want = append(want, n[0])
		}
	}
	if len(want) == 0 {
		t.Fatalf("fixture printed no matching call:\n%s", out)
	}
	var got []int
	stop := regexp.MustCompile(`(?m)^(\d+)\n(true|false)$`)
	for _, block := range strings.Split(out, "> [Breakpoint 1]")[1:] {
		m := stop.FindStringSubmatch(block)
		if m == nil {
			continue
		}
		n, _ := strconv.Atoi(m[1])
		got = append(got, n)
		if m[2] != "true" {
			t.Errorf("stopped at i=%d where print says the condition is %s", n, m[2])
		}
	}
	if fmt.Sprint(got) != fmt.Sprint(want) {
		t.Errorf("stopped at i=%v, want %v", got, want)
	}
	if !strings.Contains(out, "no variable nosuch") {
		t.Errorf("unknown name in a condition not reported")
	}
	m := regexp.MustCompile(`(?m)condition "` + regexp.QuoteMeta(bad) + `" of breakpoint 2: (.*)$`).FindStringSubmatch(out)
	if m == nil {
		t.Fatalf("no condition error for %q", bad)
	}
	if !strings.Contains(out, "Command failed: "+m[1]+"\n") {
		t.Errorf("condition error %q is not print's error", m[1])
	}
	if t.Failed() {
		t.Log(out)
	}
}

// Address expressions are print's language too: x and set *(*T)(addr)
// take pointers and addresses of the selected frame's variables.
func TestAddressExpressionsUseTheFrame(t *testing.T) {
	bin := fixtures.Build(t, "condexpr")
	line := sourceMarkers(t, fixtures.Source("condexpr/main.go"), "// stop:")["visit"]
	script := fmt.Sprintf("break main.go:%d if i == 5\ncontinue\nx -size 8 &p.Y\nset *(*uint64)(&p.X) = 77\nprint p.X\nx $rsp\nx p.Nope\n", line)
	out, _ := run(t, script, "exec", bin)
	for _, want := range []string{":   0x0000000000000005\n", "\n77\n", "p.Nope: no such field Nope in main.point"} {
		if !strings.Contains(out, want) {
			t.Errorf("output lacks %q", want)
		}
	}
	if t.Failed() {
		t.Log(out)
	}
}

// Bad input in print, conditions, set and x gives an error line and the
// session goes on: malformed text, unknown names, type errors and
// expressions nested 10,000 levels deep.
func TestBadExpressionsKeepTheSession(t *testing.T) {
	bin := fixtures.Build(t, "condexpr")
	deep := strings.Repeat("(", 10000) + "i" + strings.Repeat(")", 10000)
	unary := strings.Repeat("^", 10000) + "i"
	line := sourceMarkers(t, fixtures.Source("condexpr/main.go"), "// stop:")["visit"]
	cmds := []string{
		"break main.visit",
		fmt.Sprintf("break main.go:%d if i >", line),
		fmt.Sprintf("break main.go:%d if %s > 1", line, deep),
		"continue",
		"print i +",
		"print nosuch",
		`print i + "a"`,
		"print " + deep,
		"print " + unary,
		"print p.X.Y",
		"set i = " + deep,
		"x " + deep,
		"condition 1 " + unary + " > 0",
		"print i",
	}
	out, code := run(t, strings.Join(cmds, "\n")+"\n", "exec", bin)
	if code != 0 {
		t.Fatalf("exit %d", code)
	}
	for _, want := range []string{
		"bad expression \"i >\"",
		"nested more than 200 deep",
		"bad expression \"i +\": column 4: expected operand",
		"could not find symbol value for nosuch",
		"i + \"a\": mismatched types",
		"p.X.Y: no such field",
		"\n0\n", // print i at the end: the session went on
	} {
		if !strings.Contains(out, want) {
			t.Errorf("output lacks %q", want)
		}
	}
	if strings.Contains(out, "panic") || strings.Contains(out, "goroutine ") {
		t.Errorf("a panic:\n%.2000s", out)
	}
	for _, l := range strings.Split(out, "\n") {
		if len(l) > 2000 {
			t.Errorf("an output line of %d bytes: %.100s…", len(l), l)
		}
	}
	if t.Failed() {
		t.Logf("%.5000s", out)
	}
}
