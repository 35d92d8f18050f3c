package ebpf

import (
	"debug/dwarf"
	"slices"
	"testing"

	"github.com/godbg/godbg/pkg/proc/variables"
)

// TestABIResults assigns registers to results DWARF cannot locate: a
// string in RAX and RBX, then an int in RCX; a float is named; a struct
// with padding, or a result listed twice, leaves them unread.
func TestABIResults(t *testing.T) {
	i64 := &dwarf.IntType{BasicType: dwarf.BasicType{CommonType: dwarf.CommonType{ByteSize: 8, Name: "int"}}}
	i32 := &dwarf.IntType{BasicType: dwarf.BasicType{CommonType: dwarf.CommonType{ByteSize: 4, Name: "int32"}}}
	f64 := &dwarf.FloatType{BasicType: dwarf.BasicType{CommonType: dwarf.CommonType{ByteSize: 8, Name: "float64"}}}
	str := &dwarf.StructType{CommonType: dwarf.CommonType{ByteSize: 16}, StructName: "string", Field: []*dwarf.StructField{
		{Name: "str", Type: &dwarf.PtrType{Type: i64}, ByteOffset: 0}, {Name: "len", Type: i64, ByteOffset: 8}}}
	padded := &dwarf.StructType{CommonType: dwarf.CommonType{ByteSize: 16}, StructName: "main.p", Field: []*dwarf.StructField{
		{Name: "a", Type: i32, ByteOffset: 0}, {Name: "b", Type: i64, ByteOffset: 8}}}
	run := func(types ...dwarf.Type) []Value {
		var args []*variables.FrameVar
		var vals []Value
		for i, ty := range types {
			name := string(rune('a' + i))
			args = append(args, &variables.FrameVar{Name: name, Kind: variables.Result, Type: ty})
			vals = append(vals, Value{Name: name, Type: ty, Err: "optimized away", away: true})
		}
		abiResults(args, vals)
		return vals
	}
	v := run(str, f64, i64)
	if !slices.Equal(v[0].Pieces, []Piece{{Reg: 0, Size: 8}, {Reg: 3, Size: 8}}) || v[0].Err != "" ||
		v[1].Err != "float in X0: not readable by an eBPF probe; drop --ebpf to see it" ||
		!slices.Equal(v[2].Pieces, []Piece{{Reg: 2, Size: 8}}) {
		t.Errorf("string, float, int: %+v", v)
	}
	if v := run(i64, padded); v[0].Err == "" || v[1].Err == "" {
		t.Errorf("with a padded struct: %+v", v)
	}
	dup := []*variables.FrameVar{{Name: "n", Kind: variables.Result, Type: i64}, {Name: "n", Kind: variables.Result, Type: i64}}
	dv := []Value{{Name: "n", Type: i64, Err: "optimized away", away: true}, {Name: "n", Type: i64, Err: "optimized away", away: true}}
	if abiResults(dup, dv); dv[0].Err == "" || dv[1].Err == "" {
		t.Errorf("a result listed twice: %+v", dv)
	}
}
