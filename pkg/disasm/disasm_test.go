package disasm

import (
	"debug/elf"
	"os/exec"
	"testing"

	"github.com/godbg/godbg/internal/fixtures"
)

// lookup knows main.foo at 0x2000 and main.bar at [0x1000, 0x2000).
func lookup(addr uint64) (string, uint64) {
	switch {
	case addr >= 0x2000 && addr < 0x2100:
		return "main.foo", 0x2000
	case addr >= 0x1000 && addr < 0x2000:
		return "main.bar", 0x1000
	}
	return "", 0
}

func TestDecode(t *testing.T) {
	for _, tc := range []struct {
		name   string
		code   []byte
		syntax Syntax
		want   []string
		target uint64
	}{
		{"mov go", []byte{0x48, 0x89, 0xe5}, GoSyntax, []string{"MOVQ SP, BP"}, 0},
		{"mov gnu", []byte{0x48, 0x89, 0xe5}, GNUSyntax, []string{"mov %rsp,%rbp"}, 0},
		{"mov intel", []byte{0x48, 0x89, 0xe5}, IntelSyntax, []string{"mov rbp, rsp"}, 0},
		{"call symbol go", []byte{0xe8, 0xfb, 0x0f, 0x00, 0x00}, GoSyntax, []string{"CALL main.foo(SB)"}, 0x2000},
		{"call symbol gnu", []byte{0xe8, 0xfb, 0x0f, 0x00, 0x00}, GNUSyntax, []string{"callq main.foo"}, 0x2000},
		{"call symbol+off", []byte{0xe8, 0x0b, 0x10, 0x00, 0x00}, GoSyntax, []string{"CALL 0x2010 <main.foo+0x10>"}, 0x2010},
		{"jmp inside", []byte{0xeb, 0x0e}, GoSyntax, []string{"JMP 0x1010 <main.bar+0x10>"}, 0x1010},
		{"jmp unknown", []byte{0xe9, 0x00, 0x00, 0x01, 0x00}, IntelSyntax, []string{"jmp 0x11005"}, 0x11005},
		{"ret then bad", []byte{0xc3, 0x06}, GoSyntax, []string{"RET", "?"}, 0},
		{"truncated", []byte{0xe8, 0x00}, GNUSyntax, []string{"?", "?"}, 0},
		{"empty", nil, GoSyntax, nil, 0},
	} {
		t.Run(tc.name, func(t *testing.T) {
			got := Decode(tc.code, 0x1000, tc.syntax, lookup)
			if len(got) != len(tc.want) {
				t.Fatalf("got %d instructions %+v, want %q", len(got), got, tc.want)
			}
			for i, in := range got {
				if in.Text != tc.want[i] {
					t.Errorf("inst %d: got %q, want %q", i, in.Text, tc.want[i])
				}
				if in.Valid != (tc.want[i] != "?") {
					t.Errorf("inst %d: Valid %v for %q", i, in.Valid, in.Text)
				}
			}
			if len(got) > 0 && got[0].Target != tc.target {
				t.Errorf("target %#x, want %#x", got[0].Target, tc.target)
			}
		})
	}
}

func TestDecodeAddresses(t *testing.T) {
	code := []byte{0x55, 0x48, 0x89, 0xe5, 0x06, 0xc3}
	got := Decode(code, 0x400000, GoSyntax, nil)
	wantAddr := []uint64{0x400000, 0x400001, 0x400004, 0x400005}
	if len(got) != len(wantAddr) {
		t.Fatalf("got %+v", got)
	}
	for i, in := range got {
		if in.Addr != wantAddr[i] {
			t.Errorf("inst %d at %#x, want %#x", i, in.Addr, wantAddr[i])
		}
	}
}

func TestParseSyntax(t *testing.T) {
	for _, tc := range []struct {
		in   string
		want Syntax
		ok   bool
	}{
		{"go", GoSyntax, true}, {"GNU", GNUSyntax, true}, {"att", GNUSyntax, true},
		{"intel", IntelSyntax, true}, {"arm", 0, false}, {"", 0, false},
	} {
		got, err := ParseSyntax(tc.in)
		if (err == nil) != tc.ok || (tc.ok && got != tc.want) {
			t.Errorf("ParseSyntax(%q) = %v, %v", tc.in, got, err)
		}
	}
}

func FuzzDecode(f *testing.F) {
	f.Add([]byte{0x48, 0x89, 0xe5, 0xc3}, uint64(0x1000))
	f.Add([]byte{0xe8, 0xfb, 0x0f, 0x00, 0x00, 0x06}, uint64(0))
	f.Add([]byte{0xf3, 0x0f, 0x1e, 0xfa, 0xc5, 0xfd, 0x6f, 0x04, 0x24}, ^uint64(0)-4)
	f.Fuzz(func(t *testing.T, code []byte, addr uint64) {
		for _, s := range []Syntax{GoSyntax, GNUSyntax, IntelSyntax} {
			n := 0
			for _, in := range Decode(code, addr, s, lookup) {
				if in.Addr != addr+uint64(n) || len(in.Bytes) == 0 || in.Text == "" {
					t.Fatalf("%v: bad instruction %+v at offset %d", s, in, n)
				}
				n += len(in.Bytes)
			}
			if n != len(code) {
				t.Fatalf("%v: decoded %d of %d bytes", s, n, len(code))
			}
		}
	})
}

func TestPLTSymbols(t *testing.T) {
	if _, err := exec.LookPath("gcc"); err != nil {
		t.Skip("gcc not installed; the PLT test needs a dynamically linked C program")
	}
	bin := fixtures.Build(t, "exitcode.c")
	f, err := elf.Open(bin)
	if err != nil {
		t.Fatal(err)
	}
	defer f.Close()
	got := map[string]bool{}
	for _, s := range PLTSymbols(f) {
		got[s.Name] = true
		if s.Size == 0 || s.Addr == 0 {
			t.Errorf("bad symbol %+v", s)
		}
	}
	for _, want := range []string{"strcmp@plt", "atoi@plt", "puts@plt"} {
		if !got[want] {
			t.Errorf("no %s in %v", want, got)
		}
	}
}
