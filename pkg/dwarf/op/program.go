package op

import (
	"encoding/binary"
	"errors"
	"fmt"
)

// Errors returned by Compile and Eval. Compile and Eval wrap them in an
// *Error giving the offset of the failing instruction.
var (
	// ErrTruncated means an operand runs past the end of the expression.
	ErrTruncated = errors.New("truncated expression")
	// ErrUnsupported means an opcode is valid DWARF but not evaluated here
	// (DW_OP_entry_value, typed-stack and TLS operations, calls).
	ErrUnsupported = errors.New("unsupported operation")
	// ErrBadOpcode means a byte is not a DWARF opcode.
	ErrBadOpcode = errors.New("unknown opcode")
	// ErrBadBranch means a DW_OP_bra or DW_OP_skip lands outside the
	// expression or inside an instruction.
	ErrBadBranch = errors.New("branch target is not an instruction")
	// ErrStackUnderflow means an operation needed more stack entries than
	// there were.
	ErrStackUnderflow = errors.New("stack underflow")
	// ErrStackOverflow means the stack grew past MaxStack entries.
	ErrStackOverflow = errors.New("stack overflow")
	// ErrDivideByZero is DW_OP_div or DW_OP_mod by zero.
	ErrDivideByZero = errors.New("division by zero")
	// ErrTooManySteps means evaluation ran more than MaxSteps instructions
	// (a loop built from DW_OP_bra).
	ErrTooManySteps = errors.New("too many steps")
	// ErrBadComposition means register, value or empty locations appear
	// where only a piece may follow, or pieces are mixed with a bare location.
	ErrBadComposition = errors.New("operation must be followed by DW_OP_piece")
	// ErrNoAddrIndex means DW_OP_addrx/constx was used without an
	// Options.AddrIndex resolver.
	ErrNoAddrIndex = errors.New("no .debug_addr resolver for DW_OP_addrx")
)

// Limits of evaluation.
const (
	MaxStack = 64
	MaxSteps = 10000
)

// Error reports a failure at one instruction of an expression.
type Error struct {
	Offset int  // byte offset of the instruction
	Op     byte // its opcode
	Err    error
}

func (e *Error) Error() string {
	return fmt.Sprintf("DWARF expression: %s at offset %d: %v", OpName(e.Op), e.Offset, e.Err)
}

func (e *Error) Unwrap() error { return e.Err }

// Options tune Compile.
type Options struct {
	// AddrIndex resolves DW_OP_addrx/constx (and their GNU forms) to a
	// link-time address from .debug_addr. Nil: those opcodes fail.
	AddrIndex func(index uint64) (uint64, error)
}

// inst is one decoded instruction. For branches, a holds the index of the
// target instruction.
type inst struct {
	op   byte
	a, b uint64
	data []byte // DW_OP_implicit_value
	off  int
}

// Program is a compiled expression. It is immutable and safe for
// concurrent use.
type Program struct {
	insts []inst
	src   []byte
}

// Len returns the number of instructions.
func (p *Program) Len() int { return len(p.insts) }

// IsEmpty reports whether the expression has no operations (the value is
// optimized out).
func (p *Program) IsEmpty() bool { return len(p.insts) == 0 }

// Compile decodes expr. The program keeps a copy of expr.
func Compile(expr []byte) (*Program, error) { return CompileWith(expr, Options{}) }

// CompileWith decodes expr with opts.
func CompileWith(expr []byte, opts Options) (*Program, error) {
	p := &Program{src: append([]byte(nil), expr...)}
	starts := map[int]int{} // byte offset → instruction index
	for off := 0; off < len(expr); {
		in, n, err := decode(expr, off, opts)
		if err != nil {
			return nil, &Error{Offset: off, Op: expr[off], Err: err}
		}
		starts[off] = len(p.insts)
		p.insts = append(p.insts, in)
		off += n
	}
	starts[len(expr)] = len(p.insts)
	for i := range p.insts {
		in := &p.insts[i]
		if in.op != opBra && in.op != opSkip {
			continue
		}
		next := in.off + 3
		target := next + int(int16(in.a))
		idx, ok := starts[target]
		if !ok {
			return nil, &Error{Offset: in.off, Op: in.op, Err: ErrBadBranch}
		}
		in.a = uint64(idx)
	}
	return p, nil
}

// decode reads the instruction at off and returns it with its length.
func decode(expr []byte, off int, opts Options) (inst, int, error) {
	code := expr[off]
	in := inst{op: code, off: off}
	r := reader{buf: expr, pos: off + 1}
	switch {
	case code >= opLit0 && code <= opLit31:
		in.a = uint64(code - opLit0)
	case code >= opReg0 && code <= opReg31:
		in.a = uint64(code - opReg0)
	case code >= opBreg0 && code <= opBreg31:
		in.a = uint64(code - opBreg0)
		in.b = uint64(r.sleb())
	default:
		if err := decodeOperands(&in, &r, opts); err != nil {
			return in, 0, err
		}
	}
	if r.err != nil {
		return in, 0, r.err
	}
	return in, r.pos - off, nil
}

