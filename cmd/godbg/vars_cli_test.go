package main

import (
	"regexp"
	"strconv"
	"strings"
	"testing"

	"github.com/godbg/godbg/internal/fixtures"
)

// stopMarkers maps scopefix's "// L:name" comments to line numbers.
func stopMarkers(t *testing.T, path string) map[string]int { return sourceMarkers(t, path, "// L:") }

func TestPrintLocalsArgsWhatisSet(t *testing.T) {
	bin := fixtures.Build(t, "scopefix")
	stops := stopMarkers(t, fixtures.Source("scopefix/main.go"))
	line := func(name string) string { return "main.go:" + strconv.Itoa(stops[name]) }
	exprs := []string{"o.N", "len(o.Tags)", `m["three"]+1`, "arr[0]+arr[1]*arr[2]", "arr[3]%arr[2]", "u8+100",
		"i64 * -3", "int(f)", "main.counter * 2", `str == "hello"`, "o.Next.Next == nil", "b && f > 1"}
	cmds := []string{"break " + line("args"), "break " + line("exprs"), "break " + line("set"), "continue", "args", "locals",
		"whatis p", "print p.X", "print -v p", "continue"}
	for _, e := range exprs {
		cmds = append(cmds, "print "+e)
	}
	cmds = append(cmds, "whatis o", "whatis m", "print nosuch", "print o.Nope", "print arr[10]", "print arr[", "print %x arr[3]",
		"stack 2 -full", "display -a arr[1]", "vars main\\.counter$", "vars (", "continue",
		"set x = 42", "set f = 2.5", "set b = false", "set p.X = 7", "set s = 1", "print x", "continue")
	out, code := run(t, strings.Join(cmds, "\n")+"\n", "exec", bin)
	if code != 0 {
		t.Fatalf("exit %d\n%s", code, out)
	}
	// The fixture prints each expression's value with %v as "e <expr>\t<value>".
	truth := map[string]string{}
	for _, m := range regexp.MustCompile(`(?m)^e (.*)\t(.*)$`).FindAllStringSubmatch(out, -1) {
		truth[m[1]] = m[2]
	}
	lines := strings.Split(out, "\n")
	find := func(prefix string) string {
		for _, l := range lines {
			if strings.HasPrefix(l, prefix) {
				return l
			}
		}
		return ""
	}
	for _, want := range []string{"a = 7", `s = "seven"`, "sum = 10", `label = "seven!"`, "xs = []int len: 3, cap: 3, [1,2,3]"} {
		if find(want) == "" {
			t.Errorf("args lacks %q", want)
		}
	}
	for _, want := range []string{"*main.Point", "*main.Outer", "map[string]int", "11"} {
		if find(want) != want {
			t.Errorf("output lacks the line %q", want)
		}
	}
	// Each printed expression, in order after "stop exprs".
	i := strings.Index(out, "[Breakpoint 2]")
	if i < 0 {
		t.Fatalf("no stop at exprs:\n%s", out)
	}
	after := strings.Split(out[i:], "\n")
	k := 0
	for _, e := range exprs {
		want, ok := truth[e]
		if !ok {
			t.Fatalf("fixture did not print %q", e)
		}
		for k < len(after) && after[k] != want {
			k++
		}
		if k == len(after) {
			t.Errorf("print %s: no line %q after the stop", e, want)
			k = 0
		}
	}
	for _, want := range []string{
		"could not find symbol value for nosuch",
		"Nope",
		"out of range",
		`bad expression "arr["`,
		"1d", // %x of 29
		"0: arr[1] = 5",
		"main.counter = ",
		`bad vars filter "("`,
		"after x=42 f=2.5 b=false u=3 p.X=7",
	} {
		if !strings.Contains(out, want) {
			t.Errorf("output lacks %q", want)
		}
	}
	if t.Failed() {
		t.Log(out)
	}
}
