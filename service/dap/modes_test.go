package dap_test

import (
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	godap "github.com/google/go-dap"

	"github.com/godbg/godbg/internal/fixtures"
	"github.com/godbg/godbg/service/debugger"
)

// TestEnvFile: envFile's variables reach the program; env wins over it.
func TestEnvFile(t *testing.T) {
	bin := fixtures.Build(t, dapfix)
	file := filepath.Join(t.TempDir(), "vars.env")
	os.WriteFile(file, []byte("# comment\n\nexport DAPFIX=\"from file\"\nOTHER='x'\n"), 0o600)
	for _, tc := range []struct {
		env  map[string]any
		want string
	}{{nil, "env=from file "}, {map[string]any{"DAPFIX": "from env"}, "env=from env "}} {
		c := dial(t, "tcp", startServer(t))
		c.initialize()
		c.ok("launch", map[string]any{"mode": "exec", "program": bin, "args": []string{"env"}, "envFile": file, "env": tc.env})
		c.event("initialized", 10*time.Second)
		c.ok("configurationDone", nil)
		c.event("exited", 30*time.Second)
		waitOutput(t, c, tc.want)
		c.ok("disconnect", nil)
	}
	c := dial(t, "tcp", startServer(t))
	c.initialize()
	c.fail("launch", map[string]any{"mode": "exec", "program": bin, "envFile": "/no/such.env"}, "envFile")
	c.fail("launch", map[string]any{"mode": "exec", "program": bin, "console": "bogus"}, `console "bogus"`)
	c.fail("launch", map[string]any{"mode": "exec", "program": bin, "showLog": true, "logOutput": "debugger"}, `logs only the "dap" layer`)
	c.fail("launch", map[string]any{"mode": "exec", "program": bin, "console": "integratedTerminal"}, "needs the godbg dap command")
	os.WriteFile(file, []byte("JUSTAWORD\n"), 0o600)
	c.fail("launch", map[string]any{"mode": "exec", "program": bin, "envFile": file}, `vars.env:1: "JUSTAWORD" is not KEY=VALUE`)
}

// TestModeTest: mode "test" builds a package's tests (to output, which
// stays); -test.run in args picks the test, which stops at a breakpoint
// in the package.
func TestModeTest(t *testing.T) {
	pkg := filepath.Join(fixtures.Root(), "service", "dap", "testdata", "daptest")
	c := dial(t, "tcp", startServer(t))
	c.initialize()
	out := filepath.Join(t.TempDir(), "daptest.test")
	c.ok("launch", map[string]any{"mode": "test", "program": pkg, "args": []string{"-test.run", "TestTwo", "-test.v"}, "output": out})
	c.event("initialized", 60*time.Second)
	c.ok("setFunctionBreakpoints", map[string]any{"breakpoints": []map[string]any{{"name": "github.com/godbg/godbg/service/dap/testdata/daptest.square"}}})
	c.ok("configurationDone", nil)
	st := c.stopped()
	frames := c.stack(st.Body.ThreadId, 0, 2).StackFrames
	if len(frames) != 2 || !strings.HasSuffix(frames[0].Name, "daptest.square") || !strings.HasSuffix(frames[1].Name, "daptest.TestTwo") {
		t.Fatalf("stopped at %+v", frames)
	}
	if v := c.eval("n", frames[0].Id, "watch"); v.Result != "3" {
		t.Errorf("n = %+v", v)
	}
	c.ok("setFunctionBreakpoints", map[string]any{"breakpoints": []any{}})
	c.ok("continue", nil)
	c.event("exited", 30*time.Second)
	text := waitOutput(t, c, "PASS")
	if strings.Contains(text, "TestOne") || !strings.Contains(text, "TestTwo 9") {
		t.Errorf("test output: %q", text)
	}
	c.ok("disconnect", nil)
	if fi, err := os.Stat(out); err != nil || fi.Mode()&0o100 == 0 {
		t.Errorf("the test binary at output %s: %v %v", out, fi, err)
	}
}

// TestModeCore: mode "core" opens a core file dumped at main.stop: the
// stack and the variables are there; running is refused.
func TestModeCore(t *testing.T) {
	bin := fixtures.Build(t, dapfix)
	core := filepath.Join(t.TempDir(), "dapfix.core")
	d, _, err := debugger.New(debugger.Config{Path: bin, Args: []string{"big"}})
	if err != nil {
		t.Fatal(err)
	}
	if _, err := d.CreateBreakpoint("", "main.stop", ""); err != nil {
		t.Fatal(err)
	}
	if _, err := d.Continue(); err != nil {
		t.Fatal(err)
	}
	err = d.Dump(core)
	d.Close()
	if err != nil {
		t.Fatal(err)
	}
	c := dial(t, "tcp", startServer(t))
	c.initialize()
	c.fail("launch", map[string]any{"mode": "core", "program": bin}, "coreFilePath")
	c.ok("launch", map[string]any{"mode": "core", "program": bin, "coreFilePath": core})
	c.event("initialized", 10*time.Second)
	c.ok("configurationDone", nil)
	st := c.stopped()
	frames := c.stack(st.Body.ThreadId, 0, 2).StackFrames
	if len(frames) != 2 || frames[0].Name != "main.stop" || frames[1].Name != "main.big" {
		t.Fatalf("core stack: %+v", frames)
	}
	if v := find(t, c.vars(c.scope(frames[1].Id, "Locals"), nil), "p"); !strings.Contains(v.Value, `"two"`) {
		t.Errorf("p in the core: %+v", v)
	}
	c.ok("continue", nil)
	if m := c.next(10*time.Second, "the answer to continue"); m != nil {
		if st, ok := m.(*godap.StoppedEvent); ok && st.Body.Reason != "pause" {
			t.Errorf("continue in a core: %+v", st.Body)
		}
	}
	c.ok("disconnect", nil)
}
