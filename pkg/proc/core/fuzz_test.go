package core

import (
	"bytes"
	"errors"
	"os"
	"testing"
)

// FuzzCoreReader feeds arbitrary bytes to the core reader: it must return
// a *FormatError or a core whose threads, registers and memory can be
// read, never panic or hang.
func FuzzCoreReader(f *testing.F) {
	good := synthCore(f)
	f.Add(good)
	for _, n := range []int{0, 4, 63, 64, 100, 200, len(good) / 2, len(good) - 1} {
		f.Add(good[:n])
	}
	exe, err := openExe(os.Args[0])
	if err != nil {
		f.Fatal(err)
	}
	defer exe.f.Close()
	f.Fuzz(func(t *testing.T, data []byte) {
		c, err := parseCore(bytes.NewReader(data), int64(len(data)), "fuzz")
		if err != nil {
			if !errors.Is(err, ErrNotCore) {
				t.Fatalf("error %v is not a FormatError", err)
			}
			return
		}
		match(c, exe)
		m := &memory{c: c}
		buf := make([]byte, 64)
		for _, th := range c.threads {
			r := th.regs
			r.List(true)
			for i := 0; i < 34; i++ {
				r.DWARFRegister(i)
			}
			m.ReadMemory(r.PC(), buf)
			m.ReadMemory(r.SP()-8, buf)
		}
		for _, s := range c.loads {
			m.ReadMemory(s.Vaddr, buf)
			m.ReadMemory(s.Vaddr+s.Filesz-1, buf)
			m.ReadMemory(s.end()-1, buf)
		}
	})
}
