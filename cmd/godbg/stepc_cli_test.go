package main

import (
	"os/exec"
	"regexp"
	"strings"
	"testing"

	"github.com/godbg/godbg/internal/fixtures"
)

// In -O2 C code, step and next stop once per line, at statement starts,
// as gdb does: gcc interleaves the rows of neighbouring lines, and a stop
// at every change of line stopped twice on one line (main's 21, 19, 21)
// and at lines gdb never shows.
func TestStepOptimisedCOncePerLine(t *testing.T) {
	bin := fixtures.Build(t, "stepo2.c", "-O2")
	cases := []struct {
		at, cmd string
		n       int
	}{
		{"main", "next", 14},
		{"work", "step", 10}, // the 11th goes into printf, which gdb enters (libc's lines) and godbg does not (no source)
	}
	for _, c := range cases {
		cmds := []string{"break " + c.at, "continue"}
		for range c.n {
			cmds = append(cmds, c.cmd)
		}
		out, _ := run(t, strings.Join(cmds, "\n")+"\n", "exec", bin)
		var got []string
		for _, ev := range seqEvents(out) { // the launch stop in ld.so has no function: not listed
			got = append(got, ev[strings.Index(ev, ":")+1:])
		}
		for i := 1; i < len(got); i++ {
			if got[i] == got[i-1] {
				t.Errorf("%s from %s stopped twice in a row on line %s: %v", c.cmd, c.at, got[i], got)
			}
		}
		if len(got) != c.n+1 {
			t.Fatalf("%s from %s: %d stops, want %d: %v\n%s", c.cmd, c.at, len(got), c.n+1, got, out)
		}
		gdb, err := exec.LookPath("gdb")
		if err != nil {
			t.Logf("no gdb to compare with: %v", got)
			continue
		}
		args := []string{"-nx", "-batch", "-ex", "break " + c.at, "-ex", "run"}
		for range c.n {
			args = append(args, "-ex", c.cmd)
		}
		g, _ := exec.Command(gdb, append(args, bin)...).CombinedOutput()
		want := regexp.MustCompile(`(?m)^(\d+)\t`).FindAllStringSubmatch(string(g), -1)
		var wl []string
		for _, m := range want {
			wl = append(wl, m[1])
		}
		if strings.Join(wl, " ") != strings.Join(got, " ") {
			t.Errorf("%s from %s stopped at lines %v, gdb at %v", c.cmd, c.at, got, wl)
		}
	}
}
