package frame

import (
	"encoding/binary"

	"github.com/godbg/godbg/pkg/dwarf/op"
)

// buf reads fixed-size and LEB128 values; the first error sticks and
// every later read returns zero.
type buf struct {
	data  []byte
	pos   int
	order binary.ByteOrder
	err   error
}

func (b *buf) fail() {
	if b.err == nil {
		b.err = ErrTruncated
	}
	b.pos = len(b.data)
}

func (b *buf) avail(n int) bool {
	if b.err != nil || n < 0 || n > len(b.data)-b.pos {
		b.fail()
		return false
	}
	return true
}

func (b *buf) u8() uint8 {
	if !b.avail(1) {
		return 0
	}
	b.pos++
	return b.data[b.pos-1]
}

func (b *buf) u16() uint16 {
	if !b.avail(2) {
		return 0
	}
	b.pos += 2
	return b.order.Uint16(b.data[b.pos-2:])
}

func (b *buf) u32() uint32 {
	if !b.avail(4) {
		return 0
	}
	b.pos += 4
	return b.order.Uint32(b.data[b.pos-4:])
}

func (b *buf) u64() uint64 {
	if !b.avail(8) {
		return 0
	}
	b.pos += 8
	return b.order.Uint64(b.data[b.pos-8:])
}

func (b *buf) uint(size int) uint64 {
	switch size {
	case 1:
		return uint64(b.u8())
	case 2:
		return uint64(b.u16())
	case 4:
		return uint64(b.u32())
	case 8:
		return b.u64()
	}
	if b.err == nil {
		b.err = ErrUnsupported
	}
	return 0
}

func (b *buf) uleb() uint64 {
	if b.err != nil {
		return 0
	}
	v, n := op.ULEB128(b.data[b.pos:])
	if n == 0 {
		b.fail()
		return 0
	}
	b.pos += n
	return v
}

func (b *buf) sleb() int64 {
	if b.err != nil {
		return 0
	}
	v, n := op.SLEB128(b.data[b.pos:])
	if n == 0 {
		b.fail()
		return 0
	}
	b.pos += n
	return v
}

func (b *buf) bytes(n uint64) []byte {
	if n > uint64(len(b.data)) || !b.avail(int(n)) {
		b.fail()
		return nil
	}
	b.pos += int(n)
	return b.data[b.pos-int(n) : b.pos]
}

func (b *buf) cstring() string {
	for i := b.pos; i < len(b.data); i++ {
		if b.data[i] == 0 {
			s := string(b.data[b.pos:i])
			b.pos = i + 1
			return s
		}
	}
	b.fail()
	return ""
}
