package terminal

import (
	"os"
	"path/filepath"
	"regexp"
	"strings"
	"testing"
)

// TestHighlightGoColours: the monokai colours of a keyword, a string, a
// comment (one spanning lines too) and a number, and the text unchanged.
func TestHighlightGoColours(t *testing.T) {
	src := []string{
		`func main() { // start`,
		`	s := "hi" /* two`,
		`	lines */`,
		`	return 42`,
		`}`,
	}
	out := highlightGo(src, monokai())
	if len(out) != len(src) {
		t.Fatalf("%d lines out of %d", len(out), len(src))
	}
	plain := regexp.MustCompile("\x1b\\[[0-9;]*m")
	for i := range src {
		if got := plain.ReplaceAllString(out[i], ""); got != src[i] {
			t.Errorf("line %d: text %q, want %q", i+1, got, src[i])
		}
	}
	for _, want := range []struct {
		line      int
		what, esc string
	}{
		{0, "func", "\x1b[38;5;81m"},        // keyword #66d9ef
		{0, "main", "\x1b[38;5;148m"},       // function name #a6e22e
		{0, "// start", "\x1b[38;5;242m"},   // comment #75715e
		{1, `"hi"`, "\x1b[38;5;186m"},       // string #e6db74
		{1, "/* two", "\x1b[38;5;242m"},     // comment
		{2, "\tlines */", "\x1b[38;5;242m"}, // the same comment, next line
		{3, "return", "\x1b[38;5;81m"},      // keyword
		{3, "42", "\x1b[38;5;141m"},         // number #ae81ff
	} {
		if !strings.Contains(out[want.line], want.esc+want.what+"\x1b[0m") {
			t.Errorf("line %d: %q not coloured %q: %q", want.line+1, want.what, want.esc, out[want.line])
		}
	}
}

// TestGodbgStyleValues: GODBG_STYLE's accepted values and the warning for
// the others.
func TestGodbgStyleValues(t *testing.T) {
	dir := t.TempDir()
	xml := filepath.Join(dir, "mine.xml")
	if err := os.WriteFile(xml, []byte(`<style name="mine"><entry type="Keyword" style="#ff0000"/></style>`), 0o644); err != nil {
		t.Fatal(err)
	}
	bad := filepath.Join(dir, "bad.xml")
	if err := os.WriteFile(bad, []byte("not xml"), 0o644); err != nil {
		t.Fatal(err)
	}
	for _, c := range []struct {
		value, style, warning string
	}{
		{"", "monokai", ""},
		{"monokai", "monokai", ""},
		{"off", "", ""},
		{"none", "", ""},
		{xml, "mine", ""},
		{"dracula", "monokai", `GODBG_STYLE="dracula" is not a style godbg knows; use monokai, off (or none), or the path of a chroma XML style file`},
		{bad, "monokai", "is not a chroma XML style"},
		{filepath.Join(dir, "absent.xml"), "monokai", "no such file"},
	} {
		var warnings []string
		st := namedStyle(c.value, func(w string) { warnings = append(warnings, w) })
		name := ""
		if st != nil {
			name = st.Name
		}
		if name != c.style {
			t.Errorf("GODBG_STYLE=%q: style %q, want %q", c.value, name, c.style)
		}
		if c.warning == "" && len(warnings) > 0 || c.warning != "" && (len(warnings) != 1 || !strings.Contains(warnings[0], c.warning)) {
			t.Errorf("GODBG_STYLE=%q: warnings %q, want one containing %q", c.value, warnings, c.warning)
		}
		if again := namedStyle(c.value, func(w string) { t.Errorf("GODBG_STYLE=%q: warned twice: %s", c.value, w) }); again != st {
			t.Errorf("GODBG_STYLE=%q: resolved again to another style", c.value)
		}
	}
	// The XML style colours with its own entries.
	if out := highlightGo([]string{"if x {}"}, namedStyle(xml, nil)); !strings.Contains(out[0], "\x1b[38;5;196mif") {
		t.Errorf("XML style: keyword not red: %q", out[0])
	}
}
