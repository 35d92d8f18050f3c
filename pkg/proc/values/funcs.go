package values

import (
	"debug/dwarf"
	"fmt"
	"reflect"
	"strings"
)

// Function values: a function of the program named in an expression
// ("afunc", "main.afunc2") or a method value ("s.Error"), shown as Delve
// does, by name, with a type spelled from the function's DWARF parameters
// ("func() string"; a method's receiver is not a parameter of the
// value).

// Function returns the function name ("main.afunc",
// "main.(*astruct).Error") as a func value; method drops the first
// parameter (the receiver) from its type. ErrNoVariable if the program
// has no such function.
func (l *Loader) Function(name string, method bool) (*Value, error) {
	idx, err := l.img.index()
	if err != nil {
		return nil, err
	}
	off, ok := idx.funcs[name]
	if !ok {
		return nil, fmt.Errorf("%w %s", ErrNoVariable, name)
	}
	l.img.mu.Lock()
	defer l.img.mu.Unlock()
	r := l.img.d.Reader()
	r.Seek(off)
	fn, err := r.Next()
	if err != nil || fn == nil {
		return nil, fmt.Errorf("%w %s", ErrNoVariable, name)
	}
	pc, _ := fn.Val(dwarf.AttrLowpc).(uint64)
	var params, results []string
	for fn.Children {
		e, err := r.Next()
		if err != nil || e == nil || e.Tag == 0 {
			break
		}
		if e.Children {
			r.SkipChildren()
		}
		if e.Tag != dwarf.TagFormalParameter {
			continue
		}
		tn := "?"
		if toff, ok := e.Val(dwarf.AttrType).(dwarf.Offset); ok {
			if t, err := l.img.d.Type(toff); err == nil {
				tn = TypeName(t)
			}
		}
		if isResult, _ := e.Val(dwarf.AttrVarParam).(bool); isResult {
			results = append(results, tn)
		} else {
			params = append(params, tn)
		}
	}
	if method && len(params) > 0 {
		params = params[1:]
	}
	tname := "func(" + strings.Join(params, ", ") + ")"
	switch len(results) {
	case 0:
	case 1:
		tname += " " + results[0]
	default:
		tname += " (" + strings.Join(results, ", ") + ")"
	}
	t := &dwarf.FuncType{CommonType: dwarf.CommonType{ByteSize: 8, Name: tname}}
	return &Value{Name: name, Type: t, TypeName: tname, Kind: reflect.Func, Size: 8, Base: pc + l.bias, Str: name}, nil
}
