package symbols_test

import (
	"debug/elf"
	"os/exec"
	"regexp"
	"strings"
	"testing"

	"github.com/godbg/godbg/internal/fixtures"
	"github.com/godbg/godbg/pkg/symbols"
)

// TestCgoFunctions checks the C functions of a cgo program against gcc's
// own ELF symbols: each is known by Delve's name "C.<name>" and by its C
// name, at the symbol's address and size, with its C file and line; pcs
// in it map to cfix.c; a breakpoint goes where gdb puts it (the entry of
// an -O2 function whose first rows already name its body line); and the
// Go functions are unchanged.
func TestCgoFunctions(t *testing.T) {
	if _, err := exec.LookPath("gcc"); err != nil {
		t.Skip("no gcc")
	}
	bin := fixtures.Build(t, "cgofix")
	tab, err := symbols.Open(bin)
	if err != nil {
		t.Fatal(err)
	}
	defer tab.Close()
	f, err := elf.Open(bin)
	if err != nil {
		t.Fatal(err)
	}
	defer f.Close()
	syms, err := f.Symbols()
	if err != nil {
		t.Fatal(err)
	}
	elfSym := map[string]elf.Symbol{}
	for _, s := range syms {
		elfSym[s.Name] = s
	}
	for _, name := range []string{"cadd", "cmul", "cscale", "cname", "cone"} {
		s, ok := elfSym[name]
		if !ok {
			t.Fatalf("no ELF symbol %s", name)
		}
		for _, q := range []string{name, "C." + name} {
			fn, err := tab.LookupFunc(q)
			if err != nil {
				t.Fatalf("LookupFunc(%q): %v", q, err)
			}
			if fn.Name != "C."+name || !fn.C || fn.Entry != s.Value || fn.End != s.Value+s.Size || !strings.HasSuffix(fn.File, "/cgofix/cfix.c") || fn.Line == 0 {
				t.Errorf("LookupFunc(%q) = %+v; ELF symbol at %#x size %d", q, *fn, s.Value, s.Size)
			}
		}
		file, line, fn := tab.PCToLine(s.Value + 1)
		if fn == nil || fn.Name != "C."+name || !strings.HasSuffix(file, "/cfix.c") || line == 0 {
			t.Errorf("PCToLine(%s+1) = %s:%d %v", name, file, line, fn)
		}
		if got := tab.FirstStmtPC(tab.PCToFunc(s.Value)); got != s.Value {
			t.Errorf("FirstStmtPC(%s) = %#x, want the entry %#x (gcc -O2: no prologue; cone's next row is its RET, not a statement)", name, got, s.Value)
		}
	}
	if n := len(tab.FuncsMatching(regexp.MustCompile(`^C\.c(add|mul|scale|name)$`))); n != 4 {
		t.Errorf("FuncsMatching found %d C functions, want 4", n)
	}
	if fn, err := tab.LookupFunc("main.main"); err != nil || fn.C || fn.Entry != elfSym["main.main"].Value {
		t.Errorf("main.main: %+v, %v", fn, err)
	}
	// A pure Go program gets no C functions.
	gotab, err := symbols.Open(fixtures.Build(t, "tracefix"))
	if err != nil {
		t.Fatal(err)
	}
	defer gotab.Close()
	for _, fn := range gotab.Funcs() {
		if fn.C || strings.HasPrefix(fn.Name, "C.") {
			t.Fatalf("pure Go program has C function %+v", *fn)
		}
	}
}

// TestCgoInternalLink: runtime/cgo linked by Go's internal linker puts its
// C functions in .gopclntab, without lines; they are C functions too, and
// their pcs get no Go file.
func TestCgoInternalLink(t *testing.T) {
	if _, err := exec.LookPath("gcc"); err != nil {
		t.Skip("no gcc")
	}
	tab, err := symbols.Open(fixtures.Build(t, "cgointernal"))
	if err != nil {
		t.Fatal(err)
	}
	defer tab.Close()
	fn, err := tab.LookupFunc("x_cgo_init")
	if err != nil {
		t.Fatal(err)
	}
	if fn.Name != "C.x_cgo_init" || !fn.C {
		t.Errorf("x_cgo_init: %+v", *fn)
	}
	if file, line, _ := tab.PCToLine(fn.Entry + 1); strings.HasSuffix(file, ".go") {
		t.Errorf("C function x_cgo_init at %s:%d", file, line)
	}
	if main, err := tab.LookupFunc("main.main"); err != nil || main.C {
		t.Errorf("main.main: %+v, %v", main, err)
	}
}
