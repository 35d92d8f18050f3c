package expr

import (
	"debug/dwarf"
	"encoding/binary"
	"fmt"
	"math"
	"strings"
	"sync"
	"testing"

	"github.com/godbg/godbg/internal/fixtures"
	"github.com/godbg/godbg/pkg/proc/values"
	"github.com/godbg/godbg/pkg/symbols"
)

// fakeMem is a 64 KiB window of memory at fakeBase; everything else is
// unmapped.
type fakeMem struct {
	mu  sync.Mutex
	buf []byte
	top uint64 // next free address
}

const fakeBase = 0x10000

func newFakeMem() *fakeMem { return &fakeMem{buf: make([]byte, 1<<16), top: fakeBase + 16} }

func (m *fakeMem) ReadMemory(addr uint64, buf []byte) (int, error) {
	m.mu.Lock()
	defer m.mu.Unlock()
	if addr < fakeBase || addr+uint64(len(buf)) > fakeBase+uint64(len(m.buf)) || addr+uint64(len(buf)) < addr {
		return 0, fmt.Errorf("unmapped address %#x", addr)
	}
	return copy(buf, m.buf[addr-fakeBase:]), nil
}

func (m *fakeMem) WriteMemory(addr uint64, data []byte) (int, error) {
	m.mu.Lock()
	defer m.mu.Unlock()
	if addr < fakeBase || addr+uint64(len(data)) > fakeBase+uint64(len(m.buf)) {
		return 0, fmt.Errorf("unmapped address %#x", addr)
	}
	return copy(m.buf[addr-fakeBase:], data), nil
}

// put stores data at a fresh 8-aligned address.
func (m *fakeMem) put(data []byte) uint64 {
	addr := m.top
	copy(m.buf[addr-fakeBase:], data)
	m.top += (uint64(len(data)) + 7) &^ 7
	return addr
}

func words(ws ...uint64) []byte {
	b := make([]byte, 8*len(ws))
	for i, w := range ws {
		binary.LittleEndian.PutUint64(b[8*i:], w)
	}
	return b
}

// fakeScope is a fixed set of variables of scopefix's types in fakeMem.
type fakeScope struct {
	l     *values.Loader
	mem   *fakeMem
	vars  map[string]fakeVar // "main.x": package variables
	pAddr uint64             // where *p is
	nAddr uint64             // where n is
}

type fakeVar struct {
	t    dwarf.Type
	addr uint64
}

var (
	fakeOnce sync.Once
	fakeTab  *symbols.Table
	fakeErr  error
)

// newFakeScope returns a fresh scope (its own memory) over the types of
// the scopefix binary.
func newFakeScope(t testing.TB) *fakeScope {
	t.Helper()
	fakeOnce.Do(func() {
		var bin string
		if bin, fakeErr = fixtures.BuildErr("scopefix"); fakeErr == nil {
			fakeTab, fakeErr = symbols.Open(bin)
		}
	})
	if fakeErr != nil {
		t.Fatal(fakeErr)
	}
	l, err := values.NewLoader(fakeTab, 0)
	if err != nil {
		t.Fatal(err)
	}
	s := &fakeScope{l: l, mem: newFakeMem(), vars: map[string]fakeVar{}}
	typ := func(name string) dwarf.Type {
		ty, err := l.LookupType(name)
		if err != nil {
			t.Fatal(err)
		}
		return ty
	}
	m := s.mem
	add := func(name, tname string, data []byte) uint64 {
		addr := m.put(data)
		s.vars[name] = fakeVar{typ(tname), addr}
		return addr
	}
	s.nAddr = add("n", "int", words(7))
	add("f", "float64", words(math.Float64bits(2.5)))
	add("u8", "uint8", []byte{200})
	add("b", "bool", []byte{1})
	add("c", "main.Color", words(3))
	hello := m.put([]byte("hello"))
	add("s", "string", words(hello, 5))
	long := m.put([]byte(strings.Repeat("ab", 100)))
	add("long", "string", words(long, 200))
	elems := m.put(words(1, 2, 3))
	add("xs", "[]int", words(elems, 3, 3))
	add("arr", "[4]int", words(2, 5, 12, 29))
	s.pAddr = m.put(words(5, 6))
	add("p", "*main.Point", words(s.pAddr))
	add("np", "*main.Point", words(0))
	add("pt", "main.Point", words(1, 2))
	add("main.counter", "int", words(5))
	add("wild", "*main.Point", words(0xdead0000))
	return s
}

func (s *fakeScope) lookup(name string, cfg values.LoadConfig) (*values.Value, error) {
	v, ok := s.vars[name]
	if !ok {
		return nil, &NotFoundError{Name: name}
	}
	return s.l.Load(s.mem, name, v.t, v.addr, cfg), nil
}

func (s *fakeScope) Local(name string, cfg values.LoadConfig) (*values.Value, error) {
	if strings.Contains(name, ".") {
		return nil, &NotFoundError{Name: name}
	}
	return s.lookup(name, cfg)
}

func (s *fakeScope) Global(name string, cfg values.LoadConfig) (*values.Value, error) {
	if !strings.Contains(name, ".") {
		name = "main." + name
	}
	return s.lookup(name, cfg)
}

func (s *fakeScope) LookupType(name string) (dwarf.Type, error) {
	t, err := s.l.LookupType(name)
	if err != nil && !strings.Contains(name, ".") {
		return s.l.LookupType("main." + name)
	}
	return t, err
}

func (s *fakeScope) Loader() *values.Loader { return s.l }
func (s *fakeScope) Memory() Memory         { return s.mem }
