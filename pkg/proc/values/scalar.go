package values

import (
	"bytes"
	"fmt"
	"math"
	"reflect"
)

func (c *loader) loadScalar(v *Value) {
	b, err := c.bytes(v.src, v.Size)
	if err != nil {
		v.Err = err
		return
	}
	switch v.Kind {
	case reflect.Bool:
		v.Bool = b[0] != 0
	case reflect.Int8, reflect.Int16, reflect.Int32, reflect.Int, reflect.Int64:
		sh := 64 - 8*uint(len(b))
		v.Int = int64(word(b)<<sh) >> sh
	case reflect.Uint8, reflect.Uint16, reflect.Uint32, reflect.Uint, reflect.Uint64, reflect.Uintptr:
		v.Uint = word(b)
	case reflect.Float32:
		v.Float = float64(math.Float32frombits(uint32(word(b))))
	case reflect.Float64:
		v.Float = math.Float64frombits(word(b))
	case reflect.Complex64:
		v.Complex = complex(float64(math.Float32frombits(uint32(word(b[:4])))), float64(math.Float32frombits(uint32(word(b[4:])))))
	case reflect.Complex128:
		v.Complex = complex(math.Float64frombits(word(b[:8])), math.Float64frombits(word(b[8:])))
	default:
		v.Err = fmt.Errorf("%w: %s", ErrUnsupported, v.TypeName)
	}
}

// loadString reads a string header {str *byte; len int} and up to
// MaxStringLen bytes of its contents.
func (c *loader) loadString(v *Value) {
	b, err := c.bytes(v.src, 16)
	if err != nil {
		v.Err = err
		return
	}
	v.Base, v.Len = word(b[:8]), int64(word(b[8:]))
	if v.Len < 0 || (v.Base == 0 && v.Len != 0) {
		v.Err = corrupt("string of length %d at %#x", v.Len, v.Base)
		return
	}
	n := min(v.Len, c.cfg.maxString(), maxStringBytes-c.strs)
	c.strs += max(n, 0)
	if n <= 0 {
		return
	}
	buf := make([]byte, n)
	if err := c.read(v.Base, buf); err != nil {
		v.Err = err
		return
	}
	v.Str = string(buf)
}

func (c *loader) loadPointer(v *Value, level int) {
	b, err := c.bytes(v.src, 8)
	if err != nil {
		v.Err = err
		return
	}
	v.Base = word(b)
	if v.Kind == reflect.UnsafePointer || v.Base == 0 {
		return
	}
	if v.ti.cStr {
		c.loadCString(v)
	}
	child := c.newValue("", v.ti.elem, loc{addr: v.Base})
	v.Children = []*Value{child}
	// As Delve: following a pointer is no level, unless it leads to an
	// interface or another pointer (so that cycles end); a pointer to a
	// pointer below the depth limit is not followed.
	next := nextLevel(child, level)
	if !c.cfg.FollowPointers || (child.Kind == reflect.Pointer && level > c.cfg.maxDepth()) || c.full() {
		child.Unloaded = true
		v.notFollowed = !c.cfg.FollowPointers
		return
	}
	c.load(child, next)
}

// loadFunc reads a func value: a pointer to a closure whose first word
// is the code address (C function pointers hold the code address).
func (c *loader) loadFunc(v *Value) {
	b, err := c.bytes(v.src, 8)
	if err != nil {
		v.Err = err
		return
	}
	p := word(b)
	if p == 0 {
		return
	}
	if !v.ti.cFunc {
		var w [8]byte
		if err := c.read(p, w[:]); err != nil {
			v.Err = err
			return
		}
		p = word(w[:])
	}
	v.Base = p
	if fn := c.l.img.tab.PCToFunc(p - c.l.bias); fn != nil {
		v.Str = fn.Name
	}
}

// loadCString reads the NUL-terminated string a C char pointer points
// to, up to the string limit, into v.Str. Its length is unknown past the
// limit: Len is then one more than read, so it prints "...+1 more" as
// Delve's does.
func (c *loader) loadCString(v *Value) {
	limit := c.cfg.maxString()
	var out []byte
	for int64(len(out)) <= limit {
		chunk := make([]byte, min(256, limit+1-int64(len(out))))
		if err := c.read(v.Base+uint64(len(out)), chunk); err != nil {
			chunk = chunk[:1] // near the end of a mapping: byte by byte
			if c.read(v.Base+uint64(len(out)), chunk) != nil {
				break
			}
		}
		if i := bytes.IndexByte(chunk, 0); i >= 0 {
			out = append(out, chunk[:i]...)
			v.Str, v.Len = string(out), int64(len(out))
			return
		}
		out = append(out, chunk...)
	}
	if int64(len(out)) > limit {
		out = out[:limit]
	}
	v.Str, v.Len = string(out), int64(len(out))+1
}

// IsCString reports whether v is a C char pointer shown as its string.
func (v *Value) IsCString() bool { return v.Kind == reflect.Pointer && v.ti.cStr && v.Base != 0 }
