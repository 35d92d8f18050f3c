package ebpf

import (
	"debug/dwarf"
	"encoding/binary"
	"fmt"
	"io"
	"os"
	"strconv"
	"strings"
	"time"

	"golang.org/x/sys/unix"

	"github.com/godbg/godbg/pkg/proc/values"
)

// Event is one call or return seen by a probe.
type Event struct {
	Func      string
	Goroutine int64
	Pid, Tid  int
	Return    bool
	Time      time.Time
	Values    []NamedValue
	Stack     []Frame // callers, innermost first
}

// NamedValue is a decoded argument or result in print's short form.
type NamedValue struct{ Name, Value string }

// Frame is one caller frame.
type Frame struct {
	PC       uint64
	Function string
	File     string
	Line     int
}

// loadCfg keeps a traced value to one short line.
var loadCfg = values.LoadConfig{MaxStringLen: StringBytes, MaxArrayValues: 8, MaxStructFields: 8, MaxVariableRecurse: 1}

func monotonicZero() time.Time {
	var ts unix.Timespec
	if unix.ClockGettime(unix.CLOCK_MONOTONIC, &ts) != nil {
		return time.Now()
	}
	return time.Now().Add(-time.Duration(ts.Nano()))
}

func (t *Tracer) decode(b []byte) (Event, bool) {
	if len(b) < hdrSize {
		return Event{}, false
	}
	idx := int(binary.LittleEndian.Uint32(b[offProbe:]))
	if idx >= len(t.cfg.Probes) {
		return Event{}, false
	}
	p := &t.cfg.Probes[idx]
	pt := binary.LittleEndian.Uint64(b[offPid:])
	ev := Event{Func: p.Func.Name, Return: p.Return, Pid: int(pt >> 32), Tid: int(uint32(pt)),
		Goroutine: int64(binary.LittleEndian.Uint64(b[offGoid:])),
		Time:      t.boot.Add(time.Duration(binary.LittleEndian.Uint64(b[offTime:])))}
	if len(b) < recordSize(p, 0) {
		return ev, true
	}
	if t.cfg.Loader != nil {
		ev.Values = make([]NamedValue, 0, len(p.Values))
		for i := range p.Values {
			ev.Values = append(ev.Values, t.value(&p.Values[i], b[hdrSize+i*slotSize:hdrSize+(i+1)*slotSize]))
		}
	}
	if n := int(binary.LittleEndian.Uint32(b[offStack:])); n > 0 {
		ev.Stack = t.frames(b[recordSize(p, 0):], n, p.AtCall)
	}
	return ev, true
}

func (t *Tracer) value(v *Value, slot []byte) NamedValue {
	if v.Err != "" {
		return NamedValue{v.Name, "(" + v.Err + ")"}
	}
	if s, ok := scalar(v, slot); ok {
		return NamedValue{v.Name, s}
	}
	mem := &snapshot{live: t.mem}
	if v.String {
		mem.addr = binary.LittleEndian.Uint64(slot)
		mem.data = slot[ValueBytes:]
	}
	val := t.cfg.Loader.LoadBytes(mem, v.Name, v.Type, slot[:v.Size], loadCfg)
	if val.Err != nil {
		return NamedValue{v.Name, "(" + val.Err.Error() + ")"}
	}
	return NamedValue{v.Name, values.Format(val)}
}

// scalar formats a value of a predeclared integer type or bool as
// values.Format does (such types have no named constants), without the
// loader's allocations: most traced values are these.
func scalar(v *Value, slot []byte) (string, bool) {
	if v.Size < 1 || v.Size > 8 || v.Size&(v.Size-1) != 0 || strings.Contains(v.Type.String(), ".") {
		return "", false
	}
	var b [8]byte
	copy(b[:], slot[:v.Size])
	u := binary.LittleEndian.Uint64(b[:])
	switch v.Type.(type) {
	case *dwarf.IntType:
		shift := 64 - 8*uint(v.Size)
		return strconv.FormatInt(int64(u<<shift)>>shift, 10), true
	case *dwarf.UintType:
		return strconv.FormatUint(u, 10), true
	case *dwarf.BoolType:
		return strconv.FormatBool(u != 0), true
	}
	return "", false
}

// frames symbolizes the user stack: the probe's pc, then return
// addresses (the call is the byte before). The probe's pc is a frame
// of the callers when the probe is on a CALL (atCall).
func (t *Tracer) frames(b []byte, n int, atCall bool) []Frame {
	var out []Frame
	i := 1
	if atCall {
		i = 0
	}
	for ; i*8+8 <= min(n, len(b)); i++ {
		pc := binary.LittleEndian.Uint64(b[i*8:])
		if pc == 0 {
			break
		}
		f := Frame{PC: pc}
		look := pc - 1
		if i == 0 {
			look = pc
		}
		file, line, fn := t.cfg.Table.PCToLine(look - t.cfg.Bias)
		if fn != nil {
			f.Function, f.File, f.Line = fn.Name, file, line
		}
		out = append(out, f)
		if len(out) == t.cfg.Stack {
			break
		}
	}
	return out
}

// snapshot is the memory a value is decoded against: the string bytes
// the probe copied, then the live process.
type snapshot struct {
	addr uint64
	data []byte
	live *os.File
}

func (s *snapshot) ReadMemory(addr uint64, buf []byte) (int, error) {
	if s.data != nil && addr >= s.addr && addr+uint64(len(buf)) <= s.addr+uint64(len(s.data)) {
		return copy(buf, s.data[addr-s.addr:]), nil
	}
	if s.live == nil {
		return 0, fmt.Errorf("%#x: not copied by the probe: %w", addr, io.ErrUnexpectedEOF)
	}
	return s.live.ReadAt(buf, int64(addr))
}
