package main

import (
	"bytes"
	"fmt"
	"os"
	"os/exec"
	"path/filepath"
	"regexp"
	"runtime"
	"strconv"
	"strings"
	"sync"
	"syscall"
	"testing"
	"time"

	"github.com/godbg/godbg/internal/fixtures"
)

var testfix struct {
	once sync.Once
	bin  string
	err  error
}

// testfixBin is the fixture module's test binary, built once for the tests
// that debug it with exec rather than through godbg test.
func testfixBin(t *testing.T) string {
	t.Helper()
	testfix.once.Do(func() {
		testfix.bin = filepath.Join(filepath.Dir(godbgBin), "calc.test")
		cmd := exec.Command("go", "test", "-c", "-gcflags=all=-N -l", "-o", testfix.bin, ".")
		cmd.Dir = fixtures.Source("testfix")
		if out, err := cmd.CombinedOutput(); err != nil {
			testfix.err = fmt.Errorf("%v: %s", err, out)
		}
	})
	if testfix.err != nil {
		t.Fatal(testfix.err)
	}
	return testfix.bin
}

// runIn runs godbg in dir with extra environment variables.
func runIn(t *testing.T, dir string, env []string, stdin string, args ...string) (string, int) {
	t.Helper()
	cmd := exec.Command(godbgBin, args...)
	cmd.Dir, cmd.Env = dir, append(os.Environ(), env...)
	cmd.Stdin = strings.NewReader(stdin)
	var out bytes.Buffer
	cmd.Stdout, cmd.Stderr = &out, &out
	cmd.Run()
	return out.String(), cmd.ProcessState.ExitCode()
}

func TestVersion(t *testing.T) {
	meta, err := exec.Command("go", "version", "-m", godbgBin).Output()
	if err != nil {
		t.Fatal(err)
	}
	want := "unknown"
	if m := regexp.MustCompile(`vcs.revision=(\S+)`).FindSubmatch(meta); m != nil {
		want = string(m[1])
	}
	for _, arg := range []string{"version", "--version"} {
		out, code := run(t, "", arg)
		if code != 0 || !strings.Contains(out, "Go: "+runtime.Version()+"\n") ||
			!regexp.MustCompile(`(?m)^Version: \S+$`).MatchString(out) || !strings.Contains(out, "Build: "+want) {
			t.Errorf("godbg %s: exit %d, want Build: %s, Go: %s:\n%s", arg, code, want, runtime.Version(), out)
		}
	}
}

// TestTestFixtureModule debugs the tests of a module of its own: breakpoints
// by test function and by _test.go line, the package directory as the
// working directory, --output, and nothing left behind.
func TestTestFixtureModule(t *testing.T) {
	pkg := fixtures.Source("testfix")
	tmp := t.TempDir()
	bin := filepath.Join(tmp, "out", "calc.test")
	os.Mkdir(filepath.Dir(bin), 0o755)
	line := sourceLine(t, "testfix/calc_test.go", "the add line")
	s := startIn(t, t.TempDir(), []string{"TMPDIR=" + tmp}, "test", "--output", bin, pkg, "--", "-run", "TestAdd", "-v")
	pid, _ := strconv.Atoi(s.expect(`^Process (\d+) launched`)[1])
	if exe, _ := os.Readlink("/proc/" + strconv.Itoa(pid) + "/exe"); exe != bin {
		t.Errorf("/proc/%d/exe is %q, want --output %s", pid, exe, bin)
	}
	s.send("break calc.TestAdd")
	s.send("continue")
	s.expect(`^> \[Breakpoint 1\] example.com/calc.TestAdd\(\) .*calc_test.go:\d+`)
	s.send("break calc_test.go:" + strconv.Itoa(line))
	s.send("continue")
	s.expect(`^TestAdd wd ` + regexp.QuoteMeta(pkg) + `$`)
	s.expect(`^> \[Breakpoint 2\] .*calc_test.go:` + strconv.Itoa(line) + ` `)
	s.send("print wd")
	s.expect(`^"` + regexp.QuoteMeta(pkg) + `"$`)
	s.send("next")
	s.send("print got")
	s.expect(`^5$`)
	if code := s.end(); code != 0 {
		t.Fatalf("exit %d:\n%s", code, s.output())
	}
	if alive(pid) {
		t.Errorf("test binary %d still runs after the session", pid)
	}
	if left, _ := filepath.Glob(filepath.Join(tmp, "*", "*")); len(left) > 0 {
		t.Errorf("left behind: %v", left)
	}
	if left, _ := filepath.Glob(filepath.Join(tmp, "godbg-*")); len(left) > 0 {
		t.Errorf("left behind: %v", left)
	}
}

