package values

import (
	"debug/dwarf"
	"encoding/binary"
	"fmt"
	"reflect"

	"github.com/godbg/godbg/pkg/symbols"
)

// Memory reads the memory of a stopped process (proc.Process has this
// method). A read that returns fewer bytes than asked without an error is
// treated as a failure.
type Memory interface {
	ReadMemory(addr uint64, buf []byte) (int, error)
}

// Loader reads values of one executable from one process. It is safe for
// concurrent use; the decoded types and the DWARF index it builds on first
// need are shared by all Loaders of the same symbols.Table.
type Loader struct {
	img  *image
	bias uint64
}

// NewLoader returns a Loader for the executable of tab loaded with the
// given bias (the run-time minus the link-time address; 0 unless PIE).
func NewLoader(tab *symbols.Table, bias uint64) (*Loader, error) {
	img, err := imageFor(tab)
	if err != nil {
		return nil, err
	}
	return &Loader{img: img, bias: bias}, nil
}

// Load reads a value of type typ stored at the run-time address addr.
// Problems are reported in the Value (Err, on the value or on the part
// that could not be read), never by panicking.
func (l *Loader) Load(mem Memory, name string, typ dwarf.Type, addr uint64, cfg LoadConfig) *Value {
	return l.load(mem, name, typ, loc{addr: addr}, cfg)
}

// LoadBytes decodes a value whose bytes are already known, typically
// assembled from registers (see LocationBytes); what it points to is read
// from mem. The Value's Addr is 0.
func (l *Loader) LoadBytes(mem Memory, name string, typ dwarf.Type, data []byte, cfg LoadConfig) *Value {
	if data == nil {
		data = []byte{}
	}
	return l.load(mem, name, typ, loc{data: data}, cfg)
}

// Expand loads the contents of a value that was marked Unloaded (or
// truncated), with a fresh depth budget: the value is reloaded in place
// from memory (or from the bytes it was decoded from, if it has no
// address).
func (l *Loader) Expand(mem Memory, v *Value, cfg LoadConfig) {
	if v.ti == nil {
		return
	}
	c := &loader{l: l, mem: mem, cfg: cfg}
	name, emb, cst, src := v.Name, v.Embedded, v.Const, v.src
	if src.addr != 0 {
		src.data = nil
	}
	*v = *c.newValue(name, v.Type, src)
	v.Embedded, v.Const = emb, cst
	c.load(v, 0)
}

func (l *Loader) load(mem Memory, name string, typ dwarf.Type, at loc, cfg LoadConfig) *Value {
	c := &loader{l: l, mem: mem, cfg: cfg}
	v := c.newValue(name, typ, at)
	c.load(v, 0)
	return v
}

// loc is where a value's bytes are: at addr in memory, or already in
// data (len(data) >= the value's size) — then addr, if not 0, is where
// those bytes were read from.
type loc struct {
	addr uint64
	data []byte
}

// at returns the location of the part at offset off and of size size.
func (l loc) at(off, size int64) loc {
	var sub loc
	size = max(size, 0)
	if l.addr != 0 {
		sub.addr = l.addr + uint64(off)
	}
	if l.data != nil {
		if off >= 0 && off+size <= int64(len(l.data)) {
			sub.data = l.data[off : off+size]
		} else {
			sub.data = []byte{} // reads from it fail
		}
	}
	return sub
}

// loader is the state of one Load.
type loader struct {
	l      *Loader
	mem    Memory
	cfg    LoadConfig
	slots  int   // map slots scanned so far
	values int   // values created so far
	strs   int64 // string bytes read so far
	nested int   // values being loaded inside one another now
}

// maxNesting bounds how deeply values are loaded inside one another: an
// interface holding an interface does not count as a level of the load
// configuration, so a cycle of them in corrupt memory would not end.
const maxNesting = 256

// full reports whether this load has created as many values as it may;
// lists stop growing (and read as truncated) once it has.
func (c *loader) full() bool { return c.values >= maxValues }

func (c *loader) newValue(name string, typ dwarf.Type, at loc) *Value {
	ti := c.l.img.info(typ)
	c.values++
	return &Value{Name: name, Type: typ, TypeName: ti.name, Kind: ti.kind, Addr: at.addr, Size: ti.size, src: at, ti: ti}
}

// read fills buf from memory.
func (c *loader) read(addr uint64, buf []byte) error {
	if len(buf) == 0 {
		return nil
	}
	if addr == 0 {
		return &ReadError{Addr: 0, Size: len(buf), Err: fmt.Errorf("nil pointer")}
	}
	n, err := c.mem.ReadMemory(addr, buf)
	if err != nil || n < len(buf) {
		return &ReadError{Addr: addr, Size: len(buf), Err: err}
	}
	return nil
}

// bytes returns the first size bytes at a location.
func (c *loader) bytes(at loc, size int64) ([]byte, error) {
	if at.data != nil {
		if size > int64(len(at.data)) {
			return nil, fmt.Errorf("%w: %d of %d bytes known", ErrOptimizedAway, len(at.data), size)
		}
		return at.data[:size], nil
	}
	if size < 0 || size > hardMaxBulk {
		return nil, corrupt("read of %d bytes", size)
	}
	buf := make([]byte, size)
	return buf, c.read(at.addr, buf)
}

// word reads a little-endian integer of up to 8 bytes.
func word(b []byte) uint64 {
	if len(b) >= 8 {
		return binary.LittleEndian.Uint64(b)
	}
	var w [8]byte
	copy(w[:], b)
	return binary.LittleEndian.Uint64(w[:])
}

// load fills v, read from v.src, at nesting level level.
func (c *loader) load(v *Value, level int) {
	if c.nested >= maxNesting {
		v.Err = fmt.Errorf("%w: nested more than %d levels deep", ErrCorrupt, maxNesting)
		return
	}
	c.nested++
	defer func() { c.nested-- }()
	ti := v.ti
	if ti.err != nil {
		v.Err = fmt.Errorf("%s: %w", ti.name, ti.err)
		return
	}
	if v.src.data != nil && int64(len(v.src.data)) < v.Size {
		_, v.Err = c.bytes(v.src, v.Size)
		return
	}
	switch ti.kind {
	case reflect.String:
		c.loadString(v)
	case reflect.Array:
		c.loadArray(v, level)
	case reflect.Slice:
		c.loadSlice(v, level)
	case reflect.Struct:
		c.loadStruct(v, level)
	case reflect.Pointer, reflect.UnsafePointer:
		c.loadPointer(v, level)
	case reflect.Func:
		c.loadFunc(v)
	case reflect.Map:
		c.loadMap(v, level)
	case reflect.Chan:
		c.loadChan(v, level)
	case reflect.Interface:
		c.loadInterface(v, level)
	default:
		c.loadScalar(v)
	}
}

// nextLevel is the level of what a pointer or interface at level leads
// to: the same, unless it is another pointer or interface (so that any
// cycle through memory deepens the level and ends).
func nextLevel(child *Value, level int) int {
	if child.Kind == reflect.Pointer || child.Kind == reflect.Interface {
		return level + 1
	}
	return level
}
