package values

import (
	"encoding/binary"
	"errors"
	"fmt"
	"testing"

	"github.com/godbg/godbg/pkg/dwarf/op"
)

// TestLocationBytes assembles a string header from two register pieces,
// as the compiler describes a string argument, and loads it.
func TestLocationBytes(t *testing.T) {
	lv := valfix(t)
	addr, typ, err := lv.l.Global("main.vString")
	if err != nil {
		t.Fatal(err)
	}
	hdr := readN(t, lv, addr, 16)
	regs := func(n int) (uint64, error) {
		switch n {
		case 0: // rax
			return binary.LittleEndian.Uint64(hdr), nil
		case 3: // rbx
			return binary.LittleEndian.Uint64(hdr[8:]), nil
		}
		return 0, fmt.Errorf("register %d not available", n)
	}
	reg := func(n int, size uint64) op.Piece {
		return op.Piece{Location: op.Location{Kind: op.Register, Reg: n}, Size: size}
	}
	res := op.Result{Location: op.Location{Kind: op.Pieces}, Pieces: []op.Piece{reg(0, 8), reg(3, 8)}}
	a, data, err := LocationBytes(res, 16, regs, lv.p)
	if err != nil || a != 0 {
		t.Fatalf("pieces: %#x, %v", a, err)
	}
	if got := Format(lv.l.LoadBytes(lv.p, "s", typ, data, DefaultLoadConfig)); got != `"hello, world"` {
		t.Errorf("string from registers: %s", got)
	}

	a, data, err = LocationBytes(op.Result{Location: op.Location{Kind: op.Address, Addr: addr}}, 16, regs, lv.p)
	if a != addr || data != nil || err != nil {
		t.Errorf("address: %#x % x %v", a, data, err)
	}
	mem := op.Piece{Location: op.Location{Kind: op.Address, Addr: addr + 8}, Size: 8}
	res.Pieces = []op.Piece{reg(0, 8), mem}
	if _, data, err = LocationBytes(res, 16, regs, lv.p); err != nil || binary.LittleEndian.Uint64(data[8:]) != 12 {
		t.Errorf("register + memory piece: % x %v", data, err)
	}
	res.Pieces = []op.Piece{reg(0, 8)}
	if _, _, err := LocationBytes(res, 16, regs, lv.p); !errors.Is(err, ErrOptimizedAway) {
		t.Errorf("missing piece: %v", err)
	}
	res.Pieces = []op.Piece{reg(0, 8), reg(7, 8)}
	if _, _, err := LocationBytes(res, 16, regs, lv.p); err == nil {
		t.Errorf("unavailable register: no error")
	}
	imp := op.Result{Location: op.Location{Kind: op.Implicit, Bytes: []byte{1, 2, 3, 4}}}
	if _, data, err := LocationBytes(imp, 4, regs, lv.p); err != nil || data[3] != 4 {
		t.Errorf("implicit: % x %v", data, err)
	}
	val := op.Result{Location: op.Location{Kind: op.Value, Value: 42}}
	if _, data, err := LocationBytes(val, 8, regs, lv.p); err != nil || data[0] != 42 {
		t.Errorf("value: % x %v", data, err)
	}
}
