package variables

import (
	"encoding/binary"
	"fmt"
	"math"

	"github.com/godbg/godbg/pkg/dwarf/op"
	"github.com/godbg/godbg/pkg/proc/eval"
)

// MaxString bounds how many bytes of a string are read per hit; longer
// strings compare by length and prefix (see eval.TruncatedStringValue).
const MaxString = 1024

// Regs returns a register by DWARF number (amd64: 0 rax, 1 rdx, 2 rcx,
// 3 rbx, 4 rsi, 5 rdi, 6 rbp, 7 rsp, 8–15 r8–r15, 16 rip, 17–32 the low 64
// bits of xmm0–15).
type Regs func(dwarfReg int) (uint64, error)

// Mem fills buf from the target's memory at a run-time address.
type Mem func(addr uint64, buf []byte) error

// Scope returns the eval.Scope of one breakpoint hit. Each variable is
// read at most once; the scope must not outlive the stop.
func (b *Binding) Scope(regs Regs, mem Mem) eval.Scope {
	return &hitScope{b: b, regs: regs, mem: mem}
}

// EvalBool evaluates a condition at one hit.
func (b *Binding) EvalBool(e *eval.Expr, regs Regs, mem Mem) (bool, error) {
	s := hitScope{b: b, regs: regs, mem: mem}
	return e.EvalBool(&s)
}

// maxCached is how many variables a hit caches without allocating.
const maxCached = 8

type hitScope struct {
	b      *Binding
	regs   Regs
	mem    Mem
	cfa    uint64
	cfaSet bool
	done   [maxCached]bool
	vals   [maxCached]eval.Value
}

func (s *hitScope) Lookup(name string) (eval.Value, error) {
	for i, v := range s.b.vars {
		if v.name != name {
			continue
		}
		if i < maxCached && s.done[i] {
			return s.vals[i], nil
		}
		val, err := s.read(v)
		if err == nil && i < maxCached {
			s.done[i], s.vals[i] = true, val
		}
		return val, err
	}
	return eval.Value{}, &NoVariableError{Name: name, Func: s.b.fn, Have: s.b.names()}
}

func (b *Binding) names() []string {
	out := make([]string, len(b.vars))
	for i, v := range b.vars {
		out[i] = v.name
	}
	return out
}

// op.Context for the hit.

func (s *hitScope) Reg(n int) (uint64, error) { return s.regs(n) }
func (s *hitScope) LoadBias() uint64          { return s.b.bias }
func (s *hitScope) ReadMemory(addr uint64, buf []byte) error {
	return s.mem(addr, buf)
}

func (s *hitScope) CFA() (uint64, error) {
	if s.cfaSet {
		return s.cfa, nil
	}
	b := s.b
	if b.cfaErr != nil {
		return 0, fmt.Errorf("CFA of %s: %w", b.fn, b.cfaErr)
	}
	var v uint64
	if b.cfaExpr != nil {
		res, err := b.cfaExpr.Eval(s)
		if err != nil {
			return 0, err
		}
		v = res.Addr
	} else {
		r, err := s.regs(b.cfa.Reg)
		if err != nil {
			return 0, err
		}
		v = r + uint64(b.cfa.Offset)
	}
	s.cfa, s.cfaSet = v, true
	return v, nil
}

func (s *hitScope) FrameBase() (uint64, error) {
	if s.b.frameBase == nil {
		return s.CFA()
	}
	res, err := s.b.frameBase.Eval(s)
	switch {
	case err != nil:
		return 0, err
	case res.Kind == op.Register:
		return s.regs(res.Reg)
	case res.Kind == op.Value:
		return res.Value, nil
	}
	return res.Addr, nil
}

// read evaluates a variable's location and decodes its value.
func (s *hitScope) read(v *boundVar) (eval.Value, error) {
	res, err := v.prog.Eval(s)
	if err != nil {
		return eval.Value{}, fmt.Errorf("reading %s: %w", v.name, err)
	}
	var buf [16]byte
	n := v.typ.size
	if err := s.fetch(res, buf[:n]); err != nil {
		if err == errEmpty {
			return eval.Value{}, &VarError{Name: v.name, PC: s.b.pc, Err: ErrOptimizedAway}
		}
		return eval.Value{}, fmt.Errorf("reading %s: %w", v.name, err)
	}
	return s.decode(v, buf[:n])
}

var errEmpty = fmt.Errorf("empty location")

// fetch copies the bytes of a location into buf.
func (s *hitScope) fetch(res op.Result, buf []byte) error {
	if res.Kind != op.Pieces {
		return s.fetchLoc(res.Location, buf)
	}
	off := 0
	for _, p := range res.Pieces {
		end := min(off+int(p.Size), len(buf))
		if off >= end {
			break
		}
		if err := s.fetchLoc(p.Location, buf[off:end]); err != nil {
			return err
		}
		off = end
	}
	if off < len(buf) {
		return errEmpty
	}
	return nil
}

func (s *hitScope) fetchLoc(l op.Location, buf []byte) error {
	var word [8]byte
	switch l.Kind {
	case op.Address:
		return s.mem(l.Addr, buf)
	case op.Register:
		r, err := s.regs(l.Reg)
		if err != nil {
			return err
		}
		binary.LittleEndian.PutUint64(word[:], r)
	case op.Value:
		binary.LittleEndian.PutUint64(word[:], l.Value)
	case op.Implicit:
		if len(l.Bytes) < len(buf) {
			return errEmpty
		}
		copy(buf, l.Bytes)
		return nil
	default:
		return errEmpty
	}
	if len(buf) > 8 {
		return errEmpty
	}
	copy(buf, word[:])
	return nil
}

func (s *hitScope) decode(v *boundVar, b []byte) (eval.Value, error) {
	t := v.typ
	var raw uint64
	if t.kind != eval.String {
		var w [8]byte
		copy(w[:], b)
		raw = binary.LittleEndian.Uint64(w[:])
	}
	switch t.kind {
	case eval.Int:
		sh := 64 - 8*uint(t.size)
		return eval.IntValue(t.name, t.size, int64(raw<<sh)>>sh), nil
	case eval.Uint:
		return eval.UintValue(t.name, t.size, raw), nil
	case eval.Bool:
		return eval.BoolValue(t.name, raw&0xff != 0), nil
	case eval.Float:
		if t.size == 4 {
			return eval.FloatValue(t.name, 4, float64(math.Float32frombits(uint32(raw)))), nil
		}
		return eval.FloatValue(t.name, 8, math.Float64frombits(raw)), nil
	case eval.Pointer:
		return eval.PointerValue(t.name, raw), nil
	case eval.String:
		return s.readString(v, binary.LittleEndian.Uint64(b), binary.LittleEndian.Uint64(b[8:]))
	}
	return eval.Value{}, &VarError{Name: v.name, Err: ErrUnsupportedType}
}

func (s *hitScope) readString(v *boundVar, ptr, n uint64) (eval.Value, error) {
	if n > 1<<40 {
		return eval.Value{}, fmt.Errorf("reading %s: implausible string length %d", v.name, n)
	}
	k := min(n, MaxString)
	if k == 0 {
		return eval.StringValue(v.typ.name, ""), nil
	}
	buf := make([]byte, k)
	if err := s.mem(ptr, buf); err != nil {
		return eval.Value{}, fmt.Errorf("reading %s: string data at %#x: %w", v.name, ptr, err)
	}
	return eval.TruncatedStringValue(v.typ.name, string(buf), int64(n)), nil
}
