package values

import (
	"encoding/binary"
	"errors"
	"fmt"
	"strconv"
	"strings"
	"testing"
)

// TestFixtureFacts checks what %#v does not show: function names,
// channel lengths and buffered items, error messages.
func TestFixtureFacts(t *testing.T) {
	lv := valfix(t)
	for name, want := range lv.fns {
		v := lv.load(t, name, DefaultLoadConfig)
		got := v.Str
		if v.Base == 0 {
			got = "nil"
		}
		if got != want {
			t.Errorf("%s: function %q, want %q", name, got, want)
		}
	}
	for name, want := range lv.chs {
		v := lv.load(t, name, FullLoadConfig)
		if got := fmt.Sprint(v.Len, v.Cap); got != want[0]+" "+want[1] {
			t.Errorf("%s: len, cap = %s, want %s %s", name, got, want[0], want[1])
		}
		if want[2] == "[]interface {}(nil)" { // directional: the fixture could not peek
			continue
		}
		var items []string
		for _, c := range v.Children {
			items = append(items, goSyntax(c, 1))
		}
		if got := "[]interface {}{" + strings.Join(items, ", ") + "}"; got != want[2] && !(len(items) == 0 && want[2] == "[]interface {}(nil)") {
			t.Errorf("%s: items %s, want %s", name, got, want[2])
		}
	}
	msgs := map[string]string{"vErr": "s", "vErrWrap": "msg"}
	for name, f := range msgs {
		v := lv.load(t, name, DefaultLoadConfig)
		if got := v.Elem().Elem().Field(f); got == nil || got.Str != lv.errs[name] {
			t.Errorf("%s: %s field %v, want %q", name, f, got, lv.errs[name])
		}
	}
}

// TestBigMap reads a 5000-entry map spread over several Swiss tables and
// compares every entry with the fixture's.
func TestBigMap(t *testing.T) {
	lv := valfix(t)
	want := parseIntMap(t, lv.byN["vMapBig"].gosyntax)
	v := lv.load(t, "vMapBig", FullLoadConfig)
	if v.Len != 5000 || v.NumEntries() != 5000 || len(want) != 5000 {
		t.Fatalf("Len %d, %d entries loaded, fixture has %d", v.Len, v.NumEntries(), len(want))
	}
	got := map[int64]int64{}
	for i := range v.NumEntries() {
		k, e := v.Entry(i)
		if _, dup := got[k.Int]; dup {
			t.Errorf("key %d twice", k.Int)
		}
		got[k.Int] = e.Int
	}
	for k, w := range want {
		if g, ok := got[k]; !ok || g != w {
			t.Errorf("key %d: %d (present %v), want %d", k, g, ok, w)
		}
	}
	// The map must really have a directory of several tables.
	hdr := make([]byte, v.ti.mapL.hdrSize)
	if _, err := lv.p.ReadMemory(v.Base, hdr); err != nil {
		t.Fatal(err)
	}
	if dirLen := binary.LittleEndian.Uint64(hdr[v.ti.mapL.dirLenOff:]); dirLen < 4 {
		t.Errorf("vMapBig has a directory of %d tables; the test wants several", dirLen)
	}
	small := lv.load(t, "vMap", FullLoadConfig)
	if binary.LittleEndian.Uint64(readN(t, lv, small.Base+uint64(v.ti.mapL.dirLenOff), 8)) != 0 {
		t.Errorf("vMap is not a small (single group) map")
	}
}

func readN(t *testing.T, lv *live, addr uint64, n int) []byte {
	b := make([]byte, n)
	if _, err := lv.p.ReadMemory(addr, b); err != nil {
		t.Fatal(err)
	}
	return b
}

// parseIntMap parses %#v of a map[int]int.
func parseIntMap(t *testing.T, s string) map[int64]int64 {
	body, ok := strings.CutPrefix(s, "map[int]int{")
	if !ok {
		t.Fatalf("not a map[int]int: %s", clip(s))
	}
	out := map[int64]int64{}
	for _, kv := range strings.Split(strings.TrimSuffix(body, "}"), ", ") {
		k, v, _ := strings.Cut(kv, ":")
		ki, err1 := strconv.ParseInt(k, 10, 64)
		vi, err2 := strconv.ParseInt(v, 10, 64)
		if err1 != nil || err2 != nil {
			t.Fatalf("bad entry %q", kv)
		}
		out[ki] = vi
	}
	return out
}

