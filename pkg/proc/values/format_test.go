package values

import (
	"regexp"
	"strings"
	"testing"
)

var hexAddr = regexp.MustCompile(`0x[0-9a-f]{5,}`)

// TestFormat checks the one-line rendering with the default limits;
// heap addresses read as 0xADDR.
func TestFormat(t *testing.T) {
	lv := valfix(t)
	tests := map[string]string{
		"vInt":         `-42`,
		"vUint8":       `200`,
		"vUintptr":     `3735928559`,
		"vComplex64":   `(1 + -2i)`,
		"vNaN":         `NaN`,
		"vStringEsc":   `"tab\there \"quoted\" ünï\x01\\"`,
		"vStringLong":  `"` + strings.Repeat("abcdefghij", 6) + `abcd...+936 more"`,
		"vArrayNest":   `[2][2]int8 [[1,2],[3,4]]`,
		"vSliceCap":    `[]int len: 2, cap: 10, [0,8]`,
		"vSliceNil":    `[]int len: 0, cap: 0, nil`,
		"vSliceEmpty":  `[]int len: 0, cap: 0, []`,
		"vSlicePtr":    `[]*main.T len: 2, cap: 2, [*{A: 1, B: "", C: []int len: 0, cap: 0, nil},nil]`,
		"vSliceIface":  `[]interface {} len: 5, cap: 5, [1,"a",nil,main.Inner {X: 2, Y: ""},2.5]`,
		"vStruct":      `main.T {A: 1, B: "x", C: []int len: 3, cap: 3, [1,2,3]}`,
		"vOuter":       `main.Outer {Inner: main.Inner {X: 7, Y: "in"}, Base: *main.Base {ID: 3}, Z: 2.5, P: *main.T {A: 9, B: "", C: []int len: 0, cap: 0, nil}}`,
		"vEmptyStruct": `struct {} {}`,
		"vPtr":         `*main.T {A: 5, B: "ptr", C: []int len: 0, cap: 0, nil}`,
		"vPtrNil":      `*main.T nil`,
		"vIntPtr":      `*17`,
		"vList":        `*main.Node {V: 1, Next: *main.Node {V: 2, Next: *(*main.Node)(0xADDR)}}`,
		"vUnsafe":      `unsafe.Pointer(0xADDR)`,
		"vUnsafeNl":    `unsafe.Pointer(nil)`,
		"vMapNil":      `map[string]int nil`,
		"vMapEmpty":    `map[int]int []`,
		"vMapNested":   `map[int]map[int]int [1: [2: 3, ], ]`,
		"vAnyNil":      `interface {} nil`,
		"vAnyInt":      `interface {}(int) 5`,
		"vAnyPtr":      `interface {}(*main.T) *{A: 3, B: "", C: []int len: 0, cap: 0, nil}`,
		"vAnyStruct":   `interface {}(main.T) {A: 4, B: "s", C: []int len: 0, cap: 0, nil}`,
		"vAnyNilPtr":   `interface {}(*main.T) nil`,
		"vShape":       `main.Shape(main.Rect) {W: 2, H: 3}`,
		"vShapeNil":    `main.Shape nil`,
		"vErr":         `error(*errors.errorString) *{s: "boom"}`,
		"vErrWrap":     `error(*fmt.wrapError) *{msg: "wrap: boom", err: error(*errors.errorString) *{s: "boom"}}`,
		"vErrNil":      `error nil`,
		"vErrCustom":   `error(*main.myErr) *{code: 7}`,
		"vChan":        `chan int 2/10`,
		"vChanNil":     `chan int nil`,
		"vChanSend":    `chan<- int 2/10`,
		"vChanStruct":  `chan struct {} 1/4`,
		"vFunc":        `main.hot`,
		"vAnyFunc":     `interface {}(func(int) int) main.hot`,
		"vFuncNil":     `nil`,
	}
	for name, want := range tests {
		got := hexAddr.ReplaceAllString(Format(lv.load(t, name, DefaultLoadConfig)), "0xADDR")
		if got != want {
			t.Errorf("%s:\n got %s\nwant %s", name, got, want)
		}
	}
	// Maps print in memory order: check the shape and the entry set.
	got := Format(lv.load(t, "vMap", DefaultLoadConfig))
	if !strings.HasPrefix(got, `map[string]int [`) || len(got) != len(`map[string]int ["one": 1, "two": 2, "three": 3, ]`) ||
		!strings.Contains(got, `"two": 2`) || !strings.Contains(got, `"three": 3`) {
		t.Errorf("vMap: %s", got)
	}
	big := Format(lv.load(t, "vMapBig", DefaultLoadConfig))
	if !strings.HasSuffix(big, ", ...+4936 more]") || strings.Count(big, ": ") != 64 {
		t.Errorf("vMapBig: %s", clip(big))
	}
}

func TestFormatMultiline(t *testing.T) {
	lv := valfix(t)
	tests := map[string]string{
		"vOuter":     "main.Outer {\n\tInner: main.Inner {X: 7, Y: \"in\"},\n\tBase: *main.Base {ID: 3},\n\tZ: 2.5,\n\tP: *main.T {\n\t\tA: 9,\n\t\tB: \"\",\n\t\tC: []int len: 0, cap: 0, nil,\n\t},\n}",
		"vSliceNest": "[][]int len: 3, cap: 3, [\n\t[1],\n\t[2,3],\n\tnil,\n]",
		"vChan":      "chan int 2/10 [7,8]",
		"vErr":       "error(*errors.errorString) *{s: \"boom\"}", // as Delve: short fields stay on one line
		"vMapNested": "map[int]map[int]int [\n\t1: [\n\t\t2: 3,\n\t],\n]",
	}
	for name, want := range tests {
		if got := FormatMultiline(lv.load(t, name, DefaultLoadConfig)); got != want {
			t.Errorf("%s:\n got %s\nwant %s", name, got, want)
		}
	}
}

func TestShortTypeName(t *testing.T) {
	for in, want := range map[string]string{
		"int":                                  "int",
		"main.T":                               "main.T",
		"[]*github.com/a/b.T":                  "[]*b.T",
		"map[github.com/a/b.K]github.com/c.V":  "map[b.K]c.V",
		"func(github.com/a/b.T, int) error":    "func(b.T, int) error",
		"main.G[github.com/a/b.T]":             "main.G[b.T]",
		"chan<- example.com/x/y.Z":             "chan<- y.Z",
		"struct { A github.com/a/b.T; B int }": "struct { A b.T; B int }",
	} {
		if got := ShortTypeName(in); got != want {
			t.Errorf("ShortTypeName(%q) = %q, want %q", in, got, want)
		}
	}
}
