package main

import (
	"math/rand"
	"os"
	"path/filepath"
	"regexp"
	"strings"
	"testing"

	"github.com/godbg/godbg/internal/fixtures"
)

// TestQABadInputErrors: input found wrong by adversarial QA gets an error
// naming what was wrong, and the session goes on.
func TestQABadInputErrors(t *testing.T) {
	bin := fixtures.Build(t, "stepfix")
	dir := t.TempDir()
	loop := filepath.Join(dir, "loop.txt")
	if err := os.WriteFile(loop, []byte("print 40+2\nsource "+loop+"\n"), 0o644); err != nil {
		t.Fatal(err)
	}
	s := start(t, "exec", bin, "all")
	s.expect(`^Process \d+ launched`)
	s.send("break main.fact")
	s.expect(`^Breakpoint 1 set at main\.fact\(\)`)
	s.send("continue")
	s.expect(`^> \[Breakpoint 1\] main\.fact\(\)`)
	for _, c := range []struct{ cmd, want string }{
		// A directory was read as an empty command file: nothing happened.
		{"source " + dir, `^Command failed: source: .* is a directory; give a file of commands$`},
		// A file sourcing itself ran until the process ran out of files.
		{"source " + loop, `^Command failed: source .*loop\.txt: sources are nested 32 deep; does a file source itself\?$`},
		// The extra arguments were silently dropped.
		{"restart -noargs x", `^Command failed: restart -noargs takes no other arguments`},
		// An unknown command was accepted and failed at every stop.
		{"on 1 nosuch", `^Command failed: on 1: unknown command "nosuch"`},
		// trace alone showed break's usage.
		{"trace", `^Command failed: usage: trace \[name\] <location>`},
		// An untyped constant argument was named as "it is , the parameter is int".
		{`call main.fact("x")`, `^Command failed: cannot call main\.fact: argument 1 \("x"\): it is an untyped string constant, the parameter is int$`},
		// toggle alone disabled some breakpoint without a name.
		{"toggle", `^Command failed: usage: toggle <id\|name>`},
		{"breakpoints", `^\[Breakpoint 1\] main\.fact at .*\(PC: 0x[0-9a-f]+\)$`},
		// An unknown verb printed %!z(int64=4)z.
		{"print %zz n", `^Command failed: bad format "%zz": give one verb`},
		{"display -a %s%s n", `^Command failed: bad format "%s%s"`},
		{"print %04b n", `^0100$`},
		// down past frame 0 spoke of frame -99999.
		{"down 99999", `^Command failed: down 99999: the selected frame is 0, so down goes at most 0`},
		// A 1 MB line came back whole in the error (and broke line readers).
		{strings.Repeat("x", 1<<20), `^Command failed: unknown command "x{100,}… \(\d+ more bytes of the message left out\)$`},
	} {
		s.send(c.cmd)
		s.expect(c.want)
	}
	if n := len(regexp.MustCompile(`(?m)^42$`).FindAllString(s.output(), -1)); n != 32 {
		t.Errorf("the self-sourcing file ran %d times, want 32", n)
	}
	s.send("print n")
	s.expect(`^4$`)
	s.send("exit")
	if code := s.end(); code != 0 {
		t.Errorf("exit status %d", code)
	}
}

// TestQABadStartArgs: bad arguments before a session starts give exit 1
// and a clear message.
func TestQABadStartArgs(t *testing.T) {
	for _, c := range []struct {
		args []string
		want string
	}{
		// An --init directory was accepted and did nothing.
		{[]string{"exec", "--init", t.TempDir(), "/bin/true"}, `--init .* is a directory; give a file of commands`},
		// A bad regular expression was found only after a build.
		{[]string{"trace", "/nonexistent/pkg", "("}, `invalid regular expression "\(": .*missing closing \)`},
		// The build went to DIR.new, left there when the rename failed.
		{[]string{"debug", "/nonexistent/pkg", "--output", t.TempDir()}, `--output .* is a directory; give the path of the binary to write`},
		// A directory was said to be readable by others.
		{[]string{"exec", "--headless", "--auth-token-file", t.TempDir(), "/bin/true"}, `--auth-token-file .* is a directory; give the file that holds the token`},
	} {
		out, code := run(t, "", c.args...)
		if code != 1 || !regexp.MustCompile(c.want).MatchString(out) || strings.Contains(out, "goroutine ") {
			t.Errorf("godbg %v: exit %d, output:\n%s\nwant exit 1 and %q", c.args, code, out, c.want)
		}
	}
}

// TestQARandomLines feeds random command lines to a stopped program:
// nothing panics and the session still answers at the end.
func TestQARandomLines(t *testing.T) {
	bin := fixtures.Build(t, "stepfix")
	cmds := strings.Fields("jump on catch breakpoints clear condition toggle watch threads thread " +
		"goroutines goroutine stack frame up down regs x print locals args vars whatis display set call funcs sources " +
		"list disassemble packages types help config handle target trace break")
	toks := []string{"-1", "0", "2", "99999999999999999999", "abc", "main.main", "main.sink", "main.go:20", "+1", "*0",
		"$rsp", "$nosuch", `"`, "'", "`", "(", ")", "[", "=", "if", "-a", "-d", "-r", "-rw", "-l", "-count", "-size",
		"-save", "-hitcount", "-clear", "%x", "nil", "len(", "x.y", "*p", "&x", "1<<63", "\x00", "\xff", "/", "/nonexistent",
		"max-string-len", "aliases", "SIGUSR1", "main.fact(2)", "[]int{1}", "func(){}", "x.(int)", "-unsafe"}
	rng := rand.New(rand.NewSource(1))
	var in strings.Builder
	in.WriteString("break main.shared\ncontinue\n")
	for i := 0; i < 600; i++ {
		parts := []string{cmds[rng.Intn(len(cmds))]}
		for k := rng.Intn(4); k > 0; k-- {
			parts = append(parts, toks[rng.Intn(len(toks))])
		}
		in.WriteString(strings.Join(parts, " ") + "\n")
	}
	in.WriteString("print 6*7\nexit\n")
	out, code := run(t, in.String(), "exec", bin, "all")
	// A Go panic or fatal error of godbg itself starts a line so.
	if loc := regexp.MustCompile(`(?m)^(panic: |fatal error: |goroutine \d+ \[)`).FindStringIndex(out); loc != nil {
		t.Errorf("a Go panic in the output:\n%s", out[max(0, loc[0]-1000):min(len(out), loc[0]+2000)])
	}
	if code != 0 || !regexp.MustCompile(`(?m)^42$`).MatchString(out) {
		t.Errorf("exit %d, want 0 and the answer 42 to the last print; output ends:\n%s", code, out[max(0, len(out)-3000):])
	}
}
