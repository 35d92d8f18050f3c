package expr

import (
	"errors"
	"fmt"
	"testing"
)

var testEnv = AddrEnv{
	Register: func(n string) (uint64, error) {
		if n == "rsp" {
			return 0x1000, nil
		}
		return 0, fmt.Errorf("unknown register $%s; regs -a lists them", n)
	},
	Symbol: func(n string) (uint64, error) {
		if n == "main.main" {
			return 0x401000, nil
		}
		return 0, fmt.Errorf("unknown symbol %s", n)
	},
}

// Address expressions without a frame: numbers, $registers, symbols.
func TestEvalAddressWithoutFrame(t *testing.T) {
	tests := []struct {
		in   string
		want uint64
		err  error
	}{
		{"0x10", 0x10, nil},
		{"16", 16, nil},
		{"$rsp+8", 0x1008, nil},
		{"$rsp - 0x10", 0xff0, nil},
		{"main.main+4", 0x401004, nil},
		{"(1+2)*3", 9, nil},
		{"1<<12", 4096, nil},
		{"-8", 0xfffffffffffffff8, nil},
		{"", 0, ErrSyntax},
		{"$nope", 0, nil},
		{`"str"`, 0, ErrTypeMismatch},
		{"1/0", 0, nil},
		{"foo(", 0, ErrSyntax},
		{"1.5", 0, ErrTypeMismatch},
		{"1<<70", 0, ErrOverflow},
		{"nosuch", 0, ErrNotFound},
		{"*(*uint64)(1)", 0, nil},
	}
	for _, tc := range tests {
		got, err := EvalAddress(nil, tc.in, testEnv)
		wantErr := tc.err != nil || tc.want == 0
		if (err != nil) != wantErr || (!wantErr && got != tc.want) || (tc.err != nil && !errors.Is(err, tc.err)) {
			t.Errorf("EvalAddress(%q) = %#x, %v; want %#x, %v", tc.in, got, err, tc.want, tc.err)
		}
	}
}

func TestMemoryTarget(t *testing.T) {
	tests := []struct {
		in   string
		addr string
		size int
		err  bool
	}{
		{"*(*uint64)(0x1000)", "0x1000", 8, false},
		{"*(*uint8)($rsp+8)", "$rsp+8", 1, false},
		{"*(*int32)(0x10)", "0x10", 4, false},
		{"*(*float64)(0x10)", "", 0, true},
		{"x", "", 0, true},
		{"*(*uint64)0x10", "", 0, true},
	}
	for _, tc := range tests {
		a, s, err := MemoryTarget(tc.in)
		if (err != nil) != tc.err || a != tc.addr || s != tc.size {
			t.Errorf("MemoryTarget(%q) = %q, %d, %v", tc.in, a, s, err)
		}
	}
}

func FuzzEvalAddress(f *testing.F) {
	for _, s := range []string{"0x10", "$rsp+8", "main.main", "(1+2)*3", "*(*uint64)(1)", "1<<70", "-(-(1))"} {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, s string) {
		EvalAddress(nil, s, testEnv)
		MemoryTarget(s)
	})
}
