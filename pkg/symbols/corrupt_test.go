package symbols_test

import (
	"bytes"
	"debug/elf"
	"errors"
	"math/rand"
	"os"
	"path/filepath"
	"testing"

	"github.com/godbg/godbg/pkg/symbols"
)

// TestCorrupt checks that odd inputs give errors, not panics.
func TestCorrupt(t *testing.T) {
	good, err := os.ReadFile(build(t, cDebug))
	if err != nil {
		t.Fatal(err)
	}
	rnd := rand.New(rand.NewSource(1))
	random := make([]byte, 4096)
	rnd.Read(random)
	tests := []struct {
		name string
		data []byte
	}{
		{"empty", nil},
		{"text", []byte("#!/bin/sh\necho hello\n")},
		{"random", random},
		{"elf magic only", []byte("\x7fELF\x02\x01\x01")},
		{"truncated", good[:len(good)/3]},
		{"header only", good[:64]},
	}
	dir := t.TempDir()
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			path := filepath.Join(dir, tt.name)
			if err := os.WriteFile(path, tt.data, 0o644); err != nil {
				t.Fatal(err)
			}
			tab, err := symbols.Open(path)
			if err == nil {
				// A truncated file may still parse; lookups must not panic.
				tab.LookupFunc("main")
				tab.PCToLine(tab.Entry())
				tab.LineToPCs("main.c", 7)
				tab.Close()
				return
			}
			if !errors.Is(err, symbols.ErrNotExecutable) {
				t.Errorf("Open(%s) error = %v; want ErrNotExecutable", tt.name, err)
			}
		})
	}
	if _, err := symbols.Open(filepath.Join(dir, "missing")); !errors.Is(err, os.ErrNotExist) {
		t.Errorf("Open(missing) error = %v; want os.ErrNotExist", err)
	}
}

// TestWrongArch checks the machine check names the problem.
func TestWrongArch(t *testing.T) {
	data, err := os.ReadFile(build(t, cDebug))
	if err != nil {
		t.Fatal(err)
	}
	data[18] = byte(elf.EM_AARCH64) // e_machine
	f, err := elf.NewFile(bytes.NewReader(data))
	if err != nil {
		t.Fatal(err)
	}
	_, err = symbols.NewTable(f, "arm-binary")
	if !errors.Is(err, symbols.ErrNotExecutable) || err.Error() != "arm-binary: not amd64 (machine EM_AARCH64)" {
		t.Errorf("NewTable error = %v", err)
	}
}

func FuzzOpen(f *testing.F) {
	for _, fx := range []fixture{cDebug, cNoDebug} {
		data, err := os.ReadFile(build(f, fx))
		if err != nil {
			f.Fatal(err)
		}
		f.Add(data)
	}
	f.Add([]byte("\x7fELF\x02\x01\x01\x00"))
	f.Add([]byte{})
	f.Fuzz(func(t *testing.T, data []byte) {
		ef, err := elf.NewFile(bytes.NewReader(data))
		if err != nil {
			return
		}
		tab, err := symbols.NewTable(ef, "fuzz")
		if err != nil {
			return
		}
		for _, fn := range tab.Funcs() {
			tab.PCToLine(fn.Entry)
			tab.FirstStmtPC(fn)
		}
		tab.LookupFunc("main")
		for _, src := range tab.Sources() {
			tab.LineToPCs(src, 1)
		}
	})
}
