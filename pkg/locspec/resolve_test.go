package locspec_test

import (
	"errors"
	"fmt"
	"os"
	"os/exec"
	"path/filepath"
	"strconv"
	"strings"
	"testing"

	"github.com/godbg/godbg/pkg/locspec"
	"github.com/godbg/godbg/pkg/symbols"
)

// goFixture builds _fixtures/symbols/gofix without optimisations into the
// test's temporary directory and opens it.
func goFixture(t *testing.T) (*symbols.Table, string) {
	t.Helper()
	root, err := filepath.Abs("../..")
	if err != nil {
		t.Fatal(err)
	}
	out := filepath.Join(t.TempDir(), "gofix")
	cmd := exec.Command("go", "build", "-gcflags=all=-N -l", "-o", out, "./_fixtures/symbols/gofix")
	cmd.Dir = root
	if b, err := cmd.CombinedOutput(); err != nil {
		t.Fatalf("build fixture: %v\n%s", err, b)
	}
	tab, err := symbols.Open(out)
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { tab.Close() })
	return tab, filepath.Join(root, "_fixtures/symbols/gofix/main.go")
}

func markerLine(t *testing.T, file, marker string) int {
	b, err := os.ReadFile(file)
	if err != nil {
		t.Fatal(err)
	}
	for i, l := range strings.Split(string(b), "\n") {
		if strings.HasSuffix(l, "// LINE:"+marker) {
			return i + 1
		}
	}
	t.Fatalf("no marker %s", marker)
	return 0
}

func TestResolve(t *testing.T) {
	tab, src := goFixture(t)
	body := markerLine(t, src, "foobody")
	call := markerLine(t, src, "maincall")
	tests := []struct {
		spec     string
		curLine  int
		wantLine int
		wantFunc string
	}{
		{"main.foo", 0, markerLine(t, src, "foodecl"), "main.foo"},
		{"(*T).M", 0, markerLine(t, src, "Mdecl"), "main.(*T).M"},
		{"main.go:" + strconv.Itoa(body), 0, body, "main.foo"},
		{"gofix/main.go:" + strconv.Itoa(call), 0, call, "main.main"},
		{"main.foo:" + strconv.Itoa(body-markerLine(t, src, "foodecl")), 0, body, "main.foo"},
		{"main.foo:0", 0, markerLine(t, src, "foodecl"), "main.foo"},
		{strconv.Itoa(call), 0, call, "main.main"},
		{"+1", body - 1, body, "main.foo"},
		{"-1", body + 1, body, "main.foo"},
		{"/^main\\.foo$/", 0, markerLine(t, src, "foodecl"), "main.foo"},
	}
	for _, tt := range tests {
		spec, err := locspec.Parse(tt.spec)
		if err != nil {
			t.Fatal(err)
		}
		locs, err := locspec.Resolve(spec, tab, src, tt.curLine)
		if err != nil || len(locs) == 0 {
			t.Errorf("Resolve(%s) = %v, %v", tt.spec, locs, err)
			continue
		}
		l := locs[0]
		if l.File != src || l.Line != tt.wantLine || l.Func == nil || l.Func.Name != tt.wantFunc {
			t.Errorf("Resolve(%s) = %s:%d in %v; want line %d in %s", tt.spec, l.File, l.Line, l.Func, tt.wantLine, tt.wantFunc)
		}
		addr, _ := locspec.Parse(fmt.Sprintf("*%#x", l.PC))
		if a, err := locspec.Resolve(addr, tab, "", 0); err != nil || a[0].Line != l.Line {
			t.Errorf("Resolve(*%#x) = %v, %v", l.PC, a, err)
		}
	}
	errTests := []struct {
		spec string
		err  error
	}{
		{"main.fo", symbols.ErrNoFunc},
		{"nosuch.go:3", symbols.ErrNoFile},
		{"main.go:1", symbols.ErrNoCode},
		{"/^zzz/", locspec.ErrNoMatch},
	}
	for _, tt := range errTests {
		spec, _ := locspec.Parse(tt.spec)
		if _, err := locspec.Resolve(spec, tab, "", 0); !errors.Is(err, tt.err) {
			t.Errorf("Resolve(%s) error = %v; want %v", tt.spec, err, tt.err)
		}
	}
	spec, _ := locspec.Parse("+1")
	if _, err := locspec.Resolve(spec, tab, "", 0); !errors.Is(err, locspec.ErrNoCurrentFile) {
		t.Errorf("Resolve(+1) without a current file: %v", err)
	}
}