// TestTestRepoPackage runs a package of this repository's tests with
// --continue, short test flags and its output redirected.
func TestTestRepoPackage(t *testing.T) {
	root := filepath.Dir(fixtures.Source(""))
	var want []string
	srcs, _ := filepath.Glob(filepath.Join(root, "pkg", "locspec", "*_test.go"))
	for _, f := range srcs {
		b, _ := os.ReadFile(f)
		for _, m := range regexp.MustCompile(`(?m)^func ((?:Test|Fuzz)\w+)\(`).FindAllSubmatch(b, -1) {
			want = append(want, string(m[1]))
		}
	}
	outFile := filepath.Join(t.TempDir(), "list.txt")
	out, code := runIn(t, root, nil, "", "test", "--continue", "-r", "stdout:"+outFile, "./pkg/locspec", "--", "-list", ".")
	got, _ := os.ReadFile(outFile)
	if code != 0 || !strings.Contains(out, "has exited with status 0") {
		t.Fatalf("exit %d:\n%s", code, out)
	}
	for _, name := range want {
		if !regexp.MustCompile(`(?m)^` + name + `$`).Match(got) {
			t.Errorf("test list lacks %s:\n%s", name, got)
		}
	}
}

func TestTestDoesNotCompile(t *testing.T) {
	out, code := run(t, "", "test", fixtures.Source("testfix/broken"))
	if code != 1 || !strings.Contains(out, "undefined: undefinedName") || !strings.Contains(out, "fix the build errors") {
		t.Fatalf("exit %d:\n%s", code, out)
	}
}

// TestExecWdRedirect: --wd is the program's directory; -r gives it files
// as stdin and stdout.
func TestExecWdRedirect(t *testing.T) {
	dir := t.TempDir()
	in, out := filepath.Join(dir, "in"), filepath.Join(dir, "out")
	os.WriteFile(in, []byte("hello through stdin\n"), 0o644)
	o, code := run(t, "", "exec", "--continue", "--wd", dir, "-r", in, "-r", "stdout:"+out, "/bin/sh", "--", "-c", "pwd; cat")
	got, _ := os.ReadFile(out)
	if code != 0 || string(got) != dir+"\nhello through stdin\n" {
		t.Fatalf("exit %d, program wrote %q:\n%s", code, got, o)
	}
	if o, code := run(t, "", "exec", "--wd", filepath.Join(dir, "none"), "/bin/true"); code != 1 || !strings.Contains(o, "--wd") {
		t.Fatalf("bad --wd: exit %d:\n%s", code, o)
	}
}

// TestHelpSummariesAreSentences: each summary help prints is the whole
// first sentence of what help <command> prints.
func TestHelpSummariesAreSentences(t *testing.T) {
	out, _ := run(t, "help\n", "exec", "/bin/true")
	summaries := map[string]string{}
	var cur string
	for _, l := range strings.Split(out, "\n") {
		if m := regexp.MustCompile(`^    (\S+)(?: \([^)]*\))? +(\S.*)$`).FindStringSubmatch(l); m != nil {
			cur = m[1]
			summaries[cur] = m[2]
		} else if strings.HasPrefix(l, strings.Repeat(" ", 27)) && cur != "" {
			summaries[cur] += " " + strings.TrimSpace(l)
		}
	}
	if len(summaries) < 30 {
		t.Fatalf("help listed %d commands:\n%s", len(summaries), out)
	}
	var stdin strings.Builder
	for name := range summaries {
		stdin.WriteString("help " + name + "\n")
	}
	full, _ := run(t, stdin.String(), "exec", "/bin/true")
	flat := strings.Join(strings.Fields(full), " ")
	for name, s := range summaries {
		if !strings.HasSuffix(s, ".") && !strings.HasSuffix(s, ".)") {
			t.Errorf("summary of %s does not end a sentence: %q", name, s)
		}
		if !strings.Contains(flat, s) {
			t.Errorf("summary of %s is not in help %s: %q", name, name, s)
		}
	}
}

