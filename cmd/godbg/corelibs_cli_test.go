package main

import (
	"path/filepath"
	"regexp"
	"strings"
	"testing"

	"github.com/godbg/godbg/internal/fixtures"
)

// TestCoreLibrariesFromNTFile: a core file's shared libraries come from
// its NT_FILE note (model, issue 12): libraries and threads list in the
// core what they listed in the live session that dumped it.
func TestCoreLibrariesFromNTFile(t *testing.T) {
	bin := fixtures.Build(t, "bpfix.c")
	path := filepath.Join(t.TempDir(), "bpfix.core")
	live, code := run(t, "break hot\ncontinue\nlibraries\nthreads\ndump "+path+"\n", "exec", bin)
	if code != 0 || !strings.Contains(live, "Core file written to "+path) {
		t.Fatalf("dump: exit %d\n%s", code, live)
	}
	out, code := run(t, "libraries\nthreads\nexit\n", "core", bin, path)
	if code != 0 {
		t.Fatalf("core: exit %d\n%s", code, out)
	}
	libs := regexp.MustCompile(`(?m)^\d+\. 0x[0-9a-f]+ \S+$`)
	threads := regexp.MustCompile(`(?m)^[ *] Thread \d+ at 0x[0-9a-f]+ .* from \S+`)
	for _, rx := range []*regexp.Regexp{libs, threads} {
		want, got := rx.FindAllString(live, -1), rx.FindAllString(out, -1)
		if len(want) == 0 || strings.Join(want, "\n") != strings.Join(got, "\n") {
			t.Errorf("the core lists\n%s\nthe live process listed\n%s", strings.Join(got, "\n"), strings.Join(want, "\n"))
		}
	}
	if !regexp.MustCompile(`(?m)^\d+\. 0x[0-9a-f]+ \S*/libc\.so`).MatchString(out) {
		t.Errorf("the core lists no libc:\n%s", out)
	}
}
