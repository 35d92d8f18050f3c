package values

import (
	"bytes"
	"encoding/binary"
	"errors"
	"testing"
	"time"
)

// memFunc is memory computed per 8-byte word, except that from
// groupsAt on every byte is 0x80 (an empty map control byte).
type memFunc func(addr uint64) uint64

const groupsAt = 0x9000_0000

var emptyCtrl = bytes.Repeat([]byte{0x80}, hardMaxBulk)

func (m memFunc) ReadMemory(addr uint64, buf []byte) (int, error) {
	if addr >= groupsAt && len(buf) <= len(emptyCtrl) {
		return copy(buf, emptyCtrl), nil
	}
	var w [8]byte
	for i := range buf {
		a := addr + uint64(i)
		binary.LittleEndian.PutUint64(w[:], m(a&^7))
		buf[i] = w[a&7]
	}
	return len(buf), nil
}

// TestCorruptMapTerminates loads a map whose header claims 2^40 entries
// in the largest directory allowed, of distinct tables of 65536 empty
// groups each: the scan must stop at its bounds, quickly.
func TestCorruptMapTerminates(t *testing.T) {
	l, _ := fuzzSetup(t)
	_, typ, err := l.Global("main.vMapBig")
	if err != nil {
		t.Fatal(err)
	}
	ml := l.img.info(typ).mapL
	const hdr, dir = 0x1000_0000, 0x2000_0000
	mem := memFunc(func(a uint64) uint64 {
		switch {
		case a == 0x100: // the variable: the map pointer
			return hdr
		case a == hdr+uint64(ml.usedOff):
			return 1 << 40
		case a == hdr+uint64(ml.dirPtrOff):
			return dir
		case a == hdr+uint64(ml.dirLenOff):
			return hardMaxBulk / 8
		case a >= dir && a < dir+hardMaxBulk:
			return 0x4000_0000 + (a-dir)*0x1000 // distinct tables
		case a >= 0x4000_0000 && a < 0x8000_0000 && (a-0x4000_0000)%0x1000 == uint64(ml.maskOff):
			return 1<<16 - 1
		case a >= 0x4000_0000 && a < 0x8000_0000 && (a-0x4000_0000)%0x1000 == uint64(ml.dataOff):
			return groupsAt
		}
		return 0
	})
	start := time.Now()
	v := l.Load(mem, "m", typ, 0x100, FullLoadConfig)
	if !errors.Is(v.Err, ErrCorrupt) || v.Len != 1<<40 {
		t.Errorf("Len %d, Err %v; want ErrCorrupt", v.Len, v.Err)
	}
	if d := time.Since(start); d > 5*time.Second {
		t.Errorf("took %v", d)
	}
	t.Logf("%v in %v", v.Err, time.Since(start))
}
