package main

import (
	"bufio"
	"fmt"
	"os"
	"regexp"
	"strconv"
	"strings"
	"testing"

	"github.com/godbg/godbg/internal/fixtures"
)

// markers maps the "// L:name" markers of a fixture source to line numbers.
func markers(t *testing.T, path string) map[string]int { return sourceMarkers(t, path, "// L:") }

// sourceMarkers maps the words after prefix in a source file's comments
// to their line numbers.
func sourceMarkers(t *testing.T, path, prefix string) map[string]int {
	t.Helper()
	f, err := os.Open(path)
	if err != nil {
		t.Fatal(err)
	}
	defer f.Close()
	m := map[string]int{}
	sc := bufio.NewScanner(f)
	for n := 1; sc.Scan(); n++ {
		if i := strings.Index(sc.Text(), prefix); i >= 0 {
			if w := strings.Fields(sc.Text()[i+len(prefix):]); len(w) > 0 {
				m[w[0]] = n
			}
		}
	}
	return m
}

var stopLine = regexp.MustCompile(`(?m)^> (?:\[Breakpoint \d+\] )?(\S+)\(\) \S+:(\d+) .*\(thread (\d+)\)$`)

// stepSeq runs commands and returns the function:line of each stop.
func stepSeq(t *testing.T, bin string, cmds []string, args ...string) ([]string, string) {
	t.Helper()
	out, code := run(t, strings.Join(cmds, "\n")+"\n", append([]string{"exec", bin, "--"}, args...)...)
	if code != 0 {
		t.Fatalf("exit %d\n%s", code, out)
	}
	var seq []string
	for _, m := range stopLine.FindAllStringSubmatch(out, -1) {
		seq = append(seq, m[1]+":"+m[2])
	}
	return seq, out
}

func TestStepping(t *testing.T) {
	bin := fixtures.Build(t, "stepfix")
	L := markers(t, fixtures.Source("stepfix/main.go"))
	at := func(fn, name string) string { return fmt.Sprintf("main.%s:%d", fn, L[name]) }
	for _, c := range []struct {
		name string
		cmds []string
		want []string // stops after the first (the breakpoint)
	}{
		{"next through a function", []string{"break main.go:" + strconv.Itoa(L["sh1"]), "continue", "next", "next", "next", "next"},
			[]string{at("shared", "sh2"), at("shared", "sh3"), at("shared", "sh4"), at("main", "m1")}},
		{"step into, step out", []string{"break main.go:" + strconv.Itoa(L["sh2"]), "continue", "step", "next", "stepout", "next"},
			[]string{"main.add:" + strconv.Itoa(L["add1"]-1), at("add", "add1"), at("shared", "sh2"), at("shared", "sh3")}},
		{"next count", []string{"break main.go:" + strconv.Itoa(L["sh1"]), "continue", "next 3"},
			[]string{at("shared", "sh4")}},
		{"recursion stays in the frame", []string{"break main.fact if n == 3", "continue", "next", "next", "next", "next", "next", "next"},
			[]string{at("fact", "f1"), at("fact", "f3"), at("fact", "f4"), at("fact", "f3"), at("fact", "f4"), at("main", "m2")}},
		// next over the panic stops in the deferred function it runs (as
		// Delve); once it recovers, risky resumes at its deferred-call
		// return (its closing line), which returns to main.
		{"panic and recover", []string{"break main.go:" + strconv.Itoa(L["r4"]), "continue", "next", "next", "next", "next", "next", "next", "next", "next", "next"},
			[]string{at("risky.func1", "r1"), fmt.Sprintf("main.risky.func1:%d", L["r1"]+1), fmt.Sprintf("main.risky.func1:%d", L["r1"]+2),
				fmt.Sprintf("main.risky.func1:%d", L["r1"]+4), at("risky", "rend"), at("risky", "r5"), at("risky", "rend"), at("main", "m3"), at("main", "m4")}},
		{"stepout of a recursion", []string{"break main.fact if n == 2", "continue", "stepout", "stepout"},
			[]string{at("fact", "f3"), at("fact", "f3")}},
	} {
		t.Run(c.name, func(t *testing.T) {
			seq, out := stepSeq(t, bin, c.cmds)
			// The launch stop, the breakpoint, then the steps.
			if len(seq) < 2 || strings.Join(seq[2:], " ") != strings.Join(c.want, " ") {
				t.Fatalf("stops %v, want breakpoint then %v\n%s", seq, c.want, out)
			}
		})
	}
}

// Ten goroutines run the same function: next stays on the one that
// started it; the others' breakpoint hits are reported, not taken over.
func TestNextStaysOnItsGoroutine(t *testing.T) {
	bin := fixtures.Build(t, "stepfix")
	L := markers(t, fixtures.Source("stepfix/main.go"))
	s := start(t, "exec", bin, "--", "goroutines")
	s.send("break main.go:" + strconv.Itoa(L["sh1"]))
	s.send("continue")
	s.expect(`^> \[Breakpoint 1\] main.shared\(\)`)
	s.send("clear 1") // only the temporary breakpoints of next remain
	s.send("goroutine")
	g := s.expect(`^\* Goroutine (\d+) - `)[1]
	for _, want := range []string{"sh2", "sh3", "sh4", "gcall"} {
		s.send("next")
		m := s.expect(`^> (\S+)\(\) \S+:(\d+) `)
		if m[2] != strconv.Itoa(L[want]) {
			t.Fatalf("next stopped at %s:%s, want line %d (%s)\n%s", m[1], m[2], L[want], want, s.output())
		}
		s.send("goroutine")
		if got := s.expect(`^\* Goroutine (\d+) - `)[1]; got != g {
			t.Fatalf("next moved from goroutine %s to %s\n%s", g, got, s.output())
		}
	}
	s.send("continue")
	s.expect(`^goroutines done`)
	s.end()
}

func TestSteppingErrors(t *testing.T) {
	bin := fixtures.Build(t, "stepfix")
	out, _ := run(t, "next x\nstep y\nstepout now\nbreak main.main\ncontinue\nframe 5\nup 99\nstepout\n", "exec", bin)
	for _, want := range []string{
		`next "x": count must be a positive number`,
		`step "y": count must be a positive number`,
		`stepout takes no arguments`,
		`frame 5 is out of range`,
		`is out of range`,
	} {
		if !strings.Contains(out, want) {
			t.Errorf("output lacks %q", want)
		}
	}
	if t.Failed() {
		t.Log(out)
	}
}

func TestStepoutShowsReturnValues(t *testing.T) {
	bin := fixtures.Build(t, "stepfix")
	out, code := run(t, "break main.add\ncontinue\nstepout\nbreak main.fact if n == 2\ncontinue\ncontinue\nstepout\n", "exec", bin)
	if code != 0 {
		t.Fatalf("exit %d\n%s", code, out)
	}
	// add(5*2, 1) = 11; fact(2) = 2.
	for _, want := range []string{"Values returned:\n\t~r0 = 11\n", "Values returned:\n\t~r0 = 2\n"} {
		if !strings.Contains(out, want) {
			t.Errorf("output lacks %q", want)
		}
	}
	if t.Failed() {
		t.Log(out)
	}
}
