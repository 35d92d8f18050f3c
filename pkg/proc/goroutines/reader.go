package goroutines

import (
	"encoding/binary"
	"fmt"
	"io"
	"strconv"
	"sync"

	"github.com/godbg/godbg/pkg/symbols"
)

// Memory reads the target's memory; proc.Process satisfies it. A read
// that returns fewer bytes than asked counts as failed.
type Memory interface {
	ReadMemory(addr uint64, buf []byte) (int, error)
}

// Reader reads the goroutines and threads of one stopped process. It
// holds no process state besides the runtime's wait-reason texts (static
// data, read once), so one Reader serves every stop of the process. It is
// safe for concurrent use if mem is.
type Reader struct {
	l    *Layout
	tab  *symbols.Table
	mem  Memory
	bias uint64

	wrOnce      sync.Once
	waitReasons []string
}

// maxWaitReasons bounds runtime.waitReasonStrings (47 entries in Go 1.26).
const maxWaitReasons = 1024

// NewReader returns a Reader for a process running tab's executable,
// loaded at bias (run-time minus link-time addresses; 0 unless PIE), whose
// memory is mem. It fails like LoadLayout.
func NewReader(tab *symbols.Table, mem Memory, bias uint64) (*Reader, error) {
	l, err := LoadLayout(tab)
	if err != nil {
		return nil, err
	}
	return &Reader{l: l, tab: tab, mem: mem, bias: bias}, nil
}

// Layout returns the executable's layout.
func (r *Reader) Layout() *Layout { return r.l }

// PCToFunc maps a run-time pc (G.PC, G.StartPC) to its function, undoing
// the load bias. For G.GoPC, a return address, pass GoPC-1 to get the
// line of the go statement from the Table.
func (r *Reader) PCToFunc(pc uint64) *symbols.Func { return r.tab.PCToFunc(pc - r.bias) }

func readFull(mem Memory, addr uint64, buf []byte) error {
	n, err := mem.ReadMemory(addr, buf)
	if err != nil {
		return err
	}
	if n < len(buf) {
		return io.ErrUnexpectedEOF
	}
	return nil
}

func (r *Reader) readUint64(what string, addr uint64) (uint64, error) {
	var b [8]byte
	if err := readFull(r.mem, addr, b[:]); err != nil {
		return 0, &ReadError{What: what, Addr: addr, Err: err}
	}
	return binary.LittleEndian.Uint64(b[:]), nil
}

// readString reads the Go string whose header (ptr, len) starts hdr,
// cutting it at limit bytes.
func (r *Reader) readString(hdr []byte, limit int) (string, error) {
	p, n := binary.LittleEndian.Uint64(hdr), binary.LittleEndian.Uint64(hdr[8:])
	if n == 0 {
		return "", nil
	}
	buf := make([]byte, min(n, uint64(limit)))
	if err := readFull(r.mem, p, buf); err != nil {
		return "", err
	}
	return string(buf), nil
}

// waitReason returns the text for g.waitreason code.
func (r *Reader) waitReason(code uint64) string {
	r.wrOnce.Do(r.loadWaitReasons)
	if code < uint64(len(r.waitReasons)) && r.waitReasons[code] != "" {
		return r.waitReasons[code]
	}
	if code == 0 {
		return ""
	}
	return "waitReason(" + strconv.FormatUint(code, 10) + ")"
}

// loadWaitReasons reads runtime.waitReasonStrings; a failure leaves the
// table empty and wait reasons numeric.
func (r *Reader) loadWaitReasons() {
	n := r.l.waitReasonN
	if n == 0 {
		return
	}
	arr := make([]byte, 16*n)
	if readFull(r.mem, r.l.waitReasons+r.bias, arr) != nil {
		return
	}
	out := make([]string, n)
	for i := range out {
		s, err := r.readString(arr[16*i:], 64)
		if err != nil {
			return
		}
		out[i] = s
	}
	r.waitReasons = out
}

// gWhat names a g in errors.
func gWhat(addr uint64) string { return fmt.Sprintf("runtime.g %#x", addr) }
