package goroutines

import (
	"debug/dwarf"
	"encoding/binary"
	"fmt"
	"strings"
)

// field is where one integer or pointer field lives in a struct; size 0
// means the field is absent (optional fields only).
type field struct{ off, size int }

func (f field) present() bool { return f.size > 0 }

// get reads the field from b, which holds the struct's bytes from lo on.
// Callers guarantee b covers the field (see span).
func (f field) get(b []byte, lo int) uint64 {
	if f.size == 0 {
		return 0
	}
	p := b[f.off-lo:]
	switch f.size {
	case 1:
		return uint64(p[0])
	case 2:
		return uint64(binary.LittleEndian.Uint16(p))
	case 4:
		return uint64(binary.LittleEndian.Uint32(p))
	case 8:
		return binary.LittleEndian.Uint64(p)
	}
	return 0
}

// span is the byte range [lo, hi) of a struct that covers the fields read.
type span struct{ lo, hi int }

func spanOf(fields ...field) span {
	s := span{lo: -1}
	for _, f := range fields {
		if !f.present() {
			continue
		}
		if s.lo < 0 || f.off < s.lo {
			s.lo = f.off
		}
		s.hi = max(s.hi, f.off+f.size)
	}
	s.lo = max(s.lo, 0)
	return s
}

func (s span) len() int { return s.hi - s.lo }

// resolver finds (nested) fields of one struct type.
type resolver struct {
	d   *dwarf.Data
	top *structType
}

func newResolver(d *dwarf.Data, off dwarf.Offset) (*resolver, error) {
	st, err := loadStruct(d, off)
	if err != nil {
		return nil, err
	}
	if st.size <= 0 {
		return nil, fmt.Errorf("%s has no size", st.name)
	}
	return &resolver{d: d, top: st}, nil
}

// field resolves path (e.g. "sched", "pc") to an offset in the top
// struct and the size of an integer or pointer of 1, 2, 4 or 8 bytes.
func (r *resolver) field(path ...string) (field, error) {
	st, off := r.top, int64(0)
	for i, name := range path {
		m, ok := st.member(name)
		if !ok {
			return field{}, fmt.Errorf("%s has no field %s", r.top.name, strings.Join(path[:i+1], "."))
		}
		off += m.off
		t, err := resolveType(r.d, m.typ)
		if err != nil {
			return field{}, fmt.Errorf("%s.%s: %w", r.top.name, strings.Join(path[:i+1], "."), err)
		}
		if i < len(path)-1 {
			if t.tag != dwarf.TagStructType {
				return field{}, fmt.Errorf("%s.%s is not a struct", r.top.name, strings.Join(path[:i+1], "."))
			}
			if st, err = loadStruct(r.d, t.off); err != nil {
				return field{}, err
			}
			continue
		}
		if t.size != 1 && t.size != 2 && t.size != 4 && t.size != 8 {
			return field{}, fmt.Errorf("%s.%s has size %d, want an integer or pointer", r.top.name, strings.Join(path, "."), t.size)
		}
		if off+t.size > r.top.size {
			return field{}, fmt.Errorf("%s.%s lies outside the struct", r.top.name, strings.Join(path, "."))
		}
		return field{off: int(off), size: int(t.size)}, nil
	}
	return field{}, fmt.Errorf("empty field path in %s", r.top.name)
}

// oneOf returns the first path that resolves (runtime fields move into
// wrapper types between Go versions, e.g. atomicstatus.v).
func (r *resolver) oneOf(paths ...[]string) (field, error) {
	var first error
	for _, p := range paths {
		f, err := r.field(p...)
		if err == nil {
			return f, nil
		}
		if first == nil {
			first = err
		}
	}
	return field{}, first
}

// optional resolves a field the package can do without.
func (r *resolver) optional(paths ...[]string) field {
	f, _ := r.oneOf(paths...)
	return f
}

func names(p ...string) []string { return p }
