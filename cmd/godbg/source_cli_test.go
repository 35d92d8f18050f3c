package main

import (
	"bufio"
	"debug/elf"
	"fmt"
	"os"
	"os/exec"
	"path/filepath"
	"regexp"
	"strconv"
	"strings"
	"testing"

	"github.com/godbg/godbg/internal/fixtures"
)

// sourceLine returns the 1-based number of the first line of a fixture
// source file containing text.
func sourceLine(t *testing.T, file, text string) int {
	t.Helper()
	f, err := os.Open(fixtures.Source(file))
	if err != nil {
		t.Fatal(err)
	}
	defer f.Close()
	sc := bufio.NewScanner(f)
	for n := 1; sc.Scan(); n++ {
		if strings.Contains(sc.Text(), text) {
			return n
		}
	}
	t.Fatalf("no line containing %q in %s", text, file)
	return 0
}

// listedLines returns the numbers list printed, and the one marked =>.
func listedLines(out string) (nums []int, current int) {
	re := regexp.MustCompile(`(?m)^(=>|\*>|\* |  )\s*(\d+):\t`)
	for _, m := range re.FindAllStringSubmatch(out, -1) {
		n, _ := strconv.Atoi(m[2])
		nums = append(nums, n)
		if strings.HasSuffix(m[1], ">") {
			current = n
		}
	}
	return nums, current
}

// firstInstAddr is the address of the first instruction disassemble printed.
func firstInstAddr(t *testing.T, out string) uint64 {
	t.Helper()
	m := regexp.MustCompile(`(?m)^(?:=>|\*>|\* |  )  0x([0-9a-f]+)  [0-9a-f]+ +\S`).FindStringSubmatch(out)
	if m == nil {
		t.Fatalf("no instruction in output:\n%s", out)
	}
	v, _ := strconv.ParseUint(m[1], 16, 64)
	return v
}

func elfSymbol(t *testing.T, bin, name string) uint64 {
	t.Helper()
	f, err := elf.Open(bin)
	if err != nil {
		t.Fatal(err)
	}
	defer f.Close()
	syms, err := f.Symbols()
	if err != nil {
		t.Fatal(err)
	}
	for _, s := range syms {
		if s.Name == name {
			return s.Value
		}
	}
	t.Fatalf("no symbol %s in %s", name, bin)
	return 0
}

func TestSourceFuncsAndSources(t *testing.T) {
	bin := fixtures.Build(t, "srcfix")
	out, code := run(t, "funcs main\\.\nsources srcfix\nfuncs (\nsources\n", "exec", bin)
	if code != 0 {
		t.Fatalf("exit %d:\n%s", code, out)
	}
	for _, want := range []string{"\nmain.main\n", "\nmain.add\n", "\nmain.twice\n"} {
		if !strings.Contains(out, want) {
			t.Errorf("funcs main\\. lacks %q:\n%s", want, out)
		}
	}
	if !regexp.MustCompile(`(?m)^/.*_fixtures/srcfix/main\.go$`).MatchString(out) {
		t.Errorf("sources srcfix lacks main.go:\n%s", out)
	}
	if !strings.Contains(out, `Command failed: invalid regular expression "("`) {
		t.Errorf("bad regexp not reported:\n%s", out)
	}
	if !regexp.MustCompile(`(?m)^/.*/runtime/proc\.go$`).MatchString(out) {
		t.Errorf("sources without filter lacks runtime/proc.go")
	}
}

func TestSourceList(t *testing.T) {
	bin := fixtures.Build(t, "srcfix")
	decl := sourceLine(t, "srcfix/main.go", "marker: main decl")
	first := sourceLine(t, "srcfix/main.go", "marker: main first")
	print := sourceLine(t, "srcfix/main.go", "marker: main print")
	script := fmt.Sprintf("list main.main\nlist nosuch.func\nlist main.mian\nls main.go:%d\nlist main.go:999\nlist nosuch.go:3\nlist\n", print)
	out, _ := run(t, script, "exec", bin)
	parts := strings.Split(out, "Showing ")
	if len(parts) < 4 {
		t.Fatalf("expected three listings:\n%s", out)
	}
	// A function lists around where it resolves: its first line with code
	// after the stack check, the func line itself when built with -N -l.
	nums, _ := listedLines(parts[1])
	if len(nums) != 11 || nums[0] != decl-5 || nums[10] != decl+5 {
		t.Errorf("list main.main showed lines %v, want %d..%d:\n%s", nums, decl-5, decl+5, parts[1])
	}
	if !regexp.MustCompile(fmt.Sprintf(`(?m)^  \s*%d:\t\tx := 1 `, first)).MatchString(parts[1]) {
		t.Errorf("line %d is not x := 1:\n%s", first, parts[1])
	}
	for _, want := range []string{
		"Command failed: no function matches nosuch.func; funcs <regexp> lists the functions",
		"Command failed: no function matches main.mian; did you mean main.main?",
		"Command failed: no source file matches nosuch.go; sources <regexp> lists the files",
		"Command failed: line 999 is past the end of",
	} {
		if !strings.Contains(out, want) {
			t.Errorf("output lacks %q:\n%s", want, out)
		}
	}
	if nums, _ := listedLines(parts[2]); len(nums) == 0 || !strings.Contains(parts[2], fmt.Sprintf("%d:\t\tfmt.Println(x, y)", print)) {
		t.Errorf("ls main.go:%d did not show it:\n%s", print, parts[2])
	}
	// At launch the pc is at the runtime's entry, in an assembly file.
	if _, cur := listedLines(parts[3]); cur == 0 {
		t.Errorf("list with no argument marked no current line:\n%s", parts[3])
	}
}

