package symbols_test

import (
	"errors"
	"path/filepath"
	"regexp"
	"slices"
	"strings"
	"testing"

	"github.com/godbg/godbg/pkg/symbols"
)

func open(t *testing.T, fx fixture) *symbols.Table {
	t.Helper()
	tab, err := symbols.Open(build(t, fx))
	if err != nil {
		t.Fatalf("Open: %v", err)
	}
	t.Cleanup(func() { tab.Close() })
	return tab
}

func goSource(t *testing.T) string { return filepath.Join(fixtureRoot(t), "gofix", "main.go") }
func cSource(t *testing.T) string  { return filepath.Join(fixtureRoot(t), "cfix", "main.c") }

func TestProperties(t *testing.T) {
	tests := []struct {
		fx               fixture
		isGo, dwarf, pie bool
	}{
		{goDebug, true, true, false},
		{goStripped, true, false, false},
		{goPIE, true, true, true},
		{cDebug, false, true, false},
		{cPIE, false, true, true},
		{cGz, false, true, true},
		{cZdebug, false, true, true},
		{cNoDebug, false, false, true},
	}
	for _, tt := range tests {
		t.Run(strings.Join(append([]string{tt.fx.src}, tt.fx.flags...), " "), func(t *testing.T) {
			tab := open(t, tt.fx)
			if tab.IsGo() != tt.isGo || tab.HasDWARF() != tt.dwarf {
				t.Errorf("IsGo, HasDWARF = %v, %v; want %v, %v", tab.IsGo(), tab.HasDWARF(), tt.isGo, tt.dwarf)
			}
			if tt.fx.src != "cfix/main.c" || slices.Contains(tt.fx.flags, "-pie") || slices.Contains(tt.fx.flags, "-no-pie") {
				if tab.PIE() != tt.pie {
					t.Errorf("PIE = %v; want %v", tab.PIE(), tt.pie)
				}
			}
			if tab.PCToFunc(tab.Entry()) == nil {
				t.Errorf("no function contains the entry point %#x", tab.Entry())
			}
			fns := tab.Funcs()
			if !slices.IsSortedFunc(fns, func(a, b *symbols.Func) int { return int(a.Entry) - int(b.Entry) }) {
				t.Error("Funcs not sorted by Entry")
			}
		})
	}
}

// TestLineRoundTrip checks PCToLine(LineToPCs(f, l)[0]) == (f, l) and the
// function found at each marker.
func TestLineRoundTrip(t *testing.T) {
	tests := []struct {
		fx     fixture
		file   func(*testing.T) string
		marker string
		fn     string
	}{
		{goDebug, goSource, "foobody", "main.foo"},
		{goDebug, goSource, "fooret", "main.foo"},
		{goDebug, goSource, "Mbody", "main.(*T).M"},
		{goDebug, goSource, "closure", "main.main.func1"},
		{goDebug, goSource, "maincall", "main.main"},
		{goPIE, goSource, "foobody", "main.foo"},
		{goStripped, goSource, "foobody", "main.foo"},
		{goStripped, goSource, "maincall", "main.main"},
		{cDebug, cSource, "addbody", "add"},
		{cDebug, cSource, "twicebody", "twice"},
		{cGz, cSource, "mainfirst", "main"},
		{cZdebug, cSource, "addbody", "add"},
		{cDWARF4, cSource, "twicebody", "twice"},
	}
	for _, tt := range tests {
		t.Run(tt.fx.src+"/"+tt.marker+"/"+strings.Join(tt.fx.flags, ","), func(t *testing.T) {
			tab := open(t, tt.fx)
			src := tt.file(t)
			line := markerLine(t, src, tt.marker)
			for _, name := range []string{filepath.Base(src), filepath.Join(filepath.Base(filepath.Dir(src)), filepath.Base(src)), src} {
				pcs, err := tab.LineToPCs(name, line)
				if err != nil || len(pcs) == 0 {
					t.Fatalf("LineToPCs(%s, %d) = %v, %v", name, line, pcs, err)
				}
				file, l, fn := tab.PCToLine(pcs[0])
				if file != src || l != line || fn == nil || fn.Name != tt.fn {
					t.Errorf("PCToLine(%#x) = %s:%d in %v; want %s:%d in %s", pcs[0], file, l, fn, src, line, tt.fn)
				}
			}
		})
	}
}

func TestLookupFunc(t *testing.T) {
	tests := []struct {
		fx     fixture
		query  string
		want   string
		marker string // declaration line marker, "" to skip
	}{
		{goDebug, "main.main", "main.main", "maindecl"},
		{goDebug, "main.foo", "main.foo", "foodecl"},
		{goDebug, "(*T).M", "main.(*T).M", "Mdecl"},
		{goDebug, "main.(*T).M", "main.(*T).M", "Mdecl"},
		{goDebug, "main.main.func1", "main.main.func1", ""},
		{goDebug, "fmt.Println", "fmt.Println", ""},
		{goDebug, "runtime.main", "runtime.main", ""},
		{goStripped, "main.main", "main.main", "maindecl"},
		{goStripped, "(*T).M", "main.(*T).M", "Mdecl"},
		{cDebug, "add", "add", "adddecl"},
		{cDebug, "main", "main", "maindecl"},
		{cNoDebug, "twice", "twice", ""},
	}
	for _, tt := range tests {
		t.Run(tt.query, func(t *testing.T) {
			tab := open(t, tt.fx)
			fn, err := tab.LookupFunc(tt.query)
			if err != nil {
				t.Fatalf("LookupFunc(%q): %v", tt.query, err)
			}
			if fn.Name != tt.want || fn.Entry >= fn.End {
				t.Fatalf("LookupFunc(%q) = %+v; want %s", tt.query, fn, tt.want)
			}
			if tab.PCToFunc(fn.Entry) != fn || tab.PCToFunc(fn.End-1) != fn {
				t.Errorf("PCToFunc does not map %s's range back to it", fn.Name)
			}
			if tt.marker != "" {
				src := goSource(t)
				if !tab.IsGo() {
					src = cSource(t)
				}
				if want := markerLine(t, src, tt.marker); fn.Line != want || fn.File != src {
					t.Errorf("%s declared at %s:%d; want %s:%d", fn.Name, fn.File, fn.Line, src, want)
				}
			}
		})
	}
}