func TestSubcommandHelpHasExamples(t *testing.T) {
	out, _ := run(t, "", "--help")
	if !strings.Contains(out, "godbg completion bash") {
		t.Errorf("godbg --help does not mention shell completion:\n%s", out)
	}
	subs := regexp.MustCompile(`(?m)^  (\w+) {2,}`).FindAllStringSubmatch(out, -1)
	for _, m := range subs {
		if m[1] == "help" {
			continue
		}
		o, _ := run(t, "", m[1], "--help")
		if !regexp.MustCompile(`(?m)^Examples:\n  (godbg|source) `).MatchString(o) {
			t.Errorf("godbg %s --help has no examples:\n%s", m[1], o)
		}
	}
	if len(subs) < 8 {
		t.Errorf("only %d subcommands listed:\n%s", len(subs), out)
	}
}

// TestSourceScripts: a command file, a Starlark script with Delve's
// builtins (dlv_command, eval, write_file, command_ functions, main), the
// Starlark REPL, and each kind of error, after which the session goes on.
func TestSourceScripts(t *testing.T) {
	dir := t.TempDir()
	line := strconv.Itoa(sourceLine(t, "testfix/calc_test.go", "the add line"))
	files := map[string]string{
		"cmds.txt": "# a comment\nbreak calc_test.go:" + line + "\ncontinue\n",
		"ok.star": `
def command_gotplus(n):
	"Prints got plus n."
	print("got+n =", int(eval(None, "got").Variable.Value) + n)

def main():
	dlv_command("next")
	v = eval(None, "got").Variable
	write_file("` + dir + `/got.txt", v.Value)
	print("breakpoint at line", breakpoints().Breakpoints[-1].Locations[0].Line)
	create_breakpoint({"FunctionName": "calc.Add", "Name": "sp"})
	print("named", get_breakpoint(Name="sp").Breakpoint.Spec, json.encode({"attached": attached_to_existing_process().Answer}))
`,
		"syntax.star":  "def f(:\n",
		"runtime.star": "x = 1\nprint(no_such_name)\n",
	}
	for name, text := range files {
		os.WriteFile(filepath.Join(dir, name), []byte(text), 0o644)
	}
	stdin := "source " + dir + "/cmds.txt\nsource " + dir + "/ok.star\ngotplus 10\n" +
		"source " + dir + "/missing.txt\nsource " + dir + "/syntax.star\nsource " + dir + "/runtime.star\n" +
		"source -\nx = 4\nfor i in range(2):\n  print('loop', i * x)\n\ndlv_command('print got')\nexit()\nprint got + 1\n"
	out, code := run(t, stdin, "exec", testfixBin(t))
	got, _ := os.ReadFile(filepath.Join(dir, "got.txt"))
	for _, want := range []string{
		"breakpoint at line " + line + "\n", "got+n = 15\n", "named calc.Add {\"attached\":false}\n",
		"Command failed: source: open " + dir + "/missing.txt: no such file or directory\n",
		"Command failed: " + dir + "/syntax.star:1:8: got ':', want ')'",
		"Command failed: " + dir + "/runtime.star:2:7: undefined: no_such_name",
		"loop 0\n", "loop 4\n", "\n5\n", "\n6\n",
	} {
		if !strings.Contains(out, want) {
			t.Errorf("no %q in output", want)
		}
	}
	if code != 0 || string(got) != "5" {
		t.Errorf("exit %d, write_file wrote %q:\n%s", code, got, out)
	}
}

