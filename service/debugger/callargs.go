package debugger

import (
	"debug/dwarf"
	"encoding/binary"
	"fmt"
	"go/ast"
	"math"
	"reflect"

	"github.com/godbg/godbg/pkg/proc"
	"github.com/godbg/godbg/pkg/proc/expr"
	"github.com/godbg/godbg/pkg/proc/values"
	"github.com/godbg/godbg/pkg/proc/variables"
)

// callArgs evaluates the arguments (after the receiver) and lays them
// out as register words.
func (d *Debugger) callArgs(s *expr.FrameScope, c *callee, ce *ast.CallExpr, src string, params []*variables.FrameVar, unsafeCall bool) (*regWords, error) {
	words := &regWords{}
	ps := params
	if c.recv != nil {
		if len(ps) == 0 {
			return nil, fmt.Errorf("%w %s: its receiver is not in its debug information", errCall, c.fn.Name)
		}
		comps, err := flatten(ps[0].Type, 0, nil)
		if err != nil {
			return nil, fmt.Errorf("%w %s: receiver: %v", errCall, c.fn.Name, err)
		}
		words.add(comps, c.recv)
		ps = ps[1:]
	}
	if err := variadicRefusal(c.fn, ps); err != nil {
		return nil, err
	}
	if len(ce.Args) != len(ps) {
		return nil, variadicHint(c.fn, ps, fmt.Errorf("%w %s: it takes %d arguments, %d given", errCall, c.fn.Name, len(ps), len(ce.Args)))
	}
	for i, a := range ce.Args {
		text := src[a.Pos()-1 : a.End()-1]
		data, err := d.argBytes(s, text, ps[i].Type, unsafeCall)
		if err != nil {
			return nil, variadicHint(c.fn, ps[i:], fmt.Errorf("%w %s: argument %d (%s): %v", errCall, c.fn.Name, i+1, text, err))
		}
		comps, err := flatten(ps[i].Type, 0, nil)
		if err != nil {
			return nil, fmt.Errorf("%w %s: argument %d (%s): %v", errCall, c.fn.Name, i+1, text, err)
		}
		words.add(comps, data)
	}
	return words, nil
}

// argBytes evaluates one argument as the bytes of a value of type typ.
func (d *Debugger) argBytes(s *expr.FrameScope, text string, typ dwarf.Type, unsafeCall bool) ([]byte, error) {
	l, err := d.loader()
	if err != nil {
		return nil, err
	}
	size := typ.Size()
	want := l.LoadBytes(d.proc(), "", typ, make([]byte, size), values.LoadConfig{})
	out := make([]byte, size)
	if text == "nil" {
		switch want.Kind {
		case reflect.Pointer, reflect.UnsafePointer, reflect.Map, reflect.Chan, reflect.Func, reflect.Slice, reflect.Interface:
			return out, nil
		}
		return nil, fmt.Errorf("nil is not a %s", want.TypeName)
	}
	v, err := expr.Eval(s, text, values.LoadConfig{MaxStringLen: 1 << 16})
	if err != nil {
		return nil, err
	}
	have := v.TypeName
	if have == "" {
		have = "an untyped " + v.Kind.String() + " constant"
	}
	mismatch := fmt.Errorf("it is %s, the parameter is %s", have, want.TypeName)
	typed := v.Addr != 0 // a variable, not a constant: its type must match
	if typed && v.TypeName != want.TypeName && want.Kind != reflect.Interface {
		return nil, mismatch
	}
	le := binary.LittleEndian
	switch want.Kind {
	case reflect.Int, reflect.Int8, reflect.Int16, reflect.Int32, reflect.Int64,
		reflect.Uint, reflect.Uint8, reflect.Uint16, reflect.Uint32, reflect.Uint64, reflect.Uintptr:
		var b [8]byte
		switch v.Kind {
		case reflect.Int, reflect.Int8, reflect.Int16, reflect.Int32, reflect.Int64:
			le.PutUint64(b[:], uint64(v.Int))
		case reflect.Uint, reflect.Uint8, reflect.Uint16, reflect.Uint32, reflect.Uint64, reflect.Uintptr:
			le.PutUint64(b[:], v.Uint)
		default:
			return nil, mismatch
		}
		copy(out, b[:size])
	case reflect.Float32, reflect.Float64:
		f, ok := floatOf(v, typed)
		if !ok {
			return nil, mismatch
		}
		if size == 4 {
			le.PutUint32(out, math.Float32bits(float32(f)))
		} else {
			le.PutUint64(out, math.Float64bits(f))
		}
	case reflect.Bool:
		if v.Kind != reflect.Bool {
			return nil, mismatch
		}
		if v.Bool {
			out[0] = 1
		}
	case reflect.String:
		if v.Kind != reflect.String {
			return nil, mismatch
		}
		base, err := d.stringData(v)
		if err != nil {
			return nil, err
		}
		le.PutUint64(out[0:], base)
		le.PutUint64(out[8:], uint64(v.Len))
	case reflect.Pointer, reflect.UnsafePointer, reflect.Map, reflect.Chan, reflect.Func:
		if v.Kind != want.Kind {
			return nil, mismatch
		}
		if !unsafeCall && want.Kind == reflect.Pointer && d.onStack(v.Base) {
			return nil, fmt.Errorf("it points into the goroutine's stack, which the call may outlive; call -unsafe passes it anyway")
		}
		le.PutUint64(out, v.Base)
	default:
		if !typed || v.TypeName != want.TypeName {
			return nil, mismatch
		}
		if _, err := d.proc().ReadMemory(v.Addr, out); err != nil {
			return nil, err
		}
	}
	return out, nil
}

// stringData is a string value's data pointer; a string computed by the
// expression (a literal) is copied into memory the program keeps.
func (d *Debugger) stringData(v *values.Value) (uint64, error) {
	if v.Base != 0 || v.Len == 0 {
		return v.Base, nil
	}
	if int64(len(v.Str)) != v.Len {
		return 0, fmt.Errorf("the string is longer than call can copy")
	}
	inj := d.proc().(proc.CallInjector)
	a, err := inj.AllocData(len(v.Str))
	if err != nil {
		return 0, err
	}
	if _, err := d.tgt.Memory().WriteMemory(a, []byte(v.Str)); err != nil {
		return 0, err
	}
	return a, nil
}

// onStack reports whether addr is in the current goroutine's stack.
func (d *Debugger) onStack(addr uint64) bool {
	r, err := d.goReader()
	if err != nil || addr == 0 {
		return false
	}
	g, err := d.curGoroutine(r)
	return err == nil && g.StackLo <= addr && addr < g.StackHi
}

// floatOf is a float argument's value: a float, or an untyped integer
// constant.
func floatOf(v *values.Value, typed bool) (float64, bool) {
	switch v.Kind {
	case reflect.Float32, reflect.Float64:
		return v.Float, true
	case reflect.Int, reflect.Int8, reflect.Int16, reflect.Int32, reflect.Int64:
		return float64(v.Int), !typed
	case reflect.Uint, reflect.Uint8, reflect.Uint16, reflect.Uint32, reflect.Uint64:
		return float64(v.Uint), !typed
	}
	return 0, false
}