func TestLookupErrors(t *testing.T) {
	tab := open(t, goDebug)
	tests := []struct {
		query   string
		err     error
		message string
	}{
		{"main.fo", symbols.ErrNoFunc, "no function matches main.fo; did you mean main.foo?"},
		{"nosuchthing.atall", symbols.ErrNoFunc, "no function matches nosuchthing.atall"},
		{"String", symbols.ErrAmbiguousFunc, "function name String is ambiguous"},
	}
	for _, tt := range tests {
		_, err := tab.LookupFunc(tt.query)
		if !errors.Is(err, tt.err) || !strings.HasPrefix(err.Error(), tt.message) {
			t.Errorf("LookupFunc(%q) error = %v; want %v starting %q", tt.query, err, tt.err, tt.message)
		}
		var fe *symbols.FuncError
		if !errors.As(err, &fe) || fe.Name != tt.query {
			t.Errorf("LookupFunc(%q) error %T is not a *FuncError naming the query", tt.query, err)
		}
	}
}

func TestLineErrors(t *testing.T) {
	for _, fx := range []fixture{goDebug, goStripped, cDebug} {
		tab := open(t, fx)
		src := goSource(t)
		if !tab.IsGo() {
			src = cSource(t)
		}
		base := filepath.Base(src)
		if _, err := tab.LineToPCs("nosuch.go", 1); !errors.Is(err, symbols.ErrNoFile) {
			t.Errorf("LineToPCs(nosuch.go) error = %v; want ErrNoFile", err)
		}
		if _, err := tab.LineToPCs(base, 1); !errors.Is(err, symbols.ErrNoCode) || !strings.Contains(err.Error(), "nearest line with code is") {
			t.Errorf("LineToPCs(%s, 1) error = %v; want ErrNoCode with a nearest line", base, err)
		}
		var le *symbols.LineError
		_, err := tab.LineToPCs(base, 1)
		if !errors.As(err, &le) || le.Nearest == 0 {
			t.Errorf("LineToPCs(%s, 1) error = %#v; want a *LineError with Nearest", base, err)
		}
	}
	if tab := open(t, goDebug); true {
		_, err := tab.LineToPCs("print.go", 10)
		if !errors.Is(err, symbols.ErrAmbiguousFile) || !strings.Contains(err.Error(), "fmt/print.go") {
			t.Errorf("LineToPCs(print.go) error = %v; want ErrAmbiguousFile listing fmt/print.go", err)
		}
	}
}

func TestFuncsMatching(t *testing.T) {
	tab := open(t, goDebug)
	var names []string
	for _, fn := range tab.FuncsMatching(regexp.MustCompile(`^main\.`)) {
		names = append(names, fn.Name)
	}
	for _, want := range []string{"main.main", "main.foo", "main.(*T).M", "main.main.func1"} {
		if !slices.Contains(names, want) {
			t.Errorf("FuncsMatching(^main\\.) = %v; missing %s", names, want)
		}
	}
}

func TestSources(t *testing.T) {
	for _, fx := range []fixture{goDebug, goStripped, cDebug} {
		tab := open(t, fx)
		src := tab.Sources()
		want := goSource(t)
		if !tab.IsGo() {
			want = cSource(t)
		}
		if !slices.IsSorted(src) || !slices.Contains(src, want) {
			t.Errorf("%s: Sources() = %d files, sorted %v; want it to contain %s", fx.src, len(src), slices.IsSorted(src), want)
		}
	}
}

// TestFirstStmtPC checks the pc after the prologue is inside the function,
// past its entry, and on the declaration line (Go) or the first body line (C).
func TestFirstStmtPC(t *testing.T) {
	tests := []struct {
		fx         fixture
		fn, marker string
	}{
		{goDebug, "main.main", "maindecl"},
		{goDebug, "main.foo", "foodecl"},
		{goStripped, "main.main", "maindecl"},
		{goPIE, "main.(*T).M", "Mdecl"},
		{cDebug, "main", "mainfirst"},
		{cDebug, "add", "addbody"},
	}
	for _, tt := range tests {
		tab := open(t, tt.fx)
		fn, err := tab.LookupFunc(tt.fn)
		if err != nil {
			t.Fatal(err)
		}
		pc := tab.FirstStmtPC(fn)
		src := goSource(t)
		if !tab.IsGo() {
			src = cSource(t)
		}
		file, line, got := tab.PCToLine(pc)
		if pc <= fn.Entry || got != fn || file != src || line != markerLine(t, src, tt.marker) {
			t.Errorf("FirstStmtPC(%s) = %#x (entry %#x) at %s:%d; want line of %s", tt.fn, pc, fn.Entry, file, line, tt.marker)
		}
	}
}
