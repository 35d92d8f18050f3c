package op

import (
	"encoding/binary"
	"errors"
	"fmt"
	"reflect"
	"testing"
)

// fakeCtx is a Context over fixed registers and a small memory map.
type fakeCtx struct {
	regs map[int]uint64
	fb   uint64
	cfa  uint64
	mem  map[uint64]uint64 // 8-byte little-endian words at aligned addresses
	bias uint64
}

func (c *fakeCtx) Reg(n int) (uint64, error) {
	v, ok := c.regs[n]
	if !ok {
		return 0, fmt.Errorf("register %d unavailable", n)
	}
	return v, nil
}
func (c *fakeCtx) FrameBase() (uint64, error) { return c.fb, nil }
func (c *fakeCtx) CFA() (uint64, error)       { return c.cfa, nil }
func (c *fakeCtx) LoadBias() uint64           { return c.bias }
func (c *fakeCtx) ReadMemory(addr uint64, buf []byte) error {
	w, ok := c.mem[addr]
	if !ok {
		return fmt.Errorf("no memory at %#x", addr)
	}
	var b [8]byte
	binary.LittleEndian.PutUint64(b[:], w)
	copy(buf, b[:])
	return nil
}

func newCtx() *fakeCtx {
	return &fakeCtx{
		regs: map[int]uint64{0: 100, 6: 0x7000, 7: 0x6ff0, 3: 5},
		fb:   0x8000, cfa: 0x9000,
		mem: map[uint64]uint64{0x1000: 0x2000, 0x2000: 0xdeadbeefcafef00d, 0x9008: 77},
	}
}

func addr(a uint64) Result  { return Result{Location: Location{Kind: Address, Addr: a}} }
func value(v uint64) Result { return Result{Location: Location{Kind: Value, Value: v}} }