// TestTranscriptAndSavedBreakpoints: transcript records commands and
// output until -off; breakpoints -save writes a file that source restores
// in a new session with its condition, hit condition and on command.
func TestTranscriptAndSavedBreakpoints(t *testing.T) {
	dir := t.TempDir()
	tr, saved := filepath.Join(dir, "transcript.txt"), filepath.Join(dir, "bps.txt")
	os.WriteFile(tr, []byte("old\n"), 0o644)
	line := strconv.Itoa(sourceLine(t, "testfix/calc_test.go", `"TestAdd got"`))
	bin := testfixBin(t)
	out, _ := run(t, "transcript -t "+tr+"\nbreak addbp calc.Add if a == 2\nbreak calc_test.go:"+line+
		"\ncondition -hitcount 2 >= 1\non 2 print got + 100\nbreakpoints -save "+saved+
		"\ntranscript -off\nprint 12345\ntranscript "+dir+"/no/such/dir\n", "exec", bin)
	text, _ := os.ReadFile(tr)
	for _, want := range []string{"(godbg) break addbp calc.Add if a == 2\naddbp set at example.com/calc.Add() ",
		"(godbg) on 2 print got + 100\n", "Saved 2 breakpoints to " + saved + "\n(godbg) transcript -off\n"} {
		if !strings.Contains(string(text), want) {
			t.Errorf("transcript lacks %q:\n%s", want, text)
		}
	}
	if strings.Contains(string(text), "old") || strings.Contains(string(text), "12345") {
		t.Errorf("transcript has what -t or -off should have kept out:\n%s", text)
	}
	if !strings.Contains(out, "\n12345\n") || !strings.Contains(out, "Command failed: transcript: open "+dir+"/no/such/dir") {
		t.Errorf("output:\n%s", out)
	}
	out, _ = run(t, "source "+saved+"\ncontinue\nprint a\ncontinue\n", "exec", bin, "--", "-test.run", "TestAdd")
	if !regexp.MustCompile(`(?s)\[addbp\] example.com/calc.Add\(\).*\n2\n.*\[bp2\] .*calc_test.go:` +
		line + ` .*\n105\n`).MatchString(out) {
		t.Errorf("restored breakpoints did not stop as saved:\n%s", out)
	}
}

// TestConfig: a test binary whose sources moved after the build; config
// substitute-path makes list, break file:line, the stop and stack use the
// new place; limits and aliases apply; bad input is an error; nothing is
// written before config -save, and the next session reads what it wrote.
func TestConfig(t *testing.T) {
	tmp := t.TempDir()
	build, local, bin := filepath.Join(tmp, "build"), filepath.Join(tmp, "local"), filepath.Join(tmp, "calc.test")
	if out, err := exec.Command("cp", "-r", fixtures.Source("testfix"), build).CombinedOutput(); err != nil {
		t.Fatalf("%v: %s", err, out)
	}
	cmd := exec.Command("go", "test", "-c", "-gcflags=all=-N -l", "-o", bin, ".")
	cmd.Dir = build
	if out, err := cmd.CombinedOutput(); err != nil {
		t.Fatalf("%v: %s", err, out)
	}
	if err := os.Rename(build, local); err != nil {
		t.Fatal(err)
	}
	env := []string{"XDG_CONFIG_HOME=" + filepath.Join(tmp, "cfg")}
	file := filepath.Join(tmp, "cfg", "godbg", "config.yml")
	line := strconv.Itoa(sourceLine(t, "testfix/calc_test.go", "the add line"))
	s := startIn(t, tmp, env, "exec", bin, "--", "-test.run", "TestAdd")
	s.send("list calc.Add")
	s.expect(`^Command failed: cannot read source file ` + regexp.QuoteMeta(build) + `/calc.go`)
	s.send("config substitute-path " + build + " " + local)
	s.send("list calc.Add")
	s.expect(`^Showing \./local/calc.go:`)
	s.expect(`^     5:\tfunc Add\(a, b int\) int {$`)
	s.send("break " + local + "/calc_test.go:" + line)
	s.expect(`^Breakpoint 1 set at example.com/calc.TestAdd\(\) \./local/calc_test.go:` + line + ` `)
	s.send("continue")
	s.expect(`^> \[Breakpoint 1\] example.com/calc.TestAdd\(\) \./local/calc_test.go:` + line + ` `)
	s.send("stack 1")
	s.expect(`^ +at \./local/calc_test.go:` + line + `$`)
	s.send("config max-string-len 4")
	s.send("config alias print pp")
	s.send("pp wd")
	s.expect(`^"` + regexp.QuoteMeta(tmp[:4]) + `\.\.\.\+\d+ more"$`) // Delve's layout of a cut string
	s.send("config nope 1")
	s.expect(`^Command failed: unknown parameter "nope"; the parameters are aliases, `)
	s.send("config max-array-values -3")
	s.expect(`^Command failed: max-array-values: "-3" is not a number >= 0`)
	s.send("config disassemble-flavor att")
	s.expect(`^Command failed: disassemble-flavor: "att" is not go, gnu or intel`)
	s.send("config -list")
	s.expect(`^max-string-len +4$`)
	if _, err := os.Stat(file); err == nil {
		t.Errorf("%s written before config -save", file)
	}
	s.send("config -save")
	s.expect(`^Saved the configuration to ` + regexp.QuoteMeta(file) + `$`)
	s.end()
	out, _ := runIn(t, tmp, env, "config -list\nlist calc.Add\npp len(\"abc\")\n", "exec", bin)
	for _, want := range []string{"substitute-path         " + build + " -> " + local + "\n", "Showing ./local/calc.go:\n", "\n3\n"} {
		if !strings.Contains(out, want) {
			t.Errorf("the next session lacks %q:\n%s", want, out)
		}
	}
	os.WriteFile(file, []byte("max-string-len: [\n"), 0o644)
	out, code := runIn(t, tmp, env, "print 6*7\n", "exec", bin)
	if code != 0 || !strings.Contains(out, "godbg: configuration not read, using the defaults: "+file) || !strings.Contains(out, "\n42\n") {
		t.Errorf("a broken config file: exit %d:\n%s", code, out)
	}
}

