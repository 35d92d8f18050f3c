package locspec

import (
	"errors"
	"testing"
)

func TestParse(t *testing.T) {
	tests := []struct {
		in   string
		want Spec // Raw and Regex are not compared
		err  string
	}{
		{in: "*0x4010a0", want: Spec{Kind: AddrSpec, Addr: 0x4010a0}},
		{in: "*4096", want: Spec{Kind: AddrSpec, Addr: 4096}},
		{in: "main.foo", want: Spec{Kind: FuncSpec, Func: "main.foo"}},
		{in: "github.com/x/pkg.Func", want: Spec{Kind: FuncSpec, Func: "github.com/x/pkg.Func"}},
		{in: "(*T).Method", want: Spec{Kind: FuncSpec, Func: "(*T).Method"}},
		{in: "pkg.(*T).Method", want: Spec{Kind: FuncSpec, Func: "pkg.(*T).Method"}},
		{in: "main.go:12", want: Spec{Kind: FileLineSpec, File: "main.go", Line: 12}},
		{in: "path/to/file.go:7", want: Spec{Kind: FileLineSpec, File: "path/to/file.go", Line: 7}},
		{in: "/abs/path/main.c:3", want: Spec{Kind: FileLineSpec, File: "/abs/path/main.c", Line: 3}},
		{in: "main.foo:20", want: Spec{Kind: FuncLineSpec, Func: "main.foo", Line: 20}},
		{in: "main.foo:0", want: Spec{Kind: FuncLineSpec, Func: "main.foo", Line: 0}},
		{in: "+3", want: Spec{Kind: OffsetSpec, Offset: 3}},
		{in: "-2", want: Spec{Kind: OffsetSpec, Offset: -2}},
		{in: "42", want: Spec{Kind: LineSpec, Line: 42}},
		{in: " 42 ", want: Spec{Kind: LineSpec, Line: 42}},
		{in: "/^main\\./", want: Spec{Kind: RegexSpec}},
		{in: "", err: `bad location "": empty location`},
		{in: "foo:bar", err: `bad location "foo:bar": line must be a number`},
		{in: "main.go:", err: `bad location "main.go:": line must be a number`},
		{in: "main.go:0", err: `bad location "main.go:0": line must be at least 1`},
		{in: "main.go", err: `bad location "main.go": missing line number; use main.go:NN`},
		{in: "*0xzz", err: `bad location "*0xzz": address must be a number like *0x4010a0`},
		{in: "+x", err: `bad location "+x": offset must be a number like +2 or -3`},
		{in: "/a(/", err: "bad location \"/a(/\": invalid regexp: error parsing regexp: missing closing ): `a(`"},
		{in: ":3", err: `bad location ":3": missing file or function before ':'`},
		{in: "main foo", err: `bad location "main foo": function names cannot contain spaces`},
		{in: "main foo:3", err: `bad location "main foo:3": function names cannot contain spaces`},
		{in: "is sue239.go:17", want: Spec{Kind: FileLineSpec, File: "is sue239.go", Line: 17}},
	}
	for _, tt := range tests {
		got, err := Parse(tt.in)
		if tt.err != "" {
			if err == nil || err.Error() != tt.err || !errors.Is(err, ErrBadSpec) {
				t.Errorf("Parse(%q) error = %v; want %s", tt.in, err, tt.err)
			}
			continue
		}
		if err != nil {
			t.Errorf("Parse(%q): %v", tt.in, err)
			continue
		}
		if got.Raw != tt.in || (got.Kind == RegexSpec) != (got.Regex != nil) {
			t.Errorf("Parse(%q) Raw = %q, Regex = %v", tt.in, got.Raw, got.Regex)
		}
		got.Raw, got.Regex = "", nil
		if got != tt.want {
			t.Errorf("Parse(%q) = %+v; want %+v", tt.in, got, tt.want)
		}
	}
}

func FuzzParse(f *testing.F) {
	for _, s := range []string{"*0x10", "main.foo", "(*T).M", "a/b.go:3", "f:2", "+1", "-1", "7", "/x/", "foo:bar", ""} {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, s string) {
		spec, err := Parse(s)
		if err != nil {
			if !errors.Is(err, ErrBadSpec) {
				t.Fatalf("Parse(%q) error %v does not wrap ErrBadSpec", s, err)
			}
			return
		}
		if spec.Raw != s || spec.Kind < AddrSpec || spec.Kind > RegexSpec {
			t.Fatalf("Parse(%q) = %+v", s, spec)
		}
	})
}
