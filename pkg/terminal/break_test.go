package terminal

import "testing"

// parseBreak: Delve's break forms, quoted locations with spaces (even
// " if "), no location for the current line, and quotes in conditions.
func TestParseBreak(t *testing.T) {
	for _, c := range []struct{ in, name, spec, cond string }{
		{"main.go:3", "", "main.go:3", ""},
		{"bp main.go:3 if i == 3", "bp", "main.go:3", "i == 3"},
		{"if i == 3", "", "+0", "i == 3"},
		{"", "", "+0", ""},
		{`"test if path/main.go:4"`, "", "test if path/main.go:4", ""},
		{`bp "is sue239.go:17" if x > 1`, "bp", "is sue239.go:17", "x > 1"},
		{`main.go:3 if s == "a b"`, "", "main.go:3", `s == "a b"`},
	} {
		name, spec, cond, err := parseBreak(c.in)
		if err != nil || name != c.name || spec != c.spec || cond != c.cond {
			t.Errorf("parseBreak(%q) = %q, %q, %q, %v; want %q, %q, %q", c.in, name, spec, cond, err, c.name, c.spec, c.cond)
		}
	}
	for _, in := range []string{`"a.go:1" junk`, "a b c", "x if ", `"a.go:1`} {
		if _, _, _, err := parseBreak(in); err == nil {
			t.Errorf("parseBreak(%q) gave no error", in)
		}
	}
}