func TestEval(t *testing.T) {
	tests := []struct {
		name string
		expr []byte
		want Result
	}{
		{"empty", nil, Result{}},
		{"addr", []byte{opAddr, 0x58, 0x50, 0x5b, 0, 0, 0, 0, 0}, addr(0x5b5058)},
		{"fbreg+8", []byte{opFbreg, 8}, addr(0x8008)},
		{"fbreg-36", []byte{opFbreg, 0x5c}, addr(0x8000 - 36)},
		{"cfa", []byte{opCallFrameCFA}, addr(0x9000)},
		{"reg0", []byte{opReg0}, Result{Location: Location{Kind: Register, Reg: 0}}},
		{"regx 17", []byte{opRegx, 17}, Result{Location: Location{Kind: Register, Reg: 17}}},
		{"breg6-16", []byte{opBreg0 + 6, 0x70}, addr(0x7000 - 16)},
		{"bregx 7 +8", []byte{opBregx, 7, 8}, addr(0x6ff8)},
		{"lit stack_value", []byte{opLit0 + 7, opStackValue}, value(7)},
		{"const1s", []byte{opConst1s, 0xff, opStackValue}, value(^uint64(0))},
		{"const2u", []byte{opConst2u, 0x34, 0x12, opStackValue}, value(0x1234)},
		{"const4s", []byte{opConst4s, 0xfe, 0xff, 0xff, 0xff, opStackValue}, value(^uint64(1))},
		{"constu", []byte{opConstu, 0xe5, 0x8e, 0x26, opStackValue}, value(624485)},
		{"consts", []byte{opConsts, 0x7f, opStackValue}, value(^uint64(0))},
		{"plus", []byte{opLit0 + 3, opLit0 + 4, opPlus, opStackValue}, value(7)},
		{"minus", []byte{opLit0 + 3, opLit0 + 4, opMinus, opStackValue}, value(^uint64(0))},
		{"plus_uconst", []byte{opCallFrameCFA, opPlusUconst, 8}, addr(0x9008)},
		{"deref", []byte{opConst2u, 0x00, 0x10, opDeref}, addr(0x2000)},
		{"deref_size", []byte{opConst2u, 0x00, 0x20, opDerefSize, 2, opStackValue}, value(0xf00d)},
		{"dup plus", []byte{opLit0 + 5, opDup, opPlus, opStackValue}, value(10)},
		{"drop", []byte{opLit0 + 1, opLit0 + 2, opDrop, opStackValue}, value(1)},
		{"swap minus", []byte{opLit0 + 3, opLit0 + 4, opSwap, opMinus, opStackValue}, value(1)},
		{"over", []byte{opLit0 + 1, opLit0 + 2, opOver, opStackValue}, value(1)},
		{"pick", []byte{opLit0 + 1, opLit0 + 2, opLit0 + 3, opPick, 2, opStackValue}, value(1)},
		{"rot", []byte{opLit0 + 1, opLit0 + 2, opLit0 + 3, opRot, opStackValue}, value(2)},
		{"mul div mod", []byte{opLit0 + 7, opLit0 + 6, opMul, opLit0 + 5, opDiv, opLit0 + 5, opMod, opStackValue}, value(3)},
		{"neg abs", []byte{opLit0 + 9, opNeg, opAbs, opStackValue}, value(9)},
		{"shifts", []byte{opLit0 + 1, opLit0 + 4, opShl, opLit0 + 2, opShr, opStackValue}, value(4)},
		{"shra", []byte{opConsts, 0x70, opLit0 + 2, opShra, opStackValue}, value(^uint64(3))},
		{"and or xor not", []byte{opLit0 + 12, opLit0 + 10, opAnd, opLit0 + 1, opOr, opLit0 + 3, opXor, opNot, opStackValue}, value(^uint64(10))},
		{"compare", []byte{opLit0 + 2, opLit0 + 3, opLt, opStackValue}, value(1)},
		{"bra taken", []byte{opLit0 + 1, opBra, 4, 0, opLit0 + 5, opSkip, 1, 0, opLit0 + 9, opStackValue}, value(9)},
		{"bra not taken", []byte{opLit0, opBra, 4, 0, opLit0 + 5, opSkip, 1, 0, opLit0 + 9, opStackValue}, value(5)},
		{"implicit", []byte{opImplicitValue, 2, 0xaa, 0xbb}, Result{Location: Location{Kind: Implicit, Bytes: []byte{0xaa, 0xbb}}}},
		{"go string in regs", []byte{opReg0 + 3, opPiece, 8, opReg0 + 2, opPiece, 8}, Result{
			Location: Location{Kind: Pieces},
			Pieces: []Piece{
				{Location: Location{Kind: Register, Reg: 3}, Size: 8},
				{Location: Location{Kind: Register, Reg: 2}, Size: 8},
			}}},
		{"pieces mixed", []byte{opFbreg, 8, opPiece, 8, opPiece, 4, opLit0 + 1, opStackValue, opPiece, 4}, Result{
			Location: Location{Kind: Pieces},
			Pieces: []Piece{
				{Location: Location{Kind: Address, Addr: 0x8008}, Size: 8},
				{Size: 4},
				{Location: Location{Kind: Value, Value: 1}, Size: 4},
			}}},
		{"bit piece", []byte{opReg0, opBitPiece, 3, 1}, Result{
			Location: Location{Kind: Pieces},
			Pieces:   []Piece{{Location: Location{Kind: Register}, Size: 1, BitSize: 3, BitOffset: 1}}}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			p, err := Compile(tt.expr)
			if err != nil {
				t.Fatal(err)
			}
			got, err := p.Eval(newCtx())
			if err != nil {
				t.Fatal(err)
			}
			if !reflect.DeepEqual(got, tt.want) {
				t.Fatalf("got %+v, want %+v", got, tt.want)
			}
		})
	}
}

func TestLoadBias(t *testing.T) {
	p, err := Compile([]byte{opAddr, 0x10, 0, 0, 0, 0, 0, 0, 0})
	if err != nil {
		t.Fatal(err)
	}
	c := newCtx()
	c.bias = 0x5555_0000
	got, _ := p.Eval(c)
	if got.Addr != 0x5555_0010 {
		t.Fatalf("addr = %#x", got.Addr)
	}
}

func TestAddrx(t *testing.T) {
	expr := []byte{opAddrx, 2}
	if _, err := Compile(expr); !errors.Is(err, ErrNoAddrIndex) {
		t.Fatalf("err = %v, want ErrNoAddrIndex", err)
	}
	p, err := CompileWith(expr, Options{AddrIndex: func(i uint64) (uint64, error) { return 0x1000 * i, nil }})
	if err != nil {
		t.Fatal(err)
	}
	if got, _ := p.Eval(newCtx()); got.Kind != Address || got.Addr != 0x2000 {
		t.Fatalf("got %+v", got)
	}
}

