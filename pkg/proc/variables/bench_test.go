package variables

import (
	"encoding/binary"
	"testing"

	"github.com/godbg/godbg/internal/fixtures"
	"github.com/godbg/godbg/pkg/symbols"
)

// BenchmarkEvalHit measures one conditional breakpoint hit: a fresh scope,
// reading i, s (register pieces + string data), p, main.counter (memory)
// and evaluating the condition, with in-process registers and memory.
func BenchmarkEvalHit(b *testing.B) {
	bin := fixtures.Build(b, "condfix")
	tab, err := symbols.Open(bin)
	if err != nil {
		b.Fatal(err)
	}
	defer tab.Close()
	f, _ := tab.LookupFunc("main.hot")
	e, err := compileCond(`i == 7 && s == "seven" && p != nil && main.counter > 3`)
	if err != nil {
		b.Fatal(err)
	}
	bind, err := Bind(tab, tab.FirstStmtPC(f), e.Names())
	if err != nil {
		b.Fatal(err)
	}
	var rf RegisterFile
	for name, v := range map[string]uint64{"rax": 7, "rbx": 0x1000, "rcx": 5, "rsi": 0x2000, "rsp": 0x7000, "rip": 0x4bfb8f} {
		rf.Set(name, v)
	}
	mem := func(addr uint64, buf []byte) error {
		switch {
		case addr == 0x1000:
			copy(buf, "seven")
		default:
			binary.LittleEndian.PutUint64(buf[:8:8], 4) // main.counter
		}
		return nil
	}
	b.ReportAllocs()
	for b.Loop() {
		ok, err := bind.EvalBool(e, rf.Get, mem)
		if err != nil || !ok {
			b.Fatal(ok, err)
		}
	}
}
