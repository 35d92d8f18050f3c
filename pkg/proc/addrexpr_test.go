package proc

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
		return 0, fmt.Errorf("unknown register %s", n)
	},
	Symbol: func(n string) (uint64, error) {
		if n == "main.main" {
			return 0x401000, nil
		}
		return 0, fmt.Errorf("unknown symbol %s", n)
	},
}

func TestEvalAddr(t *testing.T) {
	tests := []struct {
		in   string
		want uint64
		err  bool
	}{
		{"0x10", 0x10, false},
		{"16", 16, false},
		{"$rsp+8", 0x1008, false},
		{"$rsp - 0x10", 0xff0, false},
		{"main.main+4", 0x401004, false},
		{"(1+2)*3", 9, false},
		{"1<<12", 4096, false},
		{"", 0, true},
		{"$nope", 0, true},
		{"\"str\"", 0, true},
		{"1/0", 0, true},
		{"foo(", 0, true},
		{"1.5", 0, true},
	}
	for _, tc := range tests {
		got, err := EvalAddr(tc.in, testEnv)
		if (err != nil) != tc.err || (!tc.err && got != tc.want) {
			t.Errorf("EvalAddr(%q) = %#x, %v; want %#x, err=%v", tc.in, got, err, tc.want, tc.err)
		}
	}
	if _, err := EvalAddr("1.5", testEnv); !errors.Is(err, ErrBadExpr) {
		t.Errorf("error does not wrap ErrBadExpr: %v", err)
	}
}

func TestMemoryLHS(t *testing.T) {
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
		a, s, err := MemoryLHS(tc.in)
		if (err != nil) != tc.err || a != tc.addr || s != tc.size {
			t.Errorf("MemoryLHS(%q) = %q, %d, %v", tc.in, a, s, err)
		}
	}
}

func FuzzEvalAddr(f *testing.F) {
	for _, s := range []string{"0x10", "$rsp+8", "main.main", "(1+2)*3", "*(*uint64)(1)", "1<<70"} {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, s string) {
		EvalAddr(s, testEnv)
		MemoryLHS(s)
	})
}
