package main

import (
	"strconv"
	"strings"
	"testing"

	"github.com/godbg/godbg/internal/fixtures"
)

// TestSetAllocates: set of new strings and of values boxed in
// interfaces puts their bytes in the target, and the program itself
// prints them after continue.
func TestSetAllocates(t *testing.T) {
	bin := fixtures.Build(t, "setfix")
	stop := sourceMarkers(t, fixtures.Source("setfix/main.go"), "// stop:")["set"]
	cmds := []string{"break main.go:" + strconv.Itoa(stop), "continue",
		`set s = "hello, set"`, `set s1[0] = "x"`, "set i = p", "set j = 42", "set k = s",
		"set i = s1", // a slice holds a pointer: refused
		"print s", "print k", "continue"}
	out, code := run(t, strings.Join(cmds, "\n")+"\n", "exec", bin)
	if code != 0 {
		t.Fatalf("exit %d\n%s", code, out)
	}
	want := `after s="hello, set" s1=["x" "b"] i=main.pair{A:3, B:4} j=42 k="hello, set"`
	if !strings.Contains(out, want) {
		t.Errorf("the program did not print %q:\n%s", want, out)
	}
	for _, w := range []string{`"hello, set"`, `interface {}(string) "hello, set"`, "holds pointers"} {
		if !strings.Contains(out, w) {
			t.Errorf("output lacks %q:\n%s", w, out)
		}
	}
}