func TestLimits(t *testing.T) {
	lv := valfix(t)
	cfg := DefaultLoadConfig
	if v := lv.load(t, "vStringLong", cfg); len(v.Str) != 64 || v.Len != 1000 || v.Truncated() != 936 {
		t.Errorf("long string: %d bytes of %d, truncated %d", len(v.Str), v.Len, v.Truncated())
	}
	if v := lv.load(t, "vSliceLong", cfg); len(v.Children) != 64 || v.Truncated() != 136 || v.Children[63].Int != 63 {
		t.Errorf("long slice: %d elements, truncated %d", len(v.Children), v.Truncated())
	}
	if v := lv.load(t, "vArrayLong", cfg); len(v.Children) != 64 || v.Truncated() != 36 || v.Children[10].Uint != 30 {
		t.Errorf("long array: %d elements, truncated %d", len(v.Children), v.Truncated())
	}
	if v := lv.load(t, "vMapBig", cfg); v.NumEntries() != 64 || v.Truncated() != 4936 {
		t.Errorf("big map: %d entries, truncated %d", v.NumEntries(), v.Truncated())
	}
	cfg.MaxStructFields = 1
	if v := lv.load(t, "vStruct", cfg); len(v.Children) != 1 || v.Truncated() != 2 || Format(v) != "main.T {A: 1, ...+2 more}" {
		t.Errorf("struct with 1 field: %s", Format(v))
	}
	cfg = DefaultLoadConfig
	cfg.MaxVariableRecurse = 0
	v := lv.load(t, "vOuter", cfg)
	inner := v.Field("Inner")
	if inner == nil || !inner.Unloaded || !inner.Embedded || v.Field("Z").Embedded {
		t.Fatalf("depth 0: Inner %+v", inner)
	}
	if got := hexAddr.ReplaceAllString(Format(v), "0xADDR"); got != "main.Outer {Inner: (*main.Inner)(0xADDR), Base: *(*main.Base)(0xADDR), Z: 2.5, P: *(*main.T)(0xADDR)}" {
		t.Errorf("depth 0: %s", got)
	}
	lv.l.Expand(lv.p, inner, DefaultLoadConfig)
	if got := Format(inner); got != `main.Inner {X: 7, Y: "in"}` || !inner.Embedded || inner.Name != "Inner" {
		t.Errorf("expanded: %s", got)
	}
	cfg.FollowPointers = false
	// As Delve: a pointer not followed is (*T)(addr); one whose struct the depth cut is *(*T)(addr).
	if got := hexAddr.ReplaceAllString(Format(lv.load(t, "vPtr", cfg)), "0xADDR"); got != "(*main.T)(0xADDR)" {
		t.Errorf("pointer not followed: %s", got)
	}
}

// TestLoadBytes decodes values from bytes, as for variables in registers.
func TestLoadBytes(t *testing.T) {
	lv := valfix(t)
	for _, name := range []string{"vStruct", "vString", "vSlice", "vMap", "vAnyStruct", "vErr", "vFloat32", "vComplex128", "vChan", "vFunc"} {
		addr, typ, err := lv.l.Global("main." + name)
		if err != nil {
			t.Fatal(err)
		}
		b := readN(t, lv, addr, int(typ.Size()))
		want := Format(lv.l.Load(lv.p, name, typ, addr, DefaultLoadConfig))
		v := lv.l.LoadBytes(lv.p, name, typ, b, DefaultLoadConfig)
		if got := Format(v); got != want || v.Addr != 0 {
			t.Errorf("%s from bytes: %s (addr %#x), want %s", name, got, v.Addr, want)
		}
	}
}

