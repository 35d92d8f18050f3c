package core

import (
	"errors"
	"io"
	"math/rand"
	"os"
	"path/filepath"
	"strings"
	"testing"
)

// TestDamagedCores: every damaged core gives a *FormatError that names
// the file and says what is wrong.
func TestDamagedCores(t *testing.T) {
	l := cachedDump(t, "sleepers.c")
	good, err := os.ReadFile(l.core)
	if err != nil {
		t.Fatal(err)
	}
	c, err := parseCore(strings.NewReader(string(good)), int64(len(good)), l.core)
	if err != nil {
		t.Fatal(err)
	}
	dir := t.TempDir()
	write := func(name string, b []byte) string {
		p := filepath.Join(dir, name)
		if err := os.WriteFile(p, b, 0o600); err != nil {
			t.Fatal(err)
		}
		return p
	}
	noteOff := int(c.noteOffset(t))
	lastLoad := c.loads[len(c.loads)-1]
	rng := rand.New(rand.NewSource(1))
	random := make([]byte, 1<<16)
	rng.Read(random)
	badNote := append([]byte(nil), good...)
	le.PutUint32(badNote[noteOff+4:], 1<<30) // the first note's descriptor size
	cases := []struct {
		name, path, want string
	}{
		{"empty", write("empty", nil), "empty"},
		{"3 bytes", write("cut3", good[:3]), "truncated"},
		{"half header", write("cut40", good[:40]), "truncated"},
		{"half program headers", write("cutph", good[:ehdrSize+phdrSize+20]), "truncated"},
		{"half notes", write("cutnotes", good[:noteOff+100]), "truncated"},
		{"half memory", write("cutmem", good[:lastLoad.Off+lastLoad.Filesz/2]), "truncated"},
		{"one byte short", write("cut1", good[:len(good)-1]), "truncated"},
		{"random bytes", write("random", random), "not an ELF file"},
		{"damaged note", write("badnote", badNote), "runs past the end"},
		{"an executable", l.bin, "not a core file"},
		{"a directory", dir, "directory"},
		{"missing", filepath.Join(dir, "missing"), "no such file"},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			p, err := Open(l.bin, tc.path)
			if err == nil {
				p.(io.Closer).Close()
				t.Fatal("the damaged core was accepted")
			}
			var fe *FormatError
			if !errors.As(err, &fe) || !errors.Is(err, ErrNotCore) {
				t.Fatalf("error %v (%T) is not a *FormatError", err, err)
			}
			if msg := err.Error(); !strings.Contains(msg, tc.path) || !strings.Contains(msg, tc.want) {
				t.Errorf("message %q should name the file and say %q", msg, tc.want)
			}
			t.Log(err)
		})
	}
}

// TestDamagedMemoryIsNotAPanic flips random bytes all over a good core:
// Open may fail or succeed, reads must not panic.
func TestRandomlyCorruptedCores(t *testing.T) {
	l := cachedDump(t, "sleepers.c")
	good, err := os.ReadFile(l.core)
	if err != nil {
		t.Fatal(err)
	}
	exe, err := openExe(l.bin)
	if err != nil {
		t.Fatal(err)
	}
	defer exe.f.Close()
	head := good[:min(len(good), 16<<10)] // headers and notes
	rng := rand.New(rand.NewSource(2))
	for i := 0; i < 2000; i++ {
		b := append([]byte(nil), head...)
		for j := 0; j < 1+rng.Intn(8); j++ {
			b[rng.Intn(len(b))] = byte(rng.Intn(256))
		}
		c, err := parseCore(strings.NewReader(string(b)), int64(len(b)), "corrupt")
		if err != nil {
			if !errors.Is(err, ErrNotCore) {
				t.Fatalf("error %v is not a FormatError", err)
			}
			continue
		}
		match(c, exe)
		m := &memory{c: c}
		for _, th := range c.threads {
			m.ReadMemory(th.regs.SP(), make([]byte, 32))
		}
	}
}

// noteOffset is the file offset of the (first) note segment.
func (c *coreFile) noteOffset(t *testing.T) uint64 {
	t.Helper()
	phs, err := c.programHeaders()
	if err != nil {
		t.Fatal(err)
	}
	for _, ph := range phs {
		if ph.Type == ptNote {
			return ph.Off
		}
	}
	t.Fatal("no note segment")
	return 0
}
