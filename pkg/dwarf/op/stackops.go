package op

// stackOp executes the arithmetic, logic and stack-manipulation opcodes.
func (m *machine) stackOp(in *inst) error {
	switch in.op {
	case opDup, opDeref, opDerefSize, opAbs, opNeg, opNot, opPlusUconst, opDrop:
		return m.unary(in)
	case opOver:
		if err := m.need(2); err != nil {
			return err
		}
		return m.push(m.stack[m.sp-2])
	case opPick:
		if uint64(m.sp) <= in.a {
			return ErrStackUnderflow
		}
		return m.push(m.stack[m.sp-1-int(in.a)])
	case opSwap:
		if err := m.need(2); err != nil {
			return err
		}
		m.stack[m.sp-1], m.stack[m.sp-2] = m.stack[m.sp-2], m.stack[m.sp-1]
		return nil
	case opRot:
		if err := m.need(3); err != nil {
			return err
		}
		s := m.stack[m.sp-3 : m.sp]
		s[0], s[1], s[2] = s[2], s[0], s[1]
		return nil
	}
	return m.binary(in.op)
}

func (m *machine) unary(in *inst) error {
	if err := m.need(1); err != nil {
		return err
	}
	top := &m.stack[m.sp-1]
	switch in.op {
	case opDup:
		return m.push(*top)
	case opDrop:
		m.sp--
	case opDeref, opDerefSize:
		size := 8
		if in.op == opDerefSize {
			size = int(in.a)
		}
		if size < 1 || size > 8 {
			return ErrTruncated
		}
		v, err := m.deref(*top, size)
		if err != nil {
			return err
		}
		*top = v
	case opAbs:
		if int64(*top) < 0 {
			*top = -*top
		}
	case opNeg:
		*top = -*top
	case opNot:
		*top = ^*top
	case opPlusUconst:
		*top += in.a
	}
	return nil
}

func (m *machine) binary(op byte) error {
	if err := m.need(2); err != nil {
		return err
	}
	b := m.stack[m.sp-1]
	a := m.stack[m.sp-2]
	m.sp--
	r, err := arith(op, a, b)
	m.stack[m.sp-1] = r
	return err
}

// arith computes a op b, a being the deeper stack entry.
func arith(op byte, a, b uint64) (uint64, error) {
	switch op {
	case opAnd:
		return a & b, nil
	case opOr:
		return a | b, nil
	case opXor:
		return a ^ b, nil
	case opPlus:
		return a + b, nil
	case opMinus:
		return a - b, nil
	case opMul:
		return a * b, nil
	case opDiv:
		if b == 0 {
			return 0, ErrDivideByZero
		}
		if int64(b) == -1 {
			return -a, nil
		}
		return uint64(int64(a) / int64(b)), nil
	case opMod:
		if b == 0 {
			return 0, ErrDivideByZero
		}
		return a % b, nil
	case opShl:
		return shift(a, b, func(x uint64, s uint) uint64 { return x << s }), nil
	case opShr:
		return shift(a, b, func(x uint64, s uint) uint64 { return x >> s }), nil
	case opShra:
		if b >= 64 {
			return uint64(int64(a) >> 63), nil
		}
		return uint64(int64(a) >> b), nil
	}
	return compare(op, int64(a), int64(b)), nil
}

func shift(a, b uint64, f func(uint64, uint) uint64) uint64 {
	if b >= 64 {
		return 0
	}
	return f(a, uint(b))
}

func compare(op byte, a, b int64) uint64 {
	var r bool
	switch op {
	case opEq:
		r = a == b
	case opNe:
		r = a != b
	case opLt:
		r = a < b
	case opLe:
		r = a <= b
	case opGt:
		r = a > b
	case opGe:
		r = a >= b
	}
	if r {
		return 1
	}
	return 0
}
