package values

import (
	"encoding/binary"
	"errors"
	"sort"
	"strings"
	"sync"
	"testing"
	"time"

	"debug/dwarf"
	"github.com/godbg/godbg/internal/fixtures"
	"github.com/godbg/godbg/pkg/symbols"
)

// fuzzMem is target memory made of the fuzz input: a 64 KiB window at
// fuzzBase filled with the input, repeated; every other address is
// unmapped.
type fuzzMem []byte

// wrapMem is the harshest memory: every address reads the input,
// repeated, so that every pointer leads somewhere and every length is
// backed by data.
type wrapMem []byte

func (m wrapMem) ReadMemory(addr uint64, buf []byte) (int, error) {
	if len(m) == 0 {
		return 0, errUnmapped
	}
	for i := range buf {
		buf[i] = m[(addr+uint64(i))%uint64(len(m))]
	}
	return len(buf), nil
}

const (
	fuzzBase   = 0x10000
	fuzzWindow = 1 << 16
)

var errUnmapped = errors.New("unmapped")

func (m fuzzMem) ReadMemory(addr uint64, buf []byte) (int, error) {
	end := addr + uint64(len(buf))
	if len(m) == 0 || addr < fuzzBase || end > fuzzBase+fuzzWindow || end < addr {
		return 0, errUnmapped
	}
	for i := range buf {
		buf[i] = m[(addr-fuzzBase+uint64(i))%uint64(len(m))]
	}
	return len(buf), nil
}

var (
	fuzzOnce   sync.Once
	fuzzLoader *Loader
	fuzzTypes  []dwarf.Type
	fuzzErr    error
)

// fuzzSetup loads the types of valfix's package variables, without
// running it.
func fuzzSetup(t testing.TB) (*Loader, []dwarf.Type) {
	fuzzOnce.Do(func() {
		bin, err := fixtures.BuildErr("valfix")
		if err != nil {
			fuzzErr = err
			return
		}
		tab, err := symbols.Open(bin)
		if err != nil {
			fuzzErr = err
			return
		}
		if fuzzLoader, fuzzErr = NewLoader(tab, 0); fuzzErr != nil {
			return
		}
		idx, err := fuzzLoader.img.index()
		if err != nil {
			fuzzErr = err
			return
		}
		var names []string
		for n := range idx.globals {
			if strings.HasPrefix(n, "main.v") {
				names = append(names, n)
			}
		}
		sort.Strings(names)
		for _, n := range names {
			_, typ, err := fuzzLoader.Global(n)
			if err != nil {
				fuzzErr = err
				return
			}
			fuzzTypes = append(fuzzTypes, typ)
		}
	})
	if fuzzErr != nil {
		t.Fatal(fuzzErr)
	}
	return fuzzLoader, fuzzTypes
}

// FuzzLoad loads every kind of value from random memory: it must neither
// panic nor hang, whatever the headers say.
func FuzzLoad(f *testing.F) {
	ptrs := make([]byte, 256) // words pointing back into the window
	for i := 0; i < len(ptrs); i += 8 {
		binary.LittleEndian.PutUint64(ptrs[i:], fuzzBase+uint64(i*3%200))
	}
	small := make([]byte, 64)
	for i := range small {
		small[i] = byte(i % 5)
	}
	for sel := range uint16(120) {
		f.Add(sel, uint8(sel%3), ptrs)
		f.Add(sel, uint8(1), small)
		f.Add(sel, uint8(4+sel%3), ptrs)
	}
	f.Fuzz(func(t *testing.T, sel uint16, cfgSel uint8, data []byte) {
		l, types := fuzzSetup(t)
		typ := types[int(sel)%len(types)]
		cfg := DefaultLoadConfig
		switch cfgSel % 3 {
		case 1:
			cfg = LoadConfig{FollowPointers: true, MaxVariableRecurse: 2, MaxStringLen: 512, MaxArrayValues: 100, MaxStructFields: -1}
		case 2:
			cfg = LoadConfig{MaxStructFields: 1}
		}
		var mem Memory = fuzzMem(data)
		if cfgSel&4 != 0 {
			mem = wrapMem(data)
		}
		start := time.Now()
		defer func() {
			if d := time.Since(start); d > 5*time.Second {
				t.Fatalf("slow: %v sel %d cfg %d type %s", d, sel, cfgSel, TypeName(typ))
			}
		}()
		v := l.Load(mem, "x", typ, fuzzBase, cfg)
		_ = Format(v)
		_ = FormatMultiline(v)
		v = l.LoadBytes(mem, "x", typ, data, cfg)
		_ = Format(v)
		_ = goSyntax(v, 0)
	})
}
