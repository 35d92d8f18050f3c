package op

import "encoding/binary"

// Context supplies what an expression reads. Register numbers are DWARF
// numbers (amd64: 0 rax, 1 rdx, 2 rcx, 3 rbx, 4 rsi, 5 rdi, 6 rbp, 7 rsp,
// 8–15 r8–r15, 16 rip, 17–32 xmm0–15 (low 64 bits)).
type Context interface {
	Reg(n int) (uint64, error)
	// FrameBase is the value of the function's DW_AT_frame_base.
	FrameBase() (uint64, error)
	// CFA is the canonical frame address at the current pc.
	CFA() (uint64, error)
	// ReadMemory fills buf from addr.
	ReadMemory(addr uint64, buf []byte) error
	// LoadBias is added to DW_OP_addr operands (a PIE's load offset).
	LoadBias() uint64
}

// Kind says where a location is.
type Kind uint8

const (
	Empty    Kind = iota // no location: optimized out
	Address              // in memory at Addr
	Register             // in register Reg
	Value                // not in memory: the value itself is Value
	Implicit             // the value's bytes are Bytes (DW_OP_implicit_value)
	Pieces               // scattered: see Result.Pieces
)

var kindNames = [...]string{"empty", "address", "register", "value", "implicit", "pieces"}

func (k Kind) String() string {
	if int(k) < len(kindNames) {
		return kindNames[k]
	}
	return "kind?"
}

// Location is where one value (or one piece of it) lives.
type Location struct {
	Kind  Kind
	Addr  uint64 // Address
	Reg   int    // Register
	Value uint64 // Value
	Bytes []byte // Implicit
}

// Piece is a part of a composite location.
type Piece struct {
	Location
	Size      uint64 // bytes; for bit pieces, rounded up
	BitSize   uint64 // non-zero for DW_OP_bit_piece
	BitOffset uint64
}

// Result is the outcome of evaluating a location expression. Pieces is set
// (and Kind is Pieces) when the expression used DW_OP_piece.
type Result struct {
	Location
	Pieces []Piece
}

// Eval runs the program. It allocates only for composite (piece) results.
func (p *Program) Eval(ctx Context) (Result, error) {
	var m machine
	m.ctx = ctx
	if err := m.run(p.insts); err != nil {
		return Result{}, err
	}
	return m.finish()
}

// machine is the evaluation state.
type machine struct {
	ctx    Context
	stack  [MaxStack]uint64
	sp     int
	loc    Location // pending non-address location (reg, value, implicit)
	locSet bool
	pieces []Piece
}

func (m *machine) push(v uint64) error {
	if m.sp == MaxStack {
		return ErrStackOverflow
	}
	m.stack[m.sp] = v
	m.sp++
	return nil
}

func (m *machine) pop() (uint64, error) {
	if m.sp == 0 {
		return 0, ErrStackUnderflow
	}
	m.sp--
	return m.stack[m.sp], nil
}

func (m *machine) need(n int) error {
	if m.sp < n {
		return ErrStackUnderflow
	}
	return nil
}

func (m *machine) run(insts []inst) error {
	steps := 0
	for pc := 0; pc < len(insts); {
		if steps++; steps > MaxSteps {
			return &Error{Offset: insts[pc].off, Op: insts[pc].op, Err: ErrTooManySteps}
		}
		in := &insts[pc]
		pc++
		if m.locSet && in.op != opPiece && in.op != opBitPiece {
			return &Error{Offset: in.off, Op: in.op, Err: ErrBadComposition}
		}
		next, err := m.step(in)
		if err != nil {
			return &Error{Offset: in.off, Op: in.op, Err: err}
		}
		if next >= 0 {
			pc = next
		}
	}
	return nil
}

// step executes one instruction; it returns the index of the next
// instruction for a taken branch, else -1.
func (m *machine) step(in *inst) (int, error) {
	switch op := in.op; {
	case op >= opLit0 && op <= opLit31:
		return -1, m.push(in.a)
	case op >= opReg0 && op <= opReg31, op == opRegx:
		m.loc, m.locSet = Location{Kind: Register, Reg: int(in.a)}, true
		return -1, nil
	case op >= opBreg0 && op <= opBreg31, op == opBregx:
		v, err := m.ctx.Reg(int(in.a))
		if err != nil {
			return -1, err
		}
		return -1, m.push(v + in.b)
	}
	switch in.op {
	case opAddr:
		return -1, m.push(in.a + m.ctx.LoadBias())
	case opConst1u, opConst1s, opConst2u, opConst2s, opConst4u, opConst4s,
		opConst8u, opConst8s, opConstu, opConsts:
		return -1, m.push(in.a)
	case opFbreg:
		fb, err := m.ctx.FrameBase()
		if err != nil {
			return -1, err
		}
		return -1, m.push(fb + in.a)
	case opCallFrameCFA:
		cfa, err := m.ctx.CFA()
		if err != nil {
			return -1, err
		}
		return -1, m.push(cfa)
	case opStackValue:
		v, err := m.pop()
		if err != nil {
			return -1, err
		}
		m.loc, m.locSet = Location{Kind: Value, Value: v}, true
		return -1, nil
	case opImplicitValue:
		m.loc, m.locSet = Location{Kind: Implicit, Bytes: in.data}, true
		return -1, nil
	case opPiece, opBitPiece:
		return -1, m.piece(in)
	case opBra:
		v, err := m.pop()
		if err != nil || v == 0 {
			return -1, err
		}
		return int(in.a), nil
	case opSkip:
		return int(in.a), nil
	case opNop:
		return -1, nil
	}
	return -1, m.stackOp(in)
}

func (m *machine) piece(in *inst) error {
	p := Piece{Size: in.a}
	if in.op == opBitPiece {
		p = Piece{Size: (in.a + 7) / 8, BitSize: in.a, BitOffset: in.b}
	}
	switch {
	case m.locSet:
		p.Location = m.loc
	case m.sp > 0:
		p.Location = Location{Kind: Address, Addr: m.stack[m.sp-1]}
	}
	m.pieces = append(m.pieces, p)
	m.sp, m.locSet = 0, false
	return nil
}

func (m *machine) finish() (Result, error) {
	if m.pieces != nil {
		if m.locSet || m.sp > 0 {
			return Result{}, ErrBadComposition
		}
		return Result{Location: Location{Kind: Pieces}, Pieces: m.pieces}, nil
	}
	if m.locSet {
		return Result{Location: m.loc}, nil
	}
	if m.sp == 0 {
		return Result{}, nil
	}
	return Result{Location: Location{Kind: Address, Addr: m.stack[m.sp-1]}}, nil
}

func (m *machine) deref(addr uint64, size int) (uint64, error) {
	var buf [8]byte
	if err := m.ctx.ReadMemory(addr, buf[:size]); err != nil {
		return 0, err
	}
	return binary.LittleEndian.Uint64(buf[:]), nil
}
