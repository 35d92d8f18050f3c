package symbols_test

import (
	"debug/elf"
	"os/exec"
	"testing"

	"github.com/godbg/godbg/internal/fixtures"
	"github.com/godbg/godbg/pkg/symbols"
)

// An externally linked Go program (cgo, -linkmode=external) has C code in
// .text before the Go code: pc-line addresses are offsets from
// runtime.text, not from .text.
func TestExternallyLinkedGoAddresses(t *testing.T) {
	if _, err := exec.LookPath("gcc"); err != nil {
		t.Skip("no gcc")
	}
	bin := fixtures.Build(t, "bpgo", "-ldflags=-linkmode=external")
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
	checked := map[string]bool{}
	for _, s := range syms {
		if s.Name != "main.main" && s.Name != "runtime.main" && s.Name != "runtime.goexit" {
			continue
		}
		fn, err := tab.LookupFunc(s.Name)
		if err != nil {
			t.Fatal(err)
		}
		if fn.Entry != s.Value {
			t.Errorf("%s at %#x, the ELF symbol says %#x", s.Name, fn.Entry, s.Value)
		}
		if got := tab.PCToFunc(s.Value); got == nil || got.Name != s.Name {
			t.Errorf("PCToFunc(%#x) = %v, want %s", s.Value, got, s.Name)
		}
		checked[s.Name] = true
	}
	if !checked["main.main"] || len(checked) < 2 {
		t.Fatalf("checked %v; main.main and one runtime function wanted", checked)
	}
}
