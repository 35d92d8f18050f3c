package values

import (
	"encoding/binary"
	"fmt"

	"github.com/godbg/godbg/pkg/dwarf/op"
)

// LocationBytes turns an evaluated DWARF location of a value of size
// bytes into what Load or LoadBytes need: for a value in memory its
// address (data nil), otherwise its bytes assembled from registers (by
// DWARF number, as op.Context.Reg), constants and DW_OP_piece parts read
// from mem or registers.
func LocationBytes(res op.Result, size int64, regs func(int) (uint64, error), mem Memory) (addr uint64, data []byte, err error) {
	if res.Kind == op.Address {
		return res.Addr, nil, nil
	}
	if size < 0 || size > hardMaxBulk {
		return 0, nil, corrupt("value of %d bytes", size)
	}
	data = make([]byte, size)
	if res.Kind != op.Pieces {
		return 0, data, pieceBytes(res.Location, data, regs, mem)
	}
	off := int64(0)
	for _, p := range res.Pieces {
		end := min(off+int64(p.Size), size)
		if p.BitSize%8 != 0 || p.BitOffset%8 != 0 {
			return 0, nil, fmt.Errorf("%w: bit piece", ErrUnsupported)
		}
		if off < end {
			if err := pieceBytes(p.Location, data[off:end], regs, mem); err != nil {
				return 0, nil, err
			}
		}
		off = end
	}
	if off < size {
		return 0, nil, ErrOptimizedAway
	}
	return 0, data, nil
}

func pieceBytes(l op.Location, buf []byte, regs func(int) (uint64, error), mem Memory) error {
	var w [8]byte
	switch l.Kind {
	case op.Address:
		c := loader{mem: mem}
		return c.read(l.Addr, buf)
	case op.Register:
		r, err := regs(l.Reg)
		if err != nil {
			return err
		}
		binary.LittleEndian.PutUint64(w[:], r)
	case op.Value:
		binary.LittleEndian.PutUint64(w[:], l.Value)
	case op.Implicit:
		if len(l.Bytes) < len(buf) {
			return ErrOptimizedAway
		}
		copy(buf, l.Bytes)
		return nil
	default:
		return ErrOptimizedAway
	}
	if len(buf) > 8 {
		return fmt.Errorf("%w: %d-byte value in one register", ErrUnsupported, len(buf))
	}
	copy(buf, w[:])
	return nil
}