// TestTypesPackagesEditRestart: types and packages against the fixture's
// source, edit runs $GODBG_EDITOR +LINE FILE, restart takes new arguments
// and keeps them.
func TestTypesPackagesEditRestart(t *testing.T) {
	dir := t.TempDir()
	editor, edited := filepath.Join(dir, "editor.sh"), filepath.Join(dir, "edited")
	os.WriteFile(editor, []byte("#!/bin/sh\necho \"$@\" > "+edited+"\n"), 0o755)
	pkg := fixtures.Source("testfix")
	addLine := sourceLine(t, "testfix/calc.go", "func Add(")
	out, code := runIn(t, dir, []string{"GODBG_EDITOR=" + editor}, "types calc\npackages calc\npackages ^fmt$\nedit calc.Add\n"+
		"restart -test.run 'TestOther|TestPair' -test.v\ncontinue\nrestart\ncontinue\n", "exec", testfixBin(t))
	got, _ := os.ReadFile(edited)
	if code != 0 || string(got) != "+"+strconv.Itoa(addLine)+" "+pkg+"/calc.go\n" {
		t.Errorf("exit %d; the editor got %q:\n%s", code, got, out)
	}
	for _, want := range []string{"\nexample.com/calc.Pair\nexample.com/calc\nfmt\n", "=== RUN   TestPair\n", "--- PASS: TestOther"} {
		if !strings.Contains(out, want) {
			t.Errorf("no %q in output:\n%s", want, out)
		}
	}
	if n := strings.Count(out, "=== RUN   TestPair"); n != 2 || strings.Contains(out, "TestAdd wd") {
		t.Errorf("TestPair ran %d times (want 2: the new arguments stay), TestAdd ran: %v:\n%s", n, strings.Contains(out, "TestAdd wd"), out)
	}
	out, _ = runIn(t, dir, []string{"GODBG_EDITOR=", "EDITOR="}, "edit\n", "exec", "/bin/true")
	if !strings.Contains(out, "Command failed: edit: set $GODBG_EDITOR or $EDITOR") {
		t.Errorf("edit without an editor:\n%s", out)
	}
}