// TestUnreadable feeds headers that point nowhere.
func TestUnreadable(t *testing.T) {
	lv := valfix(t)
	typeOf := func(name string) *Value { return lv.load(t, name, DefaultLoadConfig) }
	le := binary.LittleEndian
	hdr := func(words ...uint64) []byte {
		b := make([]byte, 8*len(words))
		for i, w := range words {
			le.PutUint64(b[8*i:], w)
		}
		return b
	}
	tests := []struct {
		name string
		data []byte
		want string // prefix of Format
	}{
		{"vString", hdr(0x10, 5), "(unreadable "},
		{"vString", hdr(0x10, 1<<63), "(unreadable corrupt"},
		{"vSlice", hdr(0x10, 3, 3), "[]int len: 3, cap: 3, [(unreadable "},
		{"vSlice", hdr(0x10, 4, 3), "(unreadable corrupt"},
		{"vMap", hdr(0x10), "(unreadable "},
		{"vPtr", hdr(0x10), "*(unreadable "},
		{"vChan", hdr(0x10), "(unreadable "},
		{"vFunc", hdr(0x10), "(unreadable "},
		{"vAnyInt", hdr(0x10, 0x10), "interface {}(?) (unreadable no debug information for type (runtime type at 0x10)"},
		{"vErr", hdr(0x10, 0x10), "(unreadable "},
		{"vStruct", hdr(1, 0x10, 2, 0x10, 1, 1), `main.T {A: 1, B: (unreadable `},
	}
	for _, tc := range tests {
		typ := typeOf(tc.name).Type
		v := lv.l.LoadBytes(lv.p, tc.name, typ, tc.data, DefaultLoadConfig)
		if got := Format(v); !strings.HasPrefix(got, tc.want) {
			t.Errorf("%s % x: %s, want prefix %s", tc.name, tc.data, got, tc.want)
		}
	}
	// Whole value at an unmapped address, and too few bytes.
	v := lv.l.Load(lv.p, "x", typeOf("vOuter").Type, 8, DefaultLoadConfig)
	if v.Err == nil || !strings.HasPrefix(Format(v), "(unreadable ") {
		t.Errorf("vOuter at 8: %s", Format(v))
	}
	v = lv.l.LoadBytes(lv.p, "x", typeOf("vStruct").Type, []byte{1, 2}, DefaultLoadConfig)
	if v.Err == nil {
		t.Errorf("vStruct from 2 bytes: %s", Format(v))
	}
}

func TestSetScalar(t *testing.T) {
	lv := valfix(t)
	tests := []struct {
		name string
		x    any
		want string
		err  error
	}{
		{"vInt", int64(99), "99", nil},
		{"vInt8", int64(-100), "-100", nil},
		{"vInt8", int64(300), "", ErrOverflow},
		{"vUint16", uint64(7), "7", nil},
		{"vUint16", int64(-1), "", ErrOverflow},
		{"vFloat32", 2.25, "2.25", nil},
		{"vFloat64", int64(3), "3", nil},
		{"vComplex64", complex(1.5, 2), "(1.5 + 2i)", nil},
		{"vBool", false, "false", nil},
		{"vBool", int64(1), "", ErrNotAssignable},
		{"vString", "x", "", ErrNotAssignable},
		{"vPtrNil", uint64(0), "*main.T nil", nil},
	}
	for _, tc := range tests {
		v := lv.load(t, tc.name, DefaultLoadConfig)
		orig := readN(t, lv, v.Addr, int(v.Size))
		err := SetScalar(lv.p, v, tc.x)
		if tc.err != nil {
			if !errors.Is(err, tc.err) {
				t.Errorf("%s = %v: error %v, want %v", tc.name, tc.x, err, tc.err)
			}
			continue
		}
		if err != nil {
			t.Errorf("%s = %v: %v", tc.name, tc.x, err)
			continue
		}
		again := lv.load(t, tc.name, DefaultLoadConfig)
		if Format(v) != tc.want || Format(again) != tc.want {
			t.Errorf("%s = %v: value %s, reloaded %s, want %s", tc.name, tc.x, Format(v), Format(again), tc.want)
		}
		if _, err := lv.p.WriteMemory(v.Addr, orig); err != nil {
			t.Fatal(err)
		}
	}
	// A pointer set to another variable's address.
	target, _, _ := lv.l.Global("main.captured")
	v := lv.load(t, "vIntPtr", DefaultLoadConfig)
	orig := readN(t, lv, v.Addr, 8)
	defer lv.p.WriteMemory(v.Addr, orig)
	if err := SetScalar(lv.p, v, target); err != nil {
		t.Fatal(err)
	}
	if got := Format(lv.load(t, "vIntPtr", DefaultLoadConfig)); got != "*17" {
		t.Errorf("vIntPtr after set: %s", got)
	}
	b := lv.l.LoadBytes(lv.p, "r", v.Type, orig, DefaultLoadConfig)
	if err := SetScalar(lv.p, b, uint64(0)); !errors.Is(err, ErrNotAddressable) {
		t.Errorf("register value: %v", err)
	}
}
