package goroutines

import (
	"debug/dwarf"
	"errors"
	"fmt"
	"strings"
)

// This file reads the few DIEs the layout needs with plain dwarf.Readers
// instead of dwarf.Data.Type: Type fills a cache inside the shared
// dwarf.Data that other packages use too, and it is not safe for
// concurrent use.

// runtimeDIEs are the top-level entries of interest, by name.
type runtimeDIEs struct {
	structs map[string]dwarf.Offset // struct types
	vars    map[string]*dwarf.Entry // package variables
	consts  map[string]int64        // runtime._G* constants
}

var wantStructs = map[string]bool{"runtime.g": true, "runtime.m": true, "runtime/pprof.labelMap": true, "runtime._defer": true, "runtime.p": true}

var wantVars = map[string]bool{
	"runtime.allgs": true, "runtime.allglen": true, "runtime.allgptr": true,
	"runtime.allm": true, "runtime.waitReasonStrings": true, "runtime.allp": true,
}

// scanRuntime collects the runtime's entries. The Go linker puts them in
// the "runtime" and "runtime/pprof" units, so only those are walked; if
// that finds no runtime.g (another toolchain), every unit is.
func scanRuntime(d *dwarf.Data) (*runtimeDIEs, error) {
	out := &runtimeDIEs{structs: map[string]dwarf.Offset{}, vars: map[string]*dwarf.Entry{}, consts: map[string]int64{}}
	if err := out.scan(d, false); err != nil {
		return nil, err
	}
	if _, ok := out.structs["runtime.g"]; !ok {
		if err := out.scan(d, true); err != nil {
			return nil, err
		}
	}
	return out, nil
}

func (s *runtimeDIEs) scan(d *dwarf.Data, all bool) error {
	r := d.Reader()
	for {
		e, err := r.Next()
		if err != nil {
			return err
		}
		if e == nil {
			return nil
		}
		name, _ := e.Val(dwarf.AttrName).(string)
		if e.Tag == dwarf.TagCompileUnit || e.Tag == dwarf.TagPartialUnit {
			if !all && name != "runtime" && name != "runtime/pprof" {
				r.SkipChildren()
			}
			continue
		}
		s.note(e, name)
		if e.Children {
			r.SkipChildren()
		}
	}
}

func (s *runtimeDIEs) note(e *dwarf.Entry, name string) {
	switch {
	case e.Tag == dwarf.TagStructType && wantStructs[name]:
		if _, dup := s.structs[name]; !dup {
			s.structs[name] = e.Offset
		}
	case e.Tag == dwarf.TagVariable && wantVars[name]:
		if _, dup := s.vars[name]; !dup {
			s.vars[name] = e
		}
	case e.Tag == dwarf.TagConstant && (strings.HasPrefix(name, "runtime._G") || strings.HasPrefix(name, "runtime._P")):
		if v, ok := e.Val(dwarf.AttrConstValue).(int64); ok {
			s.consts[name] = v
		}
	}
}

// staticAddr returns the address of a variable whose DW_AT_location is a
// single DW_OP_addr.
func staticAddr(e *dwarf.Entry) (uint64, bool) {
	loc, _ := e.Val(dwarf.AttrLocation).([]byte)
	if len(loc) != 9 || loc[0] != 0x03 { // DW_OP_addr
		return 0, false
	}
	var a uint64
	for i := 8; i >= 1; i-- {
		a = a<<8 | uint64(loc[i])
	}
	return a, true
}

// typeInfo describes a type after following typedefs.
type typeInfo struct {
	off  dwarf.Offset
	tag  dwarf.Tag
	name string
	size int64        // -1 if unknown
	elem dwarf.Offset // DW_AT_type of pointers and arrays
}

var errTypedefLoop = errors.New("typedef chain too long")

func resolveType(d *dwarf.Data, off dwarf.Offset) (typeInfo, error) {
	r := d.Reader()
	for range 16 {
		r.Seek(off)
		e, err := r.Next()
		if err != nil {
			return typeInfo{}, err
		}
		if e == nil {
			return typeInfo{}, fmt.Errorf("no type at DWARF offset %#x", off)
		}
		next, _ := e.Val(dwarf.AttrType).(dwarf.Offset)
		switch e.Tag {
		case dwarf.TagTypedef, dwarf.TagConstType, dwarf.TagVolatileType:
			if next == 0 {
				return typeInfo{}, fmt.Errorf("typedef at %#x has no type", off)
			}
			off = next
			continue
		}
		t := typeInfo{off: e.Offset, tag: e.Tag, size: -1, elem: next}
		t.name, _ = e.Val(dwarf.AttrName).(string)
		if sz, ok := e.Val(dwarf.AttrByteSize).(int64); ok {
			t.size = sz
		} else if e.Tag == dwarf.TagPointerType {
			t.size = 8
		}
		return t, nil
	}
	return typeInfo{}, errTypedefLoop
}

// member is one field of a struct type.
type member struct {
	name string
	off  int64
	typ  dwarf.Offset
}

// structType is a struct type with its members.
type structType struct {
	name    string
	size    int64
	members []member
}

func loadStruct(d *dwarf.Data, off dwarf.Offset) (*structType, error) {
	r := d.Reader()
	r.Seek(off)
	e, err := r.Next()
	if err != nil {
		return nil, err
	}
	if e == nil || e.Tag != dwarf.TagStructType {
		return nil, fmt.Errorf("no struct type at DWARF offset %#x", off)
	}
	st := &structType{size: -1}
	st.name, _ = e.Val(dwarf.AttrName).(string)
	if sz, ok := e.Val(dwarf.AttrByteSize).(int64); ok {
		st.size = sz
	}
	if !e.Children {
		return st, nil
	}
	for {
		c, err := r.Next()
		if err != nil {
			return nil, err
		}
		if c == nil || c.Tag == 0 {
			return st, nil
		}
		if c.Tag == dwarf.TagMember {
			m := member{}
			m.name, _ = c.Val(dwarf.AttrName).(string)
			m.typ, _ = c.Val(dwarf.AttrType).(dwarf.Offset)
			var ok bool
			if m.off, ok = memberOffset(c); ok && m.typ != 0 {
				st.members = append(st.members, m)
			}
		}
		if c.Children {
			r.SkipChildren()
		}
	}
}

// memberOffset decodes DW_AT_data_member_location: a constant, or the
// DW_OP_plus_uconst expression of older producers.
func memberOffset(e *dwarf.Entry) (int64, bool) {
	switch v := e.Val(dwarf.AttrDataMemberLoc).(type) {
	case int64:
		return v, v >= 0
	case []byte:
		if len(v) < 2 || v[0] != 0x23 { // DW_OP_plus_uconst
			return 0, false
		}
		var x uint64
		for i, b := range v[1:] {
			if i >= 9 {
				return 0, false
			}
			x |= uint64(b&0x7f) << (7 * i)
			if b < 0x80 {
				return int64(x), x < 1<<40
			}
		}
	}
	return 0, false
}

func (st *structType) member(name string) (member, bool) {
	for _, m := range st.members {
		if m.name == name {
			return m, true
		}
	}
	return member{}, false
}
