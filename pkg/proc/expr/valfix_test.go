package expr

import (
	"errors"
	"testing"

	"github.com/godbg/godbg/pkg/proc/values"
	"github.com/godbg/godbg/pkg/symbols"
)

// TestPackageVarsLive evaluates expressions over valfix's package
// variables of every kind (maps with keys of several kinds, interfaces,
// embedded fields, long slices and strings read past the probe limits),
// stopped in main.stop.
func TestPackageVarsLive(t *testing.T) {
	cases := []struct{ expr, want string }{
		{"vMapIface[1]", `interface {}(string) "one"`}, {`vMapIface["two"]`, "interface {}(int) 2"},
		{"vMapFloat[1.5]", `"x"`}, {"vMapFloat[-2]", `"y"`}, {"vMapBig[35]", "22"}, {"len(vMapBig)", "5000"},
		{`vMapStrBig["key-0042"]`, `"vv"`}, {`vMapPtr["a"].A`, "1"}, {`vNamedMap["k"][0]`, "1"},
		{"vMapNested[1][2]", "3"}, {"vMapDel[3]", `"3"`}, {`len(vMapNil)`, "0"},
		{"vSliceLong[150]", "150"}, {"vArrayLong[99]", "297"}, {"vStringLong[995:]", `"fghij"`},
		{"len(vStringLong)", "1000"}, {"vStringEsc[0:3]", `"tab"`},
		{"vOuter.X", "7"}, {"vOuter.ID", "3"}, {"vOuter.P.A", "9"}, {"vOuter.Inner.Y", `"in"`},
		{"vShape.W", "2"}, {"vShapePtr.H", "5"}, {"vErr.s", `"boom"`}, {"vAnyStruct.B", `"s"`},
		{"vList.Next.Next.V", "3"}, {"*vIntPtr", "17"}, {"(*vPtrPtr).B", `"ptr"`}, {"(**vPtrPtr).A", "5"},
		{"vGeneric.List[0]", "6"}, {"len(vChan)", "2"}, {"cap(vChan)", "10"}, {"vColor + 1", "4"},
		{"vBytes[6]", "255"}, {"vBytes[5]", "0"}, {"vRune", "233"}, {"vUintptr", "3735928559"}, {"vFloat32 * 2", "3"},
		{"vComplex128 * 2", "(6.5 + 9i)"}, {"vNaN == vNaN", "false"}, {"vIntMin - 1", "9223372036854775807"},
		{"vUint64 + 1", "0"}, {"vInt8 * 20", "96"}, {"vCelsius > 36", "true"},
		{"vSliceNil == nil", "true"}, {"vSliceEmpty == nil", "false"}, {"vMapNil == nil", "true"},
		{"vAnyNil == nil", "true"}, {"vErrNil == nil", "true"}, {"vFuncNil == nil", "true"}, {"vChanNil == nil", "true"},
		{"vArrayNest[1][0]", "3"}, {"vSlicePtr[0].A", "1"}, {"vSliceNest[1][1]", "3"},
		{"vSliceStr[1] + vSliceStr[0]", `"yx"`}, {`vNamedStr + "!"`, `"named!"`}, {"vNamedSlice[1]", "5"},
		{"vNamedArray[1]", `"g2"`}, {"vStruct.C[2]", "3"}, {"vAnon.B", `"anon"`},
		{`"main".vInt`, "-42"}, {"main.vInt * -1", "42"}, {"len(os.Args)", "1"},
	}
	errs := []struct {
		expr string
		is   error
	}{
		{"vMapDel[2]", ErrNoKey}, {"vSlicePtr[1].A", ErrNilDeref}, {`vMapIface[2.5]`, ErrNoKey},
		{"vMapStruct[1]", ErrTypeMismatch}, {"vShapeNil.W", ErrNilDeref}, {"vArrayEmpty[0]", ErrOutOfRange},
		{"vMapBig[1.5]", ErrTypeMismatch}, {"vNamedStr + vString", ErrTypeMismatch},
	}
	whatis := map[string]string{
		`vNamedStr + "!"`: "main.Name", "vMapIface[1]": "interface {}", "vOuter.Inner": "main.Inner",
		"&vOuter": "*main.Outer", "vGeneric.List": "[]int", "vArrayLong[1:3]": "[]uint16",
	}
	stopped := false
	breaks := func(tab *symbols.Table) map[string]uint64 {
		fn, err := tab.LookupFunc("main.stop")
		if err != nil {
			t.Fatal(err)
		}
		return map[string]uint64{"stop": tab.FirstStmtPC(fn)}
	}
	runFixture(t, "valfix", nil, breaks, false, func(s *stop) {
		stopped = true
		for _, c := range cases {
			v, err := Eval(s.scope, c.expr, values.DefaultLoadConfig)
			if err != nil {
				t.Errorf("print %s: %v", c.expr, err)
				continue
			}
			if got := values.Format(v); got != c.want {
				t.Errorf("print %s = %s, want %s", c.expr, got, c.want)
			}
		}
		for _, c := range errs {
			if v, err := Eval(s.scope, c.expr, values.DefaultLoadConfig); !errors.Is(err, c.is) {
				t.Errorf("print %s = %v, %v; want an error wrapping %v", c.expr, v, err, c.is)
			}
		}
		for expr, want := range whatis {
			if got, err := WhatIs(s.scope, expr); err != nil || got != want {
				t.Errorf("whatis %s = %q, %v; want %q", expr, got, err, want)
			}
		}
		if f := s.scope.Frame(); f == nil || f.Func() != "main.stop" || len(f.Vars()) != 0 {
			t.Errorf("frame of main.stop: %v", f)
		}
	})
	if !stopped {
		t.Fatal("valfix never stopped in main.stop")
	}
}
