package goroutines

import (
	"encoding/binary"
	"errors"
	"fmt"
	"math/rand/v2"
	"slices"
	"strings"
	"testing"

	"github.com/godbg/godbg/internal/fixtures"
	"github.com/godbg/godbg/pkg/symbols"
)

func TestNotGo(t *testing.T) {
	tab, err := symbols.Open(fixtures.Build(t, "bpfix.c"))
	if err != nil {
		t.Fatal(err)
	}
	defer tab.Close()
	_, err = NewReader(tab, errMem{}, 0)
	var le *LoadError
	if !errors.Is(err, ErrNotGo) || !errors.As(err, &le) || !strings.Contains(err.Error(), "not a Go program: no runtime.allgs") {
		t.Fatalf("C program: %v, want a LoadError for ErrNotGo", err)
	}
	t.Log(err)
}

func TestNoDWARF(t *testing.T) {
	tab, err := symbols.Open(fixtures.Build(t, "gorofix", "-ldflags=-w"))
	if err != nil {
		t.Fatal(err)
	}
	defer tab.Close()
	if _, err := NewReader(tab, errMem{}, 0); !errors.Is(err, ErrNoDWARF) || !strings.Contains(err.Error(), "-ldflags=-w") {
		t.Fatalf("Go program without DWARF: %v, want ErrNoDWARF with a hint", err)
	}
}

// errMem fails every read.
type errMem struct{}

func (errMem) ReadMemory(addr uint64, buf []byte) (int, error) {
	return 0, fmt.Errorf("no memory at %#x", addr)
}

// fakeMem is a sparse address space: reads must fall inside one region.
type fakeMem struct {
	regions map[uint64][]byte // start → bytes
	reads   int
}

func (m *fakeMem) ReadMemory(addr uint64, buf []byte) (int, error) {
	m.reads++
	for start, b := range m.regions {
		if addr >= start && addr-start <= uint64(len(b)) && uint64(len(buf)) <= uint64(len(b))-(addr-start) {
			return copy(buf, b[addr-start:]), nil
		}
	}
	return 0, fmt.Errorf("no memory at %#x", addr)
}

func (m *fakeMem) word(addr, v uint64) {
	m.regions[addr] = binary.LittleEndian.AppendUint64(nil, v)
}

// gorofixLayout loads the layout of the optimized gorofix.
func gorofixLayout(t *testing.T) *symbols.Table {
	t.Helper()
	tab, err := symbols.Open(fixtures.Build(t, "gorofix", "-gcflags=all="))
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { tab.Close() })
	return tab
}

// fakeProcess lays out allglen/allgptr (or the allgs header), allm and a
// pointer array for ptrs in a fakeMem.
func fakeProcess(l *Layout, ptrs []uint64) *fakeMem {
	m := &fakeMem{regions: map[uint64][]byte{}}
	const arr = 0x7000_0000
	var a []byte
	for _, p := range ptrs {
		a = binary.LittleEndian.AppendUint64(a, p)
	}
	m.regions[arr] = a
	if l.allglen != 0 {
		m.word(l.allglen, uint64(len(ptrs)))
		m.word(l.allgptr, arr)
	}
	hdr := binary.LittleEndian.AppendUint64(binary.LittleEndian.AppendUint64(nil, arr), uint64(len(ptrs)))
	m.regions[l.allgs] = binary.LittleEndian.AppendUint64(hdr, uint64(len(ptrs)))
	return m
}

func put(b []byte, f field, v uint64) {
	if f.present() {
		binary.LittleEndian.PutUint64(b[f.off:], v) // every field written is 8 bytes or is followed by padding we own
	}
}

