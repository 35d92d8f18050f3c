package symbols_test

import (
	"bufio"
	"crypto/sha256"
	"encoding/hex"
	"os"
	"os/exec"
	"path/filepath"
	"runtime"
	"strings"
	"sync"
	"testing"
)

// fixture describes how to build one test program from _fixtures/symbols.
type fixture struct {
	src   string   // directory (Go) or file (C) under _fixtures/symbols
	flags []string // extra build flags
}

var (
	goDebug    = fixture{"gofix", []string{"-gcflags=all=-N -l"}}
	goStripped = fixture{"gofix", []string{"-gcflags=all=-N -l", "-ldflags=-s -w"}}
	goPIE      = fixture{"gofix", []string{"-gcflags=all=-N -l", "-buildmode=pie"}}
	cDebug     = fixture{"cfix/main.c", []string{"-g", "-O0", "-no-pie"}}
	cPIE       = fixture{"cfix/main.c", []string{"-g", "-O0", "-pie"}}
	cGz        = fixture{"cfix/main.c", []string{"-g", "-O0", "-gz"}}
	cZdebug    = fixture{"cfix/main.c", []string{"-g", "-O0", "-gz=zlib-gnu"}}
	cDWARF4    = fixture{"cfix/main.c", []string{"-gdwarf-4", "-O0"}}
	cNoDebug   = fixture{"cfix/main.c", []string{"-O0"}}
	goLarge    = fixture{"big", []string{"-gcflags=all=-N -l"}}
)

var buildMu sync.Mutex

// fixtureRoot returns the absolute path of _fixtures/symbols.
func fixtureRoot(tb testing.TB) string {
	dir, err := filepath.Abs("../../_fixtures/symbols")
	if err != nil {
		tb.Fatal(err)
	}
	return dir
}

// build compiles fx into a cache directory keyed by its source, flags and
// the test binary's identity, and returns the binary path.
func build(tb testing.TB, fx fixture) string {
	tb.Helper()
	buildMu.Lock()
	defer buildMu.Unlock()
	src := filepath.Join(fixtureRoot(tb), fx.src)
	isC := strings.HasSuffix(fx.src, ".c")
	tool := "go"
	if isC {
		tool = "gcc"
	}
	if _, err := exec.LookPath(tool); err != nil {
		tb.Skipf("%s not installed; cannot build fixture %s", tool, fx.src)
	}
	out := filepath.Join(cacheDir(tb), fx.key(tb, src))
	if _, err := os.Stat(out); err == nil {
		return out
	}
	var cmd *exec.Cmd
	if isC {
		cmd = exec.Command("gcc", append(append([]string{}, fx.flags...), "-o", out+".tmp", src)...)
	} else {
		args := append(append([]string{"build"}, fx.flags...), "-o", out+".tmp", "./_fixtures/symbols/"+fx.src)
		cmd = exec.Command("go", args...)
		cmd.Dir = filepath.Dir(filepath.Dir(fixtureRoot(tb))) // module root
	}
	if b, err := cmd.CombinedOutput(); err != nil {
		tb.Fatalf("build %s %v: %v\n%s", fx.src, fx.flags, err, b)
	}
	if err := os.Rename(out+".tmp", out); err != nil {
		tb.Fatal(err)
	}
	return out
}

func cacheDir(tb testing.TB) string {
	dir := filepath.Join(os.TempDir(), "godbg-symbols-fixtures")
	if err := os.MkdirAll(dir, 0o755); err != nil {
		tb.Fatal(err)
	}
	return dir
}

// key hashes the fixture's sources and flags.
func (fx fixture) key(tb testing.TB, src string) string {
	h := sha256.New()
	// The binary records absolute source paths: another checkout needs its own.
	h.Write([]byte(src + "\x00" + runtime.Version() + "\x00"))
	h.Write([]byte(strings.Join(fx.flags, "\x00")))
	files := []string{src}
	if st, err := os.Stat(src); err == nil && st.IsDir() {
		files, _ = filepath.Glob(filepath.Join(src, "*.go"))
	}
	for _, f := range files {
		b, err := os.ReadFile(f)
		if err != nil {
			tb.Fatal(err)
		}
		h.Write(b)
	}
	name := strings.NewReplacer("/", "_", ".", "_").Replace(fx.src)
	return name + "-" + hex.EncodeToString(h.Sum(nil))[:16]
}

// markerLine returns the line of the "LINE:name" marker in a fixture file.
func markerLine(tb testing.TB, file, name string) int {
	tb.Helper()
	f, err := os.Open(file)
	if err != nil {
		tb.Fatal(err)
	}
	defer f.Close()
	sc := bufio.NewScanner(f)
	for n := 1; sc.Scan(); n++ {
		text := sc.Text()
		if i := strings.Index(text, "LINE:"+name); i >= 0 {
			rest := text[i+len("LINE:"+name):]
			if rest == "" || rest[0] == ' ' || rest[0] == '*' {
				return n
			}
		}
	}
	tb.Fatalf("no LINE:%s marker in %s", name, file)
	return 0
}
