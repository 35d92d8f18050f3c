package main

import (
	"os"
	"path/filepath"
	"strings"
	"syscall"
	"testing"

	"github.com/godbg/godbg/internal/fixtures"
)

// dump refuses every path that exists, whatever it is, and leaves it as it
// was (it used to write PATH.tmp and rename it over a FIFO, a symlink or a
// device); a new name still works.
func TestDumpNeverReplaces(t *testing.T) {
	bin := fixtures.Build(t, "gorofix")
	dir := t.TempDir()
	p := func(name string) string { return filepath.Join(dir, name) }
	if err := os.WriteFile(p("file"), []byte("precious"), 0o644); err != nil {
		t.Fatal(err)
	}
	if err := os.WriteFile(p("target"), []byte("target"), 0o644); err != nil {
		t.Fatal(err)
	}
	must(t, os.Symlink(p("target"), p("link")))
	must(t, os.Symlink(p("nowhere"), p("dangling")))
	must(t, syscall.Mkfifo(p("fifo"), 0o600))
	targets := []string{"file", "link", "dangling", "fifo"}
	if os.Geteuid() == 0 { // a char device like /dev/full (1,7)
		must(t, syscall.Mknod(p("full"), syscall.S_IFCHR|0o600, 1<<8|7))
		targets = append(targets, "full")
	}
	var in strings.Builder
	in.WriteString("break main.stopHere\ncontinue\n")
	for _, name := range targets {
		in.WriteString("dump " + p(name) + "\n")
	}
	in.WriteString("dump " + p("new.core") + "\n")
	before := map[string]os.FileMode{}
	for _, name := range targets {
		st, err := os.Lstat(p(name))
		must(t, err)
		before[name] = st.Mode()
	}
	out, code := run(t, in.String(), "exec", bin, "--", "5")
	if code != 0 {
		t.Fatalf("exit %d\n%s", code, out)
	}
	for _, name := range targets {
		if !strings.Contains(out, p(name)+" exists") || !strings.Contains(out, "remove it or give a new name") {
			t.Errorf("dump %s: no refusal naming it:\n%s", name, out)
		}
		st, err := os.Lstat(p(name))
		if err != nil || st.Mode() != before[name] {
			t.Errorf("%s: mode %v (%v), was %v", name, st.Mode(), err, before[name])
		}
	}
	if b, _ := os.ReadFile(p("file")); string(b) != "precious" {
		t.Errorf("file now holds %d bytes", len(b))
	}
	if b, _ := os.ReadFile(p("target")); string(b) != "target" {
		t.Errorf("the link's target now holds %d bytes", len(b))
	}
	if !strings.Contains(out, "Core file written to "+p("new.core")) {
		t.Errorf("dump to a new name failed:\n%s", out)
	}
	ents, _ := os.ReadDir(dir)
	if len(ents) != len(targets)+2 {
		var names []string
		for _, e := range ents {
			names = append(names, e.Name())
		}
		t.Errorf("left in the directory: %v", names)
	}
}

func must(t *testing.T, err error) {
	t.Helper()
	if err != nil {
		t.Fatal(err)
	}
}