// TestExitContinue: exit -c leaves a launched program running, untraced.
func TestExitContinue(t *testing.T) {
	bin := fixtures.Build(t, "exitcode.c")
	// The program must not hold godbg's output pipe after godbg ends.
	out, code := run(t, "exit -c\n", "exec", "-r", "stdout:/dev/null", "-r", "stderr:/dev/null", bin, "--", "sleep")
	m := regexp.MustCompile(`Detached from process (\d+); it keeps running`).FindStringSubmatch(out)
	if code != 0 || m == nil {
		t.Fatalf("exit %d:\n%s", code, out)
	}
	pid, _ := strconv.Atoi(m[1])
	defer syscall.Kill(pid, syscall.SIGKILL)
	if tracer, err := fixtures.TracerPid(pid); !alive(pid) || err != nil || tracer != 0 {
		t.Errorf("process %d: alive %v, TracerPid %d (%v)", pid, alive(pid), tracer, err)
	}
}

// TestListHighlighting: list colours Go source when standard output is a
// terminal, and not with NO_COLOR; the text without colours is the file's.
func TestListHighlighting(t *testing.T) {
	addLine := sourceLine(t, "testfix/calc.go", "func Add(")
	ansi := regexp.MustCompile("\x1b\\[[0-9;]*m")
	for _, noColor := range []bool{false, true} {
		master, slave := openPTY(t)
		cmd := exec.Command(godbgBin, "exec", testfixBin(t))
		cmd.Env = os.Environ()
		if noColor {
			cmd.Env = append(cmd.Env, "NO_COLOR=1")
		}
		cmd.Stdin, cmd.Stdout, cmd.Stderr = strings.NewReader("list calc.Add\n"), slave, slave
		if err := cmd.Start(); err != nil {
			t.Fatal(err)
		}
		slave.Close()
		var out bytes.Buffer
		out.ReadFrom(master) // until godbg exits: EIO
		master.Close()
		cmd.Wait()
		m := regexp.MustCompile(`(?m)^=?>? *` + strconv.Itoa(addLine) + `:\t(.*?)\r?$`).FindStringSubmatch(out.String())
		if m == nil {
			t.Fatalf("NO_COLOR %v: no line %d listed:\n%q", noColor, addLine, out.String())
		}
		coloured := ansi.MatchString(m[1])
		if plain := ansi.ReplaceAllString(m[1], ""); plain != "func Add(a, b int) int {" || coloured == noColor {
			t.Errorf("NO_COLOR %v: line %d is %q (coloured %v)", noColor, addLine, m[1], coloured)
		}
	}
}

// TestRebuild: rebuild after the source changed runs the new code with the
// breakpoints set again; a build that fails shows the compiler's error and
// the session goes on; exec has nothing to rebuild.
func TestRebuild(t *testing.T) {
	dir := filepath.Join(t.TempDir(), "calc")
	if out, err := exec.Command("cp", "-r", fixtures.Source("testfix"), dir).CombinedOutput(); err != nil {
		t.Fatalf("%v: %s", err, out)
	}
	src := filepath.Join(dir, "calc.go")
	orig, _ := os.ReadFile(src)
	s := start(t, "test", dir, "--", "-test.run", "TestAdd")
	s.send("break calc.Add")
	s.send("continue")
	s.send("stepout")
	s.expect(`^\s+~r0 = 5$`)
	os.WriteFile(src, []byte(strings.Replace(string(orig), "return a + b", "return a + b +", 1)), 0o644)
	s.send("rebuild")
	s.expect(`^Command failed: building .* failed .*fix the build errors above`)
	os.WriteFile(src, []byte(strings.Replace(string(orig), "return a + b", "return a + b + 100", 1)), 0o644)
	s.send("rebuild")
	s.expect(`^Process \d+ launched`)
	s.send("continue")
	s.expect(`^> \[Breakpoint 1\] example.com/calc.Add\(\)`)
	s.send("stepout")
	s.expect(`^\s+~r0 = 105$`)
	if code := s.end(); code != 0 {
		t.Fatalf("exit %d:\n%s", code, s.output())
	}
	if !strings.Contains(s.output(), "syntax error") {
		t.Errorf("the compiler's error is not shown:\n%s", s.output())
	}
	out, _ := run(t, "rebuild\n", "exec", "/bin/true")
	if !strings.Contains(out, "Command failed: rebuild works only for a program godbg built") {
		t.Errorf("rebuild in exec:\n%s", out)
	}
}

