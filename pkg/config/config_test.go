package config

import (
	"errors"
	"os"
	"path/filepath"
	"reflect"
	"testing"
)

func TestSet(t *testing.T) {
	tests := []struct {
		args []string
		ok   bool
	}{
		{[]string{"max-string-len", "100"}, true},
		{[]string{"max-string-len", "-1"}, false},
		{[]string{"max-array-values", "x"}, false},
		{[]string{"max-variable-recurse"}, false},
		{[]string{"source-list-line-count", "7"}, true},
		{[]string{"show-location-expr", "true"}, true},
		{[]string{"show-location-expr", "maybe"}, false},
		{[]string{"disassemble-flavor", "intel"}, true},
		{[]string{"disassemble-flavor", "att"}, false},
		{[]string{"aliases", "print", "pp", "ppp"}, true},
		{[]string{"debug-info-directories", "/usr/lib/debug"}, true},
		{[]string{"substitute-path", "/build", "/home/me/src"}, true},
		{[]string{"substitute-path", "/nope"}, false},
		{[]string{"substitute-path", "a", "b", "c"}, false},
		{[]string{"no-such-thing", "1"}, false},
	}
	c := &Config{}
	for _, tt := range tests {
		err := c.Set(tt.args[0], tt.args[1:])
		if (err == nil) != tt.ok {
			t.Errorf("Set %v: err %v, want ok %v", tt.args, err, tt.ok)
		}
	}
	if err := c.Set("x", nil); !errors.Is(err, ErrUnknownParam) {
		t.Errorf("unknown parameter: %v", err)
	}
	want := Config{
		SubstitutePath: []SubstituteRule{{"/build", "/home/me/src"}}, MaxStringLen: 100, ShowLocationExpr: true,
		SourceListLineCount: 7, Aliases: map[string][]string{"print": {"pp", "ppp"}}, DisassembleFlavor: "intel",
		DebugInfoDirectories: []string{"/usr/lib/debug"},
	}
	if !reflect.DeepEqual(*c, want) {
		t.Errorf("got %+v, want %+v", *c, want)
	}
	path := filepath.Join(t.TempDir(), "godbg", "config.yml")
	if got, err := Load(path); err != nil || !reflect.DeepEqual(*got, Config{}) {
		t.Fatalf("Load of a missing file: %+v, %v", got, err)
	}
	if err := c.Save(path); err != nil {
		t.Fatal(err)
	}
	if got, err := Load(path); err != nil || !reflect.DeepEqual(*got, want) {
		t.Errorf("Load after Save: %+v, %v", got, err)
	}
	os.WriteFile(path, []byte("max-string-len: [\n"), 0o644)
	if _, err := Load(path); err == nil {
		t.Errorf("Load of a broken file: no error")
	}
}

func TestSubstitute(t *testing.T) {
	c := &Config{SubstitutePath: []SubstituteRule{{"/build/", "/home/me/src"}, {"/b", "/c"}}}
	for _, tt := range []struct{ in, local string }{
		{"/build/x/main.go", "/home/me/src/x/main.go"},
		{"/buildx/main.go", "/buildx/main.go"},
		{"/b/y.go", "/c/y.go"},
		{"/other/z.go", "/other/z.go"},
	} {
		if got := c.ToLocal(tt.in); got != tt.local {
			t.Errorf("ToLocal(%s) = %s, want %s", tt.in, got, tt.local)
		}
		if got := c.ToBuild(tt.local); got != tt.in && tt.in != "/build/x/main.go" {
			t.Errorf("ToBuild(%s) = %s, want %s", tt.local, got, tt.in)
		}
	}
	if got := c.ToBuild("/home/me/src/x/main.go"); got != "/build/x/main.go" {
		t.Errorf("ToBuild = %s", got)
	}
}
