package main

import (
	"fmt"
	"os"
	"os/exec"
	"path/filepath"
	"runtime"
	"strings"
	"testing"
)

// Delve 1.27.2's TestBreakpointMaterializedEvent: a line breakpoint in a
// Go plugin that is not loaded yet is pending; once the program has
// opened the plugin (continue to plugintest2.go:35) it is set, which
// godbg announces as an event, and it stops there when the plugin's code
// runs.
func TestDelveBreakpointMaterializedEvent(t *testing.T) {
	t.Parallel()
	dir := delveFixtures(t)
	root := filepath.Dir(dir) // Delve's module: the plugins import its _fixtures/internal/pluginsupport
	out := filepath.Join(os.TempDir(), "godbg-fixtures", "delve-plugins-"+runtime.Version())
	bin := filepath.Join(out, "plugintest2")
	if _, err := os.Stat(bin); err != nil {
		if _, err := exec.LookPath("gcc"); err != nil {
			t.Skip("plugins need cgo: no gcc")
		}
		tmp := fmt.Sprintf("%s.tmp%d", out, os.Getpid())
		for _, b := range [][]string{
			{"-buildmode=plugin", "-o", filepath.Join(tmp, "plugin1.so"), "./_fixtures/plugin1"},
			{"-buildmode=plugin", "-o", filepath.Join(tmp, "plugin2.so"), "./_fixtures/plugin2"},
			{"-o", filepath.Join(tmp, "plugintest2"), "./_fixtures/plugintest2.go"},
		} {
			cmd := exec.Command("go", append([]string{"build", "-gcflags=-N -l"}, b...)...)
			cmd.Dir = root
			cmd.Env = append(os.Environ(), "GOFLAGS=-mod=mod", "GOWORK=off", "CGO_ENABLED=1")
			if msg, err := cmd.CombinedOutput(); err != nil {
				t.Skipf("building Delve's plugin fixtures: %v\n%s", err, msg)
			}
		}
		os.RemoveAll(out)
		if err := os.Rename(tmp, out); err != nil && !os.IsExist(err) {
			t.Fatal(err)
		}
	}
	src := filepath.Join(dir, "plugin2", "plugin2.go")
	cmds := fmt.Sprintf("break %s:23\nbreak plugintest2.go:35\ncontinue\nbreakpoints\ncontinue\n", src)
	got, code := run(t, cmds, "exec", bin, "--", filepath.Join(out, "plugin1.so"), filepath.Join(out, "plugin2.so"))
	if code != 0 {
		t.Fatalf("exit %d\n%s", code, got)
	}
	for _, want := range []string{
		"Breakpoint 1 pending: ",
		"[Breakpoint 1 set at " + src + ":23 in plugin2.so]",
		"[Breakpoint 1] " + src + ":23 at github.com/go-delve/delve/_fixtures/plugin2.TypesTest() ",
		"> [Breakpoint 1] github.com/go-delve/delve/_fixtures/plugin2.TypesTest() " + src + ":23 ",
	} {
		if !strings.Contains(got, want) {
			t.Errorf("output lacks %q", want)
		}
	}
	if i, j := strings.Index(got, "[Breakpoint 1 set at"), strings.Index(got, "> [Breakpoint 2] main.main()"); i < 0 || j < 0 || i > j {
		t.Errorf("the breakpoint is not set by the time the program stops at line 35")
	}
	if t.Failed() {
		t.Log(got)
	}
}
