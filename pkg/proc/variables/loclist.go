package variables

import (
	"encoding/binary"
	"errors"
	"fmt"

	"github.com/godbg/godbg/pkg/dwarf/op"
)

// unit is what location list decoding needs from a compile unit.
type unit struct {
	version  int
	base     uint64 // DW_AT_low_pc
	addrBase uint64 // DW_AT_addr_base
}

var errLocList = errors.New("corrupt location list")

// DWARF 5 location list entry kinds.
const (
	lleEndOfList       = 0
	lleBaseAddressx    = 1
	lleStartxEndx      = 2
	lleStartxLength    = 3
	lleOffsetPair      = 4
	lleDefaultLocation = 5
	lleBaseAddress     = 6
	lleStartEnd        = 7
	lleStartLength     = 8
)

// locExpr returns the expression of the location list at off in effect
// at pc; nil (and no error) when no entry covers pc.
func (in *info) locExpr(u unit, off uint64, pc uint64) ([]byte, error) {
	if u.version >= 5 {
		return in.loclistsExpr(u, off, pc)
	}
	return locExprV4(in.loc, u.base, off, pc)
}

func locExprV4(data []byte, base, off, pc uint64) ([]byte, error) {
	le := binary.LittleEndian
	for {
		if off+16 > uint64(len(data)) {
			return nil, errLocList
		}
		lo, hi := le.Uint64(data[off:]), le.Uint64(data[off+8:])
		off += 16
		switch {
		case lo == 0 && hi == 0:
			return nil, nil
		case lo == ^uint64(0):
			base = hi
			continue
		}
		if off+2 > uint64(len(data)) {
			return nil, errLocList
		}
		n := uint64(le.Uint16(data[off:]))
		off += 2
		if off+n > uint64(len(data)) {
			return nil, errLocList
		}
		if pc >= base+lo && pc < base+hi {
			return data[off : off+n], nil
		}
		off += n
	}
}

type lreader struct {
	data []byte
	pos  uint64
	err  error
}

func (r *lreader) uleb() uint64 {
	if r.err != nil || r.pos >= uint64(len(r.data)) {
		r.err = errLocList
		return 0
	}
	v, n := op.ULEB128(r.data[r.pos:])
	if n == 0 {
		r.err = errLocList
	}
	r.pos += uint64(n)
	return v
}

func (r *lreader) u64() uint64 {
	if r.err != nil || r.pos+8 > uint64(len(r.data)) {
		r.err = errLocList
		return 0
	}
	r.pos += 8
	return binary.LittleEndian.Uint64(r.data[r.pos-8:])
}

func (r *lreader) block() []byte {
	n := r.uleb()
	if r.err != nil || n > uint64(len(r.data))-r.pos {
		r.err = errLocList
		return nil
	}
	r.pos += n
	return r.data[r.pos-n : r.pos]
}

func (in *info) loclistsExpr(u unit, off, pc uint64) ([]byte, error) {
	r := &lreader{data: in.loclists, pos: off}
	base := u.base
	var deflt []byte
	addrx := func() uint64 {
		a, err := in.addrAt(u.addrBase, r.uleb())
		if err != nil && r.err == nil {
			r.err = err
		}
		return a
	}
	for r.err == nil {
		if r.pos >= uint64(len(r.data)) {
			return nil, errLocList
		}
		kind := r.data[r.pos]
		r.pos++
		var lo, hi uint64
		switch kind {
		case lleEndOfList:
			return deflt, nil
		case lleBaseAddressx:
			base = addrx()
			continue
		case lleBaseAddress:
			base = r.u64()
			continue
		case lleStartxEndx:
			lo = addrx()
			hi = addrx()
		case lleStartxLength:
			lo = addrx()
			hi = lo + r.uleb()
		case lleOffsetPair:
			lo = base + r.uleb()
			hi = base + r.uleb()
		case lleDefaultLocation:
			deflt = r.block()
			continue
		case lleStartEnd:
			lo, hi = r.u64(), r.u64()
		case lleStartLength:
			lo = r.u64()
			hi = lo + r.uleb()
		default:
			return nil, fmt.Errorf("%w: entry kind %#x", errLocList, kind)
		}
		expr := r.block()
		if r.err == nil && pc >= lo && pc < hi {
			return expr, nil
		}
	}
	return nil, r.err
}