func decodeOperands(in *inst, r *reader, opts Options) error {
	switch in.op {
	case opAddr, opConst8u, opConst8s:
		in.a = r.fixed(8)
	case opConst1u, opPick, opDerefSize:
		in.a = r.fixed(1)
	case opConst1s:
		in.a = uint64(int8(r.fixed(1)))
	case opConst2u:
		in.a = r.fixed(2)
	case opConst2s, opBra, opSkip:
		in.a = uint64(int16(r.fixed(2)))
	case opConst4u:
		in.a = r.fixed(4)
	case opConst4s:
		in.a = uint64(int32(r.fixed(4)))
	case opConstu, opPlusUconst, opRegx, opPiece:
		in.a = r.uleb()
	case opConsts, opFbreg:
		in.a = uint64(r.sleb())
	case opBregx:
		in.a = r.uleb()
		in.b = uint64(r.sleb())
	case opBitPiece:
		in.a, in.b = r.uleb(), r.uleb()
	case opImplicitValue:
		n := r.uleb()
		in.data = r.bytes(n)
	case opAddrx, opConstx, opGNUAddrIndex, opGNUConstIndex:
		idx := r.uleb()
		if r.err != nil {
			return r.err
		}
		if opts.AddrIndex == nil {
			return ErrNoAddrIndex
		}
		v, err := opts.AddrIndex(idx)
		if err != nil {
			return err
		}
		in.a = v
		if in.op == opAddrx || in.op == opGNUAddrIndex {
			in.op = opAddr
		} else {
			in.op = opConst8u
		}
	case opDeref, opDup, opDrop, opOver, opSwap, opRot, opAbs, opAnd, opDiv, opMinus,
		opMod, opMul, opNeg, opNot, opOr, opPlus, opShl, opShr, opShra, opXor,
		opEq, opGe, opGt, opLe, opLt, opNe, opNop, opCallFrameCFA, opStackValue:
	default:
		if _, ok := opNames[in.op]; ok {
			return ErrUnsupported
		}
		return ErrBadOpcode
	}
	return nil
}

// reader decodes operands; the first error sticks.
type reader struct {
	buf []byte
	pos int
	err error
}

func (r *reader) fixed(n int) uint64 {
	if r.err != nil || r.pos+n > len(r.buf) {
		r.err = ErrTruncated
		return 0
	}
	var v uint64
	switch n {
	case 1:
		v = uint64(r.buf[r.pos])
	case 2:
		v = uint64(binary.LittleEndian.Uint16(r.buf[r.pos:]))
	case 4:
		v = uint64(binary.LittleEndian.Uint32(r.buf[r.pos:]))
	case 8:
		v = binary.LittleEndian.Uint64(r.buf[r.pos:])
	}
	r.pos += n
	return v
}

func (r *reader) bytes(n uint64) []byte {
	if r.err != nil || n > uint64(len(r.buf)-r.pos) {
		r.err = ErrTruncated
		return nil
	}
	b := append([]byte(nil), r.buf[r.pos:r.pos+int(n)]...)
	r.pos += int(n)
	return b
}

func (r *reader) uleb() uint64 {
	v, n := ULEB128(r.buf[min(r.pos, len(r.buf)):])
	if n <= 0 {
		r.err = ErrTruncated
		return 0
	}
	r.pos += n
	return v
}

func (r *reader) sleb() int64 {
	v, n := SLEB128(r.buf[min(r.pos, len(r.buf)):])
	if n <= 0 {
		r.err = ErrTruncated
		return 0
	}
	r.pos += n
	return v
}

// ULEB128 decodes an unsigned LEB128 number and returns it with its length;
// the length is 0 if b ends first. Bits past 64 are dropped.
func ULEB128(b []byte) (uint64, int) {
	var v uint64
	var shift uint
	for i, c := range b {
		if shift < 64 {
			v |= uint64(c&0x7f) << shift
		}
		shift += 7
		if c&0x80 == 0 {
			return v, i + 1
		}
	}
	return 0, 0
}

// SLEB128 decodes a signed LEB128 number and returns it with its length;
// the length is 0 if b ends first.
func SLEB128(b []byte) (int64, int) {
	var v int64
	var shift uint
	for i, c := range b {
		if shift < 64 {
			v |= int64(c&0x7f) << shift
		}
		shift += 7
		if c&0x80 == 0 {
			if shift < 64 && c&0x40 != 0 {
				v |= -1 << shift
			}
			return v, i + 1
		}
	}
	return 0, 0
}