func TestSourceListMissingFile(t *testing.T) {
	dir := t.TempDir()
	src, err := os.ReadFile(fixtures.Source("srcfix/main.go"))
	if err != nil {
		t.Fatal(err)
	}
	os.WriteFile(filepath.Join(dir, "go.mod"), []byte("module srcgone\n\ngo 1.21\n"), 0o644)
	os.WriteFile(filepath.Join(dir, "main.go"), src, 0o644)
	bin := filepath.Join(dir, "srcgone")
	cmd := exec.Command("go", "build", "-o", bin, ".")
	cmd.Dir = dir
	if b, err := cmd.CombinedOutput(); err != nil {
		t.Fatalf("go build: %v\n%s", err, b)
	}
	os.Remove(filepath.Join(dir, "main.go"))
	out, _ := run(t, "list main.main\nfuncs ^main\\.main$\n", "exec", bin)
	if !strings.Contains(out, "Command failed: cannot read source file "+filepath.Join(dir, "main.go")) ||
		!strings.Contains(out, "\nmain.main\n") {
		t.Errorf("output:\n%s", out)
	}
}

func TestSourceDisassembleGo(t *testing.T) {
	bin := fixtures.Build(t, "srcfix")
	entry := elfSymbol(t, bin, "main.main")
	out, code := run(t, "disassemble -l main.main\n", "exec", bin)
	if code != 0 {
		t.Fatalf("exit %d:\n%s", code, out)
	}
	if got := firstInstAddr(t, out); got != entry {
		t.Errorf("first instruction at %#x, main.main is at %#x:\n%s", got, entry, out)
	}
	if !regexp.MustCompile(`(?m)^main\.main:$`).MatchString(out) ||
		!regexp.MustCompile(`(?m)  0x[0-9a-f]+  e8[0-9a-f]+ +CALL main\.twice\(SB\)$`).MatchString(out) {
		t.Errorf("no header or symbolised CALL main.twice:\n%s", out)
	}
	callLine := sourceLine(t, "srcfix/main.go", "marker: main call")
	if !strings.Contains(out, fmt.Sprintf("srcfix/main.go:%d\n", callLine)) {
		t.Errorf("no file:line header for line %d:\n%s", callLine, out)
	}
}

func TestSourceDisassembleErrors(t *testing.T) {
	bin := fixtures.Build(t, "srcfix")
	script := "disass -a 0 0x10\ndisass -a 0x10 0x1\ndisass -a main.main main.main+0x20000\n" +
		"disass -l nosuch.func\ndisass -syntax arm\ndisass -x\ndisass -a 1\ndisass\n"
	out, code := run(t, script, "exec", bin)
	if code != 0 {
		t.Fatalf("exit %d:\n%s", code, out)
	}
	for _, want := range []string{
		"Command failed: cannot read code at 0x0-0x10 of process",
		"not mapped",
		"Command failed: end 0x1 is not after start 0x10",
		"disassemble at most 65536 (64 KiB) at a time",
		"Command failed: no function matches nosuch.func",
		`Command failed: unknown syntax "arm"; use go, gnu or intel`,
		`Command failed: unexpected "-x"; usage: disassemble`,
		"Command failed: -a needs 2 argument(s)",
	} {
		if !strings.Contains(out, want) {
			t.Errorf("output lacks %q:\n%s", want, out)
		}
	}
	// The last command still works: the current pc, marked.
	if !regexp.MustCompile(`(?m)^=>  0x[0-9a-f]+  `).MatchString(out) {
		t.Errorf("disass at the entry marked no current instruction:\n%s", out)
	}
}

func TestSourceC(t *testing.T) {
	bin := fixtures.Build(t, "exitcode.c")
	decl := sourceLine(t, "exitcode.c", "int main(")
	// exec stops in the dynamic loader, which has no symbols here.
	out, code := run(t, "list\ndisass\nlist main\nx main\ndisassemble -l main\ndisass -syntax intel -l main\n", "exec", bin)
	if code != 0 {
		t.Fatalf("exit %d:\n%s", code, out)
	}
	for _, want := range []string{
		"has no source line information; give a location",
		"is in no known function; disassemble a range with -a $pc $pc+64",
	} {
		if !strings.Contains(out, want) {
			t.Errorf("output lacks %q:\n%s", want, out)
		}
	}
	listing, rest, _ := strings.Cut(out, "\nmain:\n")
	if !regexp.MustCompile(fmt.Sprintf(`(?m)^  \s*%d:\tint main\(`, decl)).MatchString(listing) {
		t.Errorf("list main lacks line %d:\n%s", decl, listing)
	}
	m := regexp.MustCompile(`(?m)^0x([0-9a-f]+):`).FindStringSubmatch(listing)
	if m == nil {
		t.Fatalf("x main printed no address:\n%s", out)
	}
	mainAddr, _ := strconv.ParseUint(m[1], 16, 64)
	if got := firstInstAddr(t, rest); got != mainAddr {
		t.Errorf("first instruction at %#x, main is at %#x:\n%s", got, mainAddr, rest)
	}
	gnu, intel, _ := strings.Cut(rest, "\nmain:\n")
	if !regexp.MustCompile(`(?m)callq? strcmp@plt$`).MatchString(gnu) {
		t.Errorf("call to strcmp not symbolised through the PLT:\n%s", gnu)
	}
	if !strings.Contains(gnu, "push %rbp") || !strings.Contains(intel, "push rbp") {
		t.Errorf("want GNU syntax by default and Intel with -syntax intel:\n%s", rest)
	}
	if !strings.Contains(gnu, fmt.Sprintf("exitcode.c:%d\n", decl)) {
		t.Errorf("no file:line header for line %d:\n%s", decl, gnu)
	}
}