func TestErrors(t *testing.T) {
	compile := []struct {
		name string
		expr []byte
		want error
	}{
		{"truncated addr", []byte{opAddr, 1, 2}, ErrTruncated},
		{"truncated uleb", []byte{opConstu, 0x80}, ErrTruncated},
		{"bad opcode", []byte{0x01}, ErrBadOpcode},
		{"entry value", []byte{opEntryValue, 1, opReg0}, ErrUnsupported},
		{"tls", []byte{opLit0, opFormTLSAddress}, ErrUnsupported},
		{"branch into operand", []byte{opBra, 0xfe, 0xff}, ErrBadBranch},
		{"branch past end", []byte{opSkip, 9, 0}, ErrBadBranch},
	}
	for _, tt := range compile {
		if _, err := Compile(tt.expr); !errors.Is(err, tt.want) {
			t.Errorf("%s: Compile err = %v, want %v", tt.name, err, tt.want)
		}
	}
	eval := []struct {
		name string
		expr []byte
		want error
	}{
		{"underflow", []byte{opPlus}, ErrStackUnderflow},
		{"div zero", []byte{opLit0 + 1, opLit0, opDiv}, ErrDivideByZero},
		{"loop", []byte{opSkip, 0xfd, 0xff}, ErrTooManySteps},
		{"reg then op", []byte{opReg0, opLit0}, ErrBadComposition},
		{"value after pieces", []byte{opReg0, opPiece, 8, opLit0}, ErrBadComposition},
	}
	for _, tt := range eval {
		p, err := Compile(tt.expr)
		if err != nil {
			t.Errorf("%s: Compile: %v", tt.name, err)
			continue
		}
		if _, err := p.Eval(newCtx()); !errors.Is(err, tt.want) {
			t.Errorf("%s: Eval err = %v, want %v", tt.name, err, tt.want)
		}
	}
	p, _ := Compile([]byte{opBreg0 + 9, 0})
	if _, err := p.Eval(newCtx()); err == nil {
		t.Error("missing register: no error")
	}
	p, _ = Compile([]byte{opLit0 + 5, opDeref})
	if _, err := p.Eval(newCtx()); err == nil {
		t.Error("unreadable memory: no error")
	}
}

func TestLEB128(t *testing.T) {
	if v, n := ULEB128([]byte{0xe5, 0x8e, 0x26}); v != 624485 || n != 3 {
		t.Errorf("ULEB128 = %d, %d", v, n)
	}
	if v, n := SLEB128([]byte{0xc0, 0xbb, 0x78}); v != -123456 || n != 3 {
		t.Errorf("SLEB128 = %d, %d", v, n)
	}
	if _, n := ULEB128([]byte{0x80}); n != 0 {
		t.Errorf("truncated ULEB128 length %d", n)
	}
}

var seeds = [][]byte{
	{opFbreg, 8}, {opCallFrameCFA}, {opReg0 + 3, opPiece, 8, opReg0 + 2, opPiece, 8},
	{opAddr, 1, 2, 3, 4, 5, 6, 7, 8}, {opLit0 + 1, opBra, 4, 0, opLit0 + 5, opSkip, 1, 0, opLit0 + 9, opStackValue},
	{opBregx, 7, 8, opDeref}, {opImplicitValue, 2, 1, 2},
}

func FuzzCompile(f *testing.F) {
	for _, s := range seeds {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, expr []byte) {
		p, err := Compile(expr)
		if err != nil {
			var e *Error
			if !errors.As(err, &e) {
				t.Fatalf("error %v is not an *Error", err)
			}
			return
		}
		if p.Len() > len(expr) {
			t.Fatalf("%d instructions from %d bytes", p.Len(), len(expr))
		}
	})
}

func FuzzEval(f *testing.F) {
	for _, s := range seeds {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, expr []byte) {
		p, err := Compile(expr)
		if err != nil {
			return
		}
		p.Eval(newCtx()) // must not panic or hang
	})
}