// TestBatchedReads lays out 5000 gs the way the heap does (480-byte size
// class, allgs order shuffled within runs of 64), with an unreadable and a
// nil entry, and checks order, contents, dead filtering and that
// neighbouring gs share reads.
func TestBatchedReads(t *testing.T) {
	tab := gorofixLayout(t)
	l, err := LoadLayout(tab)
	if err != nil {
		t.Fatal(err)
	}
	const n, heap = 5000, 0x10_0000_0000
	stride := uint64(max(480, l.g.hi))
	heapBytes := make([]byte, n*int(stride))
	ptrs := make([]uint64, n)
	rng := rand.New(rand.NewPCG(1, 2))
	var perm []int
	for i := range ptrs {
		if i%64 == 0 {
			perm = rng.Perm(min(64, n-i))
		}
		slot := uint64(i/64*64 + perm[i%64])
		ptrs[i] = heap + slot*stride
		b := heapBytes[slot*stride:]
		put(b, l.g.goid, uint64(i+1))
		status := uint64(StatusWaiting)
		if i%10 == 0 {
			status = uint64(StatusDead)
		}
		binary.LittleEndian.PutUint32(b[l.g.status.off:], uint32(status))
		put(b, l.g.startpc, 0x401000+uint64(i))
	}
	ptrs = append(ptrs, 0, 0xdead_0000)
	mem := fakeProcess(l, ptrs)
	mem.regions[heap] = heapBytes
	r, err := NewReader(tab, mem, 0)
	if err != nil {
		t.Fatal(err)
	}
	mem.reads = 0
	gs, err := r.List(Options{NoLabels: true})
	var pe *PartialError
	if !errors.As(err, &pe) || pe.Skipped != 1 {
		t.Fatalf("List error %v, want a PartialError with 1 skipped", err)
	}
	if len(gs) != n-n/10 {
		t.Fatalf("%d goroutines, want %d", len(gs), n-n/10)
	}
	var want []int64
	for i := range n {
		if i%10 != 0 {
			want = append(want, int64(i+1))
		}
	}
	ids := make([]int64, len(gs))
	for i, g := range gs {
		ids[i] = g.ID
		if g.StartPC != 0x401000+uint64(g.ID-1) || g.Status != StatusWaiting || g.Addr == 0 {
			t.Fatalf("goroutine %+v decoded wrongly", g)
		}
	}
	if !slices.Equal(ids, want) {
		t.Fatalf("ids not in allgs order")
	}
	if mem.reads > n/20 {
		t.Errorf("%d reads for %d goroutines laid out together; want merged reads", mem.reads, n)
	}
	t.Logf("%d reads for %d goroutines", mem.reads, n)
	all, _ := r.List(Options{IncludeDead: true})
	if len(all) != n {
		t.Errorf("%d goroutines with dead ones, want %d", len(all), n)
	}
	// A runtime without allglen/allgptr: the allgs slice header is used.
	old := *l
	old.allglen, old.allgptr = 0, 0
	r = &Reader{l: &old, tab: tab, mem: mem}
	if gs, _ := r.List(Options{NoLabels: true}); len(gs) != n-n/10 {
		t.Errorf("from the allgs header: %d goroutines, want %d", len(gs), n-n/10)
	}
}

// TestGarbageMemory feeds the real layout random memory: nothing may
// panic, whatever is returned.
func TestGarbageMemory(t *testing.T) {
	tab := gorofixLayout(t)
	l, err := LoadLayout(tab)
	if err != nil {
		t.Fatal(err)
	}
	r, _ := NewReader(tab, errMem{}, 0)
	if _, err := r.List(Options{}); err == nil {
		t.Error("List with unreadable memory: no error")
	}
	if _, err := r.CurrentG(0, 0x7f00_0000_0000, 0xc000_0000); !errors.Is(err, ErrNoG) {
		t.Errorf("CurrentG with unreadable memory: %v", err)
	}
	if _, ok, err := r.ThreadG(1234, 0x7f00_0000_0000, 0); ok || err != nil {
		t.Errorf("ThreadG with unreadable memory: %v %v", ok, err)
	}
	if _, err := r.Ms(); err == nil {
		t.Error("Ms with unreadable memory: no error")
	}
	rng := rand.New(rand.NewPCG(3, 4))
	const heap, size = 0x20_0000_0000, 1 << 20
	for round := range 20 {
		// A heap whose words are random or pointers back into the heap.
		hb := make([]byte, size)
		for i := 0; i < size; i += 8 {
			v := rng.Uint64()
			if round%2 == 0 || rng.IntN(2) == 0 {
				v = heap + uint64(rng.IntN(size))&^7
			}
			binary.LittleEndian.PutUint64(hb[i:], v)
		}
		ptrs := make([]uint64, 2000)
		for i := range ptrs {
			ptrs[i] = binary.LittleEndian.Uint64(hb[8*i:])
		}
		mem := fakeProcess(l, ptrs)
		mem.regions[heap] = hb
		mem.word(l.allm, heap+uint64(rng.IntN(size))&^7)
		r, _ := NewReader(tab, mem, 0)
		r.List(Options{IncludeDead: true})
		r.Ms()
		r.ThreadGoroutines()
		r.ThreadG(0, heap+8, heap+16)
		r.ThreadG(77, heap+8, heap+16)
		r.G(heap + 64)
		r.Find(5)
	}
}
