package stack_test

import (
	"encoding/binary"
	"errors"
	"math/rand"
	"sync"
	"testing"

	"github.com/godbg/godbg/internal/fixtures"
	. "github.com/godbg/godbg/pkg/proc/stack"
	"github.com/godbg/godbg/pkg/symbols"
)

// fakeMemory is memory with one readable range.
type fakeMemory struct {
	base uint64
	data []byte
}

func (m *fakeMemory) ReadMemory(addr uint64, buf []byte) (int, error) {
	if addr < m.base || addr-m.base >= uint64(len(m.data)) {
		return 0, errors.New("unmapped")
	}
	n := copy(buf, m.data[addr-m.base:])
	if n < len(buf) {
		return n, errors.New("short read")
	}
	return n, nil
}

var (
	selfOnce sync.Once
	selfTab  *symbols.Table
	selfErr  error
)

// self is the symbol table of the stackfix fixture, only read (go test
// strips the test binary's own DWARF, call frame information included).
func self(t testing.TB) *symbols.Table {
	selfOnce.Do(func() {
		var path string
		if path, selfErr = fixtures.BuildErr("stackfix"); selfErr == nil {
			selfTab, selfErr = symbols.Open(path)
		}
	})
	if selfErr != nil {
		t.Fatal(selfErr)
	}
	return selfTab
}

func funcPC(t testing.TB, tab *symbols.Table, name string) uint64 {
	for _, f := range tab.Funcs() {
		if f.Name == name {
			return f.Entry
		}
	}
	t.Fatalf("no %s in the test binary", name)
	return 0
}

const stackBase = 0xc000100000

// TestGarbageStacks unwinds random stacks from the fixture's pcs: it must end,
// within the depth, with frames whose stack pointers only grow except
// across signal frames, and never panic.
func TestGarbageStacks(t *testing.T) {
	tab := self(t)
	funcs := tab.Funcs()
	rng := rand.New(rand.NewSource(1))
	data := make([]byte, 1<<16)
	for i := 0; i < 2000; i++ {
		rng.Read(data)
		// Sprinkle plausible return addresses and stack addresses.
		for j := 0; j+8 <= len(data); j += 8 * (1 + rng.Intn(4)) {
			var v uint64
			switch rng.Intn(3) {
			case 0:
				f := funcs[rng.Intn(len(funcs))]
				v = f.Entry + uint64(rng.Intn(int(f.End-f.Entry)+1))
			case 1:
				v = stackBase + uint64(rng.Intn(len(data)))
			}
			if v != 0 {
				binary.LittleEndian.PutUint64(data[j:], v)
			}
		}
		f := funcs[rng.Intn(len(funcs))]
		regs := NewRegs(f.Entry+uint64(rng.Intn(int(f.End-f.Entry))), stackBase+uint64(rng.Intn(256)), stackBase+uint64(rng.Intn(len(data))))
		frames, err := Unwind(tab, 0, regs, &fakeMemory{stackBase, data}, 200)
		if len(frames) == 0 || len(frames) > 200 {
			t.Fatalf("%d frames, err %v", len(frames), err)
		}
		if err != nil && frames[len(frames)-1].Err == nil {
			t.Fatalf("error %v not on the last frame", err)
		}
	}
}

// TestSignalFrameLoop makes a signal frame whose ucontext resumes in the
// trampoline itself at the same stack pointer: a cycle, reported.
func TestSignalFrameLoop(t *testing.T) {
	tab := self(t)
	tramp := funcPC(t, tab, "runtime.sigreturn__sigaction")
	data := make([]byte, 4096)
	binary.LittleEndian.PutUint64(data[UcMcontext+8*16:], tramp)     // rip
	binary.LittleEndian.PutUint64(data[UcMcontext+8*15:], stackBase) // rsp
	frames, err := Unwind(tab, 0, NewRegs(tramp, stackBase, 0), &fakeMemory{stackBase, data}, 0)
	if !errors.Is(err, ErrBadStack) || len(frames) > MaxSwitches+2 {
		t.Fatalf("%d frames, err %v", len(frames), err)
	}
	if !frames[0].Sigtramp || frames[0].Func != "runtime.sigreturn__sigaction" {
		t.Errorf("frame 0: %s", describe(&frames[0]))
	}
}

// TestUnreadableStack reads nothing: one frame and ErrMemory.
func TestUnreadableStack(t *testing.T) {
	tab := self(t)
	pc := funcPC(t, tab, "main.report") + 1
	frames, err := Unwind(tab, 0, NewRegs(pc, stackBase, stackBase+64), &fakeMemory{}, 0)
	var e *Error
	if !errors.Is(err, ErrMemory) || !errors.As(err, &e) || len(frames) != 1 || e.PC != pc {
		t.Fatalf("%d frames, err %v", len(frames), err)
	}
	if frames[0].Func != "main.report" || frames[0].CFA == 0 {
		t.Errorf("frame 0: %s cfa %#x: %v", describe(&frames[0]), frames[0].CFA, err)
	}
}

// TestNoImage walks a frame pointer chain where no image covers the pcs,
// ending at a zero frame pointer.
func TestNoImage(t *testing.T) {
	data := make([]byte, 256)
	le := binary.LittleEndian
	// frame at +0x20: saved rbp → +0x60, return address 0x1234;
	// frame at +0x60: saved rbp 0, return address 0x5678.
	le.PutUint64(data[0x20:], stackBase+0x60)
	le.PutUint64(data[0x28:], 0x1234)
	le.PutUint64(data[0x68:], 0x5678)
	frames, err := UnwindImages(nil, NewRegs(0x1000, stackBase, stackBase+0x20), &fakeMemory{stackBase, data}, 0)
	if err != nil || len(frames) != 3 {
		t.Fatalf("%d frames, err %v\n%s", len(frames), err, dump(frames))
	}
	for i, pc := range []uint64{0x1000, 0x1234, 0x5678} {
		if frames[i].PC != pc {
			t.Errorf("frame %d: pc %#x, want %#x", i, frames[i].PC, pc)
		}
	}
	if frames[1].Kind != KindFramePointer || frames[1].SP != stackBase+0x30 {
		t.Errorf("frame 1: %s sp %#x", describe(&frames[1]), frames[1].SP)
	}
}

// FuzzUnwind unwinds fuzzed stack memory from a fuzzed pc of the
// stackfix fixture: it must never panic nor exceed the depth.
func FuzzUnwind(f *testing.F) {
	f.Add(uint32(0), uint16(0), make([]byte, 64))
	f.Add(uint32(12345), uint16(8), []byte("\x00\x10\x40\x00\x00\x00\x00\x00"))
	f.Fuzz(func(t *testing.T, fn uint32, off uint16, data []byte) {
		tab := self(t)
		funcs := tab.Funcs()
		fun := funcs[int(fn)%len(funcs)]
		pc := fun.Entry + uint64(off)%(fun.End-fun.Entry+1)
		var bp uint64 = stackBase
		if len(data) >= 8 {
			bp = binary.LittleEndian.Uint64(data)
		}
		frames, err := Unwind(tab, 0, NewRegs(pc, stackBase, bp), &fakeMemory{stackBase, data}, 64)
		if len(frames) == 0 || len(frames) > 64 {
			t.Fatalf("%d frames, err %v", len(frames), err)
		}
	})
}
