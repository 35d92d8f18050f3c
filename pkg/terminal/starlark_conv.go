package terminal

import (
	"fmt"
	"reflect"
	"sort"

	"go.starlark.net/starlark"
	"go.starlark.net/starlarkstruct"
)

// toStarlark converts an api value to Starlark as Delve's scripts see it:
// structs with their Go field names, slices as lists, maps as dicts.
func toStarlark(x any) starlark.Value {
	if x == nil {
		return starlark.None
	}
	return reflectToStarlark(reflect.ValueOf(x))
}

func reflectToStarlark(v reflect.Value) starlark.Value {
	switch v.Kind() {
	case reflect.Pointer, reflect.Interface:
		if v.IsNil() {
			return starlark.None
		}
		return reflectToStarlark(v.Elem())
	case reflect.Struct:
		d := starlark.StringDict{}
		for i := 0; i < v.NumField(); i++ {
			if f := v.Type().Field(i); f.IsExported() {
				d[f.Name] = reflectToStarlark(v.Field(i))
			}
		}
		return starlarkstruct.FromStringDict(starlark.String(v.Type().Name()), d)
	case reflect.Slice, reflect.Array:
		if v.Kind() == reflect.Slice && v.Type().Elem().Kind() == reflect.Uint8 {
			return starlark.Bytes(v.Bytes())
		}
		l := make([]starlark.Value, v.Len())
		for i := range l {
			l[i] = reflectToStarlark(v.Index(i))
		}
		return starlark.NewList(l)
	case reflect.Map:
		d := starlark.NewDict(v.Len())
		keys := v.MapKeys()
		sort.Slice(keys, func(i, j int) bool { return fmt.Sprint(keys[i]) < fmt.Sprint(keys[j]) })
		for _, k := range keys {
			d.SetKey(reflectToStarlark(k), reflectToStarlark(v.MapIndex(k)))
		}
		return d
	case reflect.String:
		return starlark.String(v.String())
	case reflect.Bool:
		return starlark.Bool(v.Bool())
	case reflect.Int, reflect.Int8, reflect.Int16, reflect.Int32, reflect.Int64:
		return starlark.MakeInt64(v.Int())
	case reflect.Uint, reflect.Uint8, reflect.Uint16, reflect.Uint32, reflect.Uint64, reflect.Uintptr:
		return starlark.MakeUint64(v.Uint())
	case reflect.Float32, reflect.Float64:
		return starlark.Float(v.Float())
	}
	return starlark.String(fmt.Sprint(v.Interface()))
}

// field reads a field of a Starlark struct or a key of a dict (Delve's
// scripts pass either), reporting whether it was there.
func field(v starlark.Value, name string) (starlark.Value, bool) {
	switch x := v.(type) {
	case *starlarkstruct.Struct:
		f, err := x.Attr(name)
		return f, err == nil && f != nil
	case *starlark.Dict:
		f, ok, _ := x.Get(starlark.String(name))
		return f, ok
	}
	return nil, false
}

// intField is field as an int; def when absent or not an int.
func intField(v starlark.Value, name string, def int) int {
	f, ok := field(v, name)
	if !ok {
		return def
	}
	if n, err := starlark.AsInt32(f); err == nil {
		return n
	}
	return def
}

// stringField is field as a string; "" when absent.
func stringField(v starlark.Value, name string) string {
	f, _ := field(v, name)
	s, _ := starlark.AsString(f)
	return s
}
