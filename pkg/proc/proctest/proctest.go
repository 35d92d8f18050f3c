// Package proctest is the lower level of godbg's one in-process test
// harness (issue 12): it builds a fixture, launches it stopped at its
// first instruction with the live backend, reads its symbols, and always
// kills it. It is for the tests of the packages below pkg/proc/target
// (expr, values, variables), which pkg/proc/target imports and so cannot
// use targettest; targettest builds on it. Only tests import it
// (internal/layering checks that).
//
// Lines of a fixture's source are named by markers, one syntax for every
// fixture: a line ending in "// L:name" is "L:name". Delve's fixtures,
// whose sources we do not edit, are addressed by line numbers.
package proctest

import (
	"bufio"
	"fmt"
	"os"
	"path/filepath"
	"regexp"
	"strings"
	"sync"
	"testing"

	"github.com/godbg/godbg/internal/fixtures"
	"github.com/godbg/godbg/pkg/proc"
	"github.com/godbg/godbg/pkg/proc/native"
	"github.com/godbg/godbg/pkg/symbols"
)

// Config says what to launch.
type Config struct {
	// Fixture is a directory or .c file in _fixtures, or "delve:name"
	// (built from Delve's _fixtures; "delve:name+inline" keeps inlining
	// on); "name+pie" builds a Go fixture as a PIE.
	Fixture string
	Flags   []string // extra build flags
	Args    []string // the program's arguments
	// Stdout: the program's standard output comes line by line on
	// T.Lines (else it goes to /dev/null).
	Stdout bool
}

// Fixture is one launched fixture program.
type Fixture struct {
	TB    testing.TB
	P     proc.Process
	Bin   string
	Src   string      // the main source file
	Lines chan string // the program's output lines (Config.Stdout), closed at its end

	symOnce sync.Once
	tab     *symbols.Table
	symErr  error
}

// Start launches cfg's fixture, stopped at its first instruction. It is
// killed at the end of the test (or earlier by Close).
func Start(tb testing.TB, cfg Config) *Fixture {
	tb.Helper()
	bin, src, err := Build(tb, cfg)
	if err != nil {
		tb.Fatal(err)
	}
	f, err := Launch(bin, src, cfg)
	if err != nil {
		tb.Fatal(err)
	}
	f.TB = tb
	tb.Cleanup(f.Close)
	return f
}

// Open is Start for a fixture shared by several tests (TestMain's
// business): errors are returned, and the caller must Close it. Delve's
// fixtures need a test (Start).
func Open(cfg Config) (*Fixture, error) {
	bin, src, err := Build(nil, cfg)
	if err != nil {
		return nil, err
	}
	return Launch(bin, src, cfg)
}

// Close kills the program if it still runs.
func (f *Fixture) Close() {
	if !f.P.Exited() {
		f.P.Kill()
	}
}

// Tab is the program's symbol table, read at the first call (a test
// fails if it cannot be read).
func (f *Fixture) Tab() *symbols.Table {
	f.symOnce.Do(func() { f.tab, f.symErr = symbols.Open(f.Bin) })
	if f.symErr != nil && f.TB != nil {
		f.TB.Fatalf("%s: no symbols: %v", f.Bin, f.symErr)
	}
	return f.tab
}

// Bias is the program's load bias (0 unless a PIE).
func (f *Fixture) Bias() uint64 {
	tab := f.Tab()
	entry, err := f.P.EntryPoint()
	if tab == nil || err != nil || entry < tab.Entry() {
		return 0
	}
	return entry - tab.Entry()
}

// Line resolves "L:name" (a marker in the main source) or a number.
func (f *Fixture) Line(at string) int {
	f.TB.Helper()
	return MarkerLine(f.TB, f.Src, at)
}

// Build builds cfg's fixture and finds its main source file.
func Build(tb testing.TB, cfg Config) (bin, src string, err error) {
	fixture := cfg.Fixture
	if name, ok := strings.CutPrefix(fixture, "delve:"); ok {
		if tb == nil {
			return "", "", fmt.Errorf("%s: Delve's fixtures are built within a test (Start)", fixture)
		}
		name, inline := strings.CutSuffix(name, "+inline")
		return fixtures.BuildDelve(tb, name, inline), filepath.Join(fixtures.DelveDir(tb), name+".go"), nil
	}
	extra := cfg.Flags
	if name, ok := strings.CutSuffix(fixture, "+pie"); ok {
		fixture, extra = name, append([]string{"-buildmode=pie"}, extra...)
	}
	src = fixtures.Source(fixture)
	if st, err := os.Stat(src); err == nil && st.IsDir() {
		src = filepath.Join(src, "main.go")
	}
	if tb != nil {
		return fixtures.Build(tb, fixture, extra...), src, nil
	}
	bin, err = fixtures.BuildErr(fixture, extra...)
	return bin, src, err
}

// Launch starts bin (built from cfg, main source src) stopped at its
// first instruction.
func Launch(bin, src string, cfg Config) (*Fixture, error) {
	devnull, err := os.OpenFile(os.DevNull, os.O_RDWR, 0)
	if err != nil {
		return nil, err
	}
	defer devnull.Close()
	lc := native.LaunchConfig{Path: bin, Args: cfg.Args, Stdin: devnull, Stdout: devnull, Stderr: devnull}
	var r *os.File
	if cfg.Stdout {
		var w *os.File
		if r, w, err = os.Pipe(); err != nil {
			return nil, err
		}
		defer w.Close()
		lc.Stdout = w
	}
	p, err := native.Launch(lc)
	if err != nil {
		if r != nil {
			r.Close()
		}
		return nil, fmt.Errorf("launching %s: %w", bin, err)
	}
	f := &Fixture{P: p, Bin: bin, Src: src}
	if r != nil {
		f.Lines = readLines(r)
	}
	return f, nil
}

// readLines sends r's lines on a channel, closed (and r too) at its end.
func readLines(r *os.File) chan string {
	lines := make(chan string, 1<<14)
	go func() {
		sc := bufio.NewScanner(r)
		sc.Buffer(nil, 1<<20)
		for sc.Scan() {
			lines <- sc.Text()
		}
		close(lines)
		r.Close()
	}()
	return lines
}

// MarkerLine resolves "L:name", the line of file that ends in
// "// L:name", or a line number.
func MarkerLine(tb testing.TB, file, at string) int {
	tb.Helper()
	var n int
	if _, err := fmt.Sscan(at, &n); err == nil {
		return n
	}
	n, err := markerLine(file, at)
	if err != nil {
		tb.Fatal(err)
	}
	return n
}

func markerLine(file, at string) (int, error) {
	f, err := os.Open(file)
	if err != nil {
		return 0, err
	}
	defer f.Close()
	sc := bufio.NewScanner(f)
	for i := 1; sc.Scan(); i++ {
		if strings.HasSuffix(strings.TrimSpace(sc.Text()), "// "+at) {
			return i, nil
		}
	}
	return 0, fmt.Errorf("no marker %q in %s", at, file)
}

// markerRE is a marker: "// L:name" at the end of a line.
var markerRE = regexp.MustCompile(`// L:([\w.-]+)\s*$`)

// Markers maps every "// L:name" marker of file to its line (keys
// without the "L:").
func Markers(tb testing.TB, file string) map[string]int {
	tb.Helper()
	b, err := os.ReadFile(file)
	if err != nil {
		tb.Fatal(err)
	}
	out := map[string]int{}
	for i, l := range strings.Split(string(b), "\n") {
		if m := markerRE.FindStringSubmatch(l); m != nil {
			out[m[1]] = i + 1
		}
	}
	return out
}