// TestBuildFlagsAndTTY: --build-flags reach go test; --tty gives the
// program a terminal of its own.
func TestBuildFlagsAndTTY(t *testing.T) {
	out, code := run(t, "", "test", "--continue", "--build-flags=-tags=flowtag", fixtures.Source("testfix"), "--", "-test.run", "TestOther")
	if code != 0 || !strings.Contains(out, "built with flowtag\n") || !strings.Contains(out, "TestOther ran") {
		t.Errorf("exit %d:\n%s", code, out)
	}
	master, slave := openPTY(t)
	defer master.Close()
	out, code = run(t, "", "exec", "--continue", "--tty", slave.Name(), "/bin/sh", "--", "-c", "tty; echo on the tty")
	slave.Close()
	var got bytes.Buffer
	got.ReadFrom(master) // until every end of the terminal is closed: EIO
	if code != 0 || got.String() != slave.Name()+"\r\non the tty\r\n" || strings.Contains(out, "on the tty") {
		t.Errorf("exit %d; the tty got %q; godbg printed:\n%s", code, got.String(), out)
	}
}

// TestPager: with config pager true and a terminal, output taller than
// the terminal goes through $PAGER; short output does not.
func TestPager(t *testing.T) {
	dir := t.TempDir()
	paged := filepath.Join(dir, "paged")
	master, slave := openPTY(t) // 24 rows
	cmd := exec.Command(godbgBin, "exec", testfixBin(t))
	cmd.Env = append(os.Environ(), "XDG_CONFIG_HOME="+dir, "PAGER=cat > "+paged, "NO_COLOR=1")
	cmd.Stdin, cmd.Stdout, cmd.Stderr = strings.NewReader("config pager true\nfuncs calc\nfuncs runtime\n"), slave, slave
	if err := cmd.Start(); err != nil {
		t.Fatal(err)
	}
	slave.Close()
	var out bytes.Buffer
	out.ReadFrom(master)
	master.Close()
	cmd.Wait()
	got, _ := os.ReadFile(paged)
	if !strings.Contains(out.String(), "example.com/calc.Add\r\n") || strings.Contains(out.String(), "runtime.main\r\n") {
		t.Errorf("terminal output:\n%s", out.String())
	}
	if n := strings.Count(string(got), "\n"); n < 24 || !strings.Contains(string(got), "\nruntime.main\n") || strings.Contains(string(got), "calc.Add") {
		t.Errorf("the pager got %d lines:\n%.2000s", n, got)
	}
}

// TestHeadlessContinue: --headless --continue runs the program at once,
// before any client connects.
func TestHeadlessContinue(t *testing.T) {
	s := start(t, "exec", "--headless", "--continue", "/bin/sh", "--", "-c", "echo hi from the program")
	s.expect(`^API server listening at: `)
	s.expect(`^hi from the program$`)
	s.cmd.Process.Signal(syscall.SIGTERM)
	s.end()
}

// TestStarlarkInitAndInterrupt: --init runs a .star file as Starlark;
// Ctrl-C (SIGINT) stops a script that loops, and the session goes on.
func TestStarlarkInitAndInterrupt(t *testing.T) {
	dir := t.TempDir()
	initFile, loop := filepath.Join(dir, "init.star"), filepath.Join(dir, "loop.star")
	os.WriteFile(initFile, []byte(`print("init pid ok", process_pid().Pid > 0)`+"\n"), 0o644)
	os.WriteFile(loop, []byte("n = 0\nwhile True:\n  n += 1\n"), 0o644)
	s := start(t, "exec", "--init", initFile, testfixBin(t))
	s.expect(`^init pid ok True$`)
	s.send("source " + loop)
	time.Sleep(300 * time.Millisecond)
	s.cmd.Process.Signal(syscall.SIGINT)
	s.expect(`^Command failed: .*interrupted`)
	s.send("print 6*7")
	s.expect(`^42$`)
	os.WriteFile(loop, []byte("examine_memory(0, 4)\n"), 0o644)
	s.send("source " + loop)
	s.expect(`^Command failed: ` + regexp.QuoteMeta(loop) + `:1:15: in examine_memory: reading 4 bytes at 0x0: `)
	if code := s.end(); code != 0 {
		t.Fatalf("exit %d:\n%s", code, s.output())
	}
}
