package core

import (
	"bytes"
	"errors"
	"testing"

	"github.com/godbg/godbg/pkg/proc"
)

// memFile is an in-memory writerAt.
type memFile struct{ b []byte }

func (m *memFile) WriteAt(p []byte, off int64) (int, error) {
	if end := int(off) + len(p); end > len(m.b) {
		m.b = append(m.b, make([]byte, end-len(m.b))...)
	}
	return copy(m.b[off:], p), nil
}

func (m *memFile) Truncate(n int64) error {
	if int(n) > len(m.b) {
		m.b = append(m.b, make([]byte, int(n)-len(m.b))...)
	}
	m.b = m.b[:n]
	return nil
}

// synthMem is a fake address space: byte a is a*7+3, except for one page of
// zeros and one page that cannot be read.
type synthMem struct{}

const (
	synthZero = 0x601000
	synthBad  = 0x603000
)

func (synthMem) ReadMemory(addr uint64, buf []byte) (int, error) {
	for i := range buf {
		a := addr + uint64(i)
		switch {
		case a >= synthBad && a < synthBad+pageSize:
			return i, errors.New("unreadable")
		case a >= synthZero && a < synthZero+pageSize:
			buf[i] = 0
		default:
			buf[i] = byte(a*7 + 3)
		}
	}
	return len(buf), nil
}

// synthImage is a two-thread process: a header page of a program at
// 0x400000 (the rest of its text left to the executable), 20 KiB of data
// with a zero page and an unreadable page, and a reserved range.
func synthImage() *image {
	auxv := make([]byte, 32)
	le.PutUint64(auxv, atEntry)
	le.PutUint64(auxv[8:], 0x401000)
	t1 := threadImage{tid: 101, sig: 11}
	t1.gp[rRip], t1.gp[rRsp], t1.gp[rFsBase] = 0x401234, 0x608000, 0x7000
	t2 := threadImage{tid: 100, fp: new([fxsaveSize]byte)}
	t2.gp[rRip], t2.gp[rRsp] = 0x401500, 0x60c000
	t2.fp[160] = 0x42 // xmm0
	return &image{
		pid: 100, ppid: 1, state: 't', fname: "synth", psargs: "synth -x",
		auxv:    auxv,
		files:   []fileMap{{Start: 0x400000, End: 0x402000, Path: "/bin/synth"}},
		threads: []threadImage{t1, t2},
		segs: []segment{
			{start: 0x400000, end: 0x402000, flags: pfR | pfX, size: pageSize},
			{start: 0x600000, end: 0x605000, flags: pfR | pfW, size: 0x5000},
			{start: 0x700000, end: 0x800000},
		},
	}
}

func synthCore(t testing.TB) []byte {
	var f memFile
	if _, err := writeCore(&f, synthImage(), synthMem{}); err != nil {
		t.Fatal(err)
	}
	return f.b
}

func TestSynthRoundTrip(t *testing.T) {
	b := synthCore(t)
	c, err := parseCore(bytes.NewReader(b), int64(len(b)), "synth")
	if err != nil {
		t.Fatal(err)
	}
	if len(c.threads) != 2 || c.current.tid != 101 || c.current.sig != 11 {
		t.Fatalf("threads %d, current %d signal %d; want 2, 101, 11", len(c.threads), c.current.tid, c.current.sig)
	}
	if c.ps == nil || c.ps.pid != 100 || c.ps.psargs != "synth -x" {
		t.Fatalf("psinfo = %+v", c.ps)
	}
	r := c.threads[0].regs
	if r.PC() != 0x401234 || r.SP() != 0x608000 || r.fpValid {
		t.Errorf("thread 101: pc %#x sp %#x fp %v", r.PC(), r.SP(), r.fpValid)
	}
	if x, err := c.threads[1].regs.DWARFRegister(17); err != nil || x != 0x42 {
		t.Errorf("thread 100 xmm0 = %#x, %v", x, err)
	}
	m := &memory{c: c}
	checks := []struct {
		addr uint64
		n    int
		ok   bool
		want func(a uint64) byte
	}{
		{0x400000, 16, true, func(a uint64) byte { return byte(a*7 + 3) }},
		{0x600ff0, 32, true, func(a uint64) byte {
			if a >= synthZero {
				return 0
			}
			return byte(a*7 + 3)
		}},
		{synthBad - 8, 16, true, func(a uint64) byte { // unreadable page: a hole of zeros
			if a >= synthBad {
				return 0
			}
			return byte(a*7 + 3)
		}},
		{0x401000, 8, false, nil}, // text not in the core, no executable
		{0x700000, 8, false, nil}, // reserved
		{0x900000, 8, false, nil}, // unmapped
	}
	for _, ck := range checks {
		buf := make([]byte, ck.n)
		n, err := m.ReadMemory(ck.addr, buf)
		if (err == nil) != ck.ok {
			t.Errorf("read %#x: n=%d err=%v, want ok=%v", ck.addr, n, err, ck.ok)
			continue
		}
		if !ck.ok {
			if !errors.Is(err, ErrUnavailable) {
				t.Errorf("read %#x: error %v does not wrap ErrUnavailable", ck.addr, err)
			}
			continue
		}
		for i, v := range buf {
			if w := ck.want(ck.addr + uint64(i)); v != w {
				t.Fatalf("byte at %#x = %#x, want %#x", ck.addr+uint64(i), v, w)
			}
		}
	}
}

// TestCoreOnlyInspects: a core file is a proc.Inspector and nothing
// more: it implements neither running (proc.Runner) nor tracing settings
// (proc.Tracer), and its threads cannot set registers, so no no-op setter
// or cannot-run stub is left to call.
func TestCoreOnlyInspects(t *testing.T) {
	b := synthCore(t)
	c, err := parseCore(bytes.NewReader(b), int64(len(b)), "synth")
	if err != nil {
		t.Fatal(err)
	}
	p := &cproc{c: c, pid: 100}
	p.mem = memory{c: c}
	var in proc.Inspector = p
	if _, ok := in.(proc.Runner); ok {
		t.Errorf("the core's type implements proc.Runner")
	}
	if _, ok := in.(proc.Tracer); ok {
		t.Errorf("the core's type implements proc.Tracer")
	}
	if _, ok := in.(proc.Process); ok {
		t.Errorf("the core's type implements proc.Process")
	}
	th, _ := p.Thread(100)
	if _, ok := th.(proc.RegisterSetter); ok {
		t.Errorf("the core's threads implement proc.RegisterSetter")
	}
	if st := StopOf(p); st == nil || st.Tid != 101 || st.Signal != 11 {
		t.Errorf("StopOf = %+v, want thread 101 signal 11", st)
	}
	if ts := p.Threads(); len(ts) != 2 || ts[0].ID() != 100 || ts[1].State() != "signal SIGSEGV" {
		t.Errorf("threads not ordered by tid or states wrong: %v", ts)
	}
}
