package variables

import (
	"encoding/binary"
	"fmt"

	"github.com/godbg/godbg/pkg/dwarf/op"
)

// Location evaluates where v is at the frame's pc. A variable the DWARF
// gives no location for at this pc (no location list entry covers it, or
// an empty expression) is a *VarError wrapping ErrOptimizedAway: its value
// is not known here, and no number must be made up for it. For an
// Indirect variable the result is the address of the variable itself.
func (f *Frame) Location(v *FrameVar) (op.Result, error) {
	if v.locErr != nil {
		return op.Result{}, v.locErr
	}
	if len(v.expr) == 0 {
		return op.Result{}, &VarError{Name: v.Name, PC: f.cfg.PC, Err: ErrOptimizedAway}
	}
	prog, err := f.in.compile(v.expr, f.u)
	if err != nil && isEntryValue(v.expr) {
		// gcc -O2: the value the variable had at the function's entry
		// (its argument register, since overwritten), which only the
		// caller's call-site information could give; gdb's
		// <optimized out> when it has none.
		return op.Result{}, &VarError{Name: v.Name, PC: f.cfg.PC, Err: ErrOptimizedAway}
	}
	if err != nil {
		return op.Result{}, &VarError{Name: v.Name, PC: f.cfg.PC, Msg: "location: " + err.Error(), Err: err}
	}
	res, err := prog.Eval(f)
	if err != nil {
		return op.Result{}, fmt.Errorf("locating %s: %w", v.Name, err)
	}
	if res.Kind == op.Empty || (res.Kind == op.Pieces && allEmpty(res.Pieces)) {
		return op.Result{}, &VarError{Name: v.Name, PC: f.cfg.PC, Err: ErrOptimizedAway}
	}
	if !v.Indirect {
		return res, nil
	}
	addr, err := f.word(res)
	if err != nil {
		return op.Result{}, fmt.Errorf("reading the address of heap variable %s: %w", v.Name, err)
	}
	if addr == 0 {
		return op.Result{}, fmt.Errorf("heap variable %s: its address is still nil at this pc", v.Name)
	}
	return op.Result{Location: op.Location{Kind: op.Address, Addr: addr}}, nil
}

// isEntryValue reports whether a location expression starts with
// DW_OP_entry_value (or its GNU form), which is not evaluated.
func isEntryValue(expr []byte) bool {
	return len(expr) > 0 && (expr[0] == 0xa3 || expr[0] == 0xf3)
}

func allEmpty(ps []op.Piece) bool {
	for _, p := range ps {
		if p.Kind != op.Empty {
			return false
		}
	}
	return true
}

// word reads the 8-byte value at a location.
func (f *Frame) word(res op.Result) (uint64, error) {
	l := res.Location
	if res.Kind == op.Pieces {
		if len(res.Pieces) == 0 || res.Pieces[0].Size < 8 {
			return 0, fmt.Errorf("pointer split into pieces")
		}
		l = res.Pieces[0].Location
	}
	var b [8]byte
	switch l.Kind {
	case op.Address:
		if err := f.ReadMemory(l.Addr, b[:]); err != nil {
			return 0, err
		}
		return binary.LittleEndian.Uint64(b[:]), nil
	case op.Register:
		return f.Reg(l.Reg)
	case op.Value:
		return l.Value, nil
	case op.Implicit:
		if len(l.Bytes) >= 8 {
			return binary.LittleEndian.Uint64(l.Bytes), nil
		}
	}
	return 0, ErrOptimizedAway
}
