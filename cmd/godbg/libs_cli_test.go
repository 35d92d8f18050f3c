package main

import (
	"strings"
	"testing"

	"github.com/godbg/godbg/internal/fixtures"
)

// Locations inside shared libraries name the library (and the function
// when it exports one) instead of a bare "??".
func TestSharedLibraryLocations(t *testing.T) {
	bin := fixtures.Build(t, "bpfix.c")
	out, code := run(t, "threads\nbreak hot\ncontinue\nstack\nlibraries\n", "exec", bin, "--", "1", "1")
	if code != 0 {
		t.Fatalf("exit %d\n%s", code, out)
	}
	for _, want := range []string{
		"from ld-linux-x86-64.so.2", // the launch stop is in the dynamic loader
		" in worker\n",              // the thread function, called from libc
		" from libc.so.6\n",         // start_thread and clone3 in libc
		"/libc.so.6\n",              // libraries
		"/ld-linux-x86-64.so.2\n",
	} {
		if !strings.Contains(out, want) {
			t.Errorf("output lacks %q", want)
		}
	}
	if t.Failed() {
		t.Log(out)
	}
}

// A breakpoint on a library function, set before the library is loaded:
// pending, then set when the dynamic loader reports the new library.
func TestBreakpointInSharedLibrary(t *testing.T) {
	bin := fixtures.Build(t, "bpfix.c")
	out, code := run(t, "break write\ncontinue\nstack\nbreak nosuchfunction\ncontinue\n", "exec", bin, "--", "1", "1")
	if code != 0 {
		t.Fatalf("exit %d\n%s", code, out)
	}
	for _, want := range []string{
		"Breakpoint 1 pending: write is not in the current program",
		"[Breakpoint 1 set at write in libc.so.6]",
		"> [Breakpoint 1] __write+0x0 from libc.so.6 (hits",
		" in _IO_file_write from libc.so.6\n",
		" in _start\n",
		// Once the program runs, an unknown name is an error again.
		"Command failed: no function matches nosuchfunction",
		"sum 1",
	} {
		if !strings.Contains(out, want) {
			t.Errorf("output lacks %q", want)
		}
	}
	if t.Failed() {
		t.Log(out)
	}
}
