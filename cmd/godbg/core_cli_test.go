package main

import (
	"os"
	"path/filepath"
	"regexp"
	"strconv"
	"strings"
	"testing"

	"github.com/godbg/godbg/internal/fixtures"
)

// dump writes a core of gorofix stopped in main.stopHere; it returns the
// core's path and the live session's output.
func dumpGorofix(t *testing.T, bin string) (string, string) {
	t.Helper()
	path := filepath.Join(t.TempDir(), "gorofix.core")
	out, code := run(t, "break main.stopHere\ncontinue\ndump "+path+"\nthreads\ngoroutines\n", "exec", bin, "--", "5")
	if code != 0 || !strings.Contains(out, "Core file written to "+path) {
		t.Fatalf("dump: exit %d\n%s", code, out)
	}
	return path, out
}

func TestDumpThenCore(t *testing.T) {
	bin := fixtures.Build(t, "gorofix")
	path, live := dumpGorofix(t, bin)
	out, code := run(t, "threads\ngoroutines\nstack\nargs\nprint main.stopping\ncontinue\nnext\nset id = 1\nexit\n", "core", bin, path)
	if code != 0 {
		t.Fatalf("core: exit %d\n%s", code, out)
	}
	caller := regexp.MustCompile(`(?m)^caller (\d+)$`).FindStringSubmatch(live)
	if caller == nil {
		t.Fatalf("no caller line:\n%s", live)
	}
	// The same threads and goroutines as the live session listed.
	// (A thread's state says why it stopped: live "breakpoint", "stopped" in the core.)
	for _, re := range []string{`(?m)^[ *] Thread (\d+) at 0x[0-9a-f]+ [^\[]*`, `(?m)^[ *] Goroutine (\d+) - .*$`} {
		rx := regexp.MustCompile(re)
		want, got := rx.FindAllString(live, -1), rx.FindAllString(out, -1)
		if strings.Join(want, "\n") != strings.Join(got, "\n") {
			t.Errorf("the core lists\n%s\nthe live process listed\n%s", strings.Join(got, "\n"), strings.Join(want, "\n"))
		}
	}
	for _, want := range []string{
		"Core file " + path + " of process",
		"> main.stopHere() ",
		"in main.caller",
		"id = " + caller[1],
		"sync/atomic.Int64 {",
		"a core file cannot run; continue needs a live process",
	} {
		if !strings.Contains(out, want) {
			t.Errorf("core session lacks %q", want)
		}
	}
	if n := strings.Count(out, "needs a live process"); n < 2 { // continue, next
		t.Errorf("%d refusals of live-only commands, want 2", n)
	}
	if !strings.Contains(out, "cannot set id") {
		t.Errorf("set in a core did not fail")
	}
	if t.Failed() {
		t.Log(out)
	}
}

func TestCoreRefusesWrongFiles(t *testing.T) {
	bin := fixtures.Build(t, "gorofix")
	other := fixtures.Build(t, "stepfix")
	path, _ := dumpGorofix(t, bin)
	out, code := run(t, "", "core", other, path)
	if code != 1 || !strings.Contains(out, "was not dumped by executable "+other) {
		t.Errorf("mismatched pair: exit %d\n%s", code, out)
	}
	empty := filepath.Join(t.TempDir(), "empty.core")
	os.WriteFile(empty, nil, 0o644)
	for _, c := range []struct{ core, want string }{
		{empty, empty},
		{bin, "not a core file"},
		{"/nonexistent.core", "/nonexistent.core"},
	} {
		out, code := run(t, "", "core", bin, c.core)
		if code != 1 || !strings.Contains(out, c.want) || strings.Contains(out, "panic") {
			t.Errorf("core %s: exit %d\n%s", c.core, code, out)
		}
	}
}

// dump from an attached process: the core opens, and the process keeps
// running untraced afterwards.
func TestDumpAttached(t *testing.T) {
	bin := fixtures.Build(t, "sleepers.c")
	fx := fixtures.Start(t, bin, "3")
	path := filepath.Join(t.TempDir(), "sleepers.core")
	out, code := run(t, "dump "+path+"\n", "attach", strconv.Itoa(fx.Pid))
	if code != 0 || !strings.Contains(out, "Core file written to "+path) {
		t.Fatalf("dump: exit %d\n%s", code, out)
	}
	checkRunning(t, fx.Pid)
	out, code = run(t, "threads\n", "core", bin, path)
	if code != 0 || strings.Count(out, " Thread ") != 4 {
		t.Fatalf("core of the attached process: exit %d, want 4 threads\n%s", code, out)
	}
}
