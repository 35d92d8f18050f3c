package core

import (
	"fmt"
	"os/exec"
	"path/filepath"
	"regexp"
	"strings"
	"testing"
)

var gdbThread = regexp.MustCompile(`(?m)^\*?\s+\d+\s+(?:LWP|Thread) `)

// gdbOn runs gdb in batch mode on exe and core with the given commands.
func gdbOn(t *testing.T, exe, core string, cmds ...string) string {
	t.Helper()
	if _, err := exec.LookPath("gdb"); err != nil {
		t.Skip("gdb is not installed")
	}
	args := []string{"-nx", "-batch", "-iex", "set auto-load no"}
	for _, c := range cmds {
		args = append(args, "-ex", c)
	}
	out, err := exec.Command("gdb", append(args, exe, core)...).CombinedOutput()
	if err != nil {
		t.Fatalf("gdb: %v\n%s", err, out)
	}
	return string(out)
}

// checkGdbOutput fails on the messages gdb prints for a core it cannot use.
func checkGdbOutput(t *testing.T, exe, out string, threads int) {
	t.Helper()
	for _, bad := range []string{"not a core dump", "may not match", "Cannot access memory", "warning: Couldn't find general-purpose registers", "Error"} {
		// Without a build ID it finds in the core, gdb compares the
		// executable's name with the 15-character comm in NT_PRPSINFO: it
		// warns for the kernel's cores of long-named programs too.
		if bad == "may not match" && len(filepath.Base(exe)) > 15 {
			continue
		}
		if strings.Contains(out, bad) {
			t.Errorf("gdb says %q:\n%s", bad, out)
		}
	}
	if n := len(gdbThread.FindAllString(out, -1)); n != threads {
		t.Errorf("gdb lists %d threads, want %d:\n%s", n, threads, out)
	}
}

func TestGdbReadsGoDump(t *testing.T) {
	l := cachedDump(t, "corefix")
	out := gdbOn(t, l.bin, l.core, "info threads", "bt 3", fmt.Sprintf("x/s %#x", l.addrs[0]))
	checkGdbOutput(t, l.bin, out, len(l.tids))
	if want := fmt.Sprintf("corefix marker pid=%d", l.pid); !strings.Contains(out, want) {
		t.Errorf("gdb does not show the marker %q:\n%s", want, out)
	}
}

func TestGdbReadsCDump(t *testing.T) {
	l := cachedDump(t, "sleepers.c")
	out := gdbOn(t, l.bin, l.core, "info threads", "thread 1", "bt")
	checkGdbOutput(t, l.bin, out, len(l.tids))
	if !strings.Contains(out, " main (") {
		t.Errorf("gdb backtraces do not reach main:\n%s", out)
	}
}
