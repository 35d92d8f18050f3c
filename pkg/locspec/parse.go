package locspec

import (
	"errors"
	"fmt"
	"path"
	"regexp"
	"strconv"
	"strings"
)

// Kind says which form a Spec has.
type Kind int

const (
	AddrSpec     Kind = iota // *0xADDR
	FuncSpec                 // main.foo, pkg/path.Func, (*T).M, pkg.(*T).M
	FileLineSpec             // file.go:NN, path/to/file.go:NN
	FuncLineSpec             // Func:NN, NN lines after the function's first (as Delve)
	OffsetSpec               // +N or -N, relative to the current line
	LineSpec                 // NN, a line of the current file
	RegexSpec                // /regexp/, every function matching
)

var kindNames = [...]string{"address", "function", "file:line", "function:line", "offset", "line", "regexp"}

func (k Kind) String() string {
	if k >= 0 && int(k) < len(kindNames) {
		return kindNames[k]
	}
	return "Kind(" + strconv.Itoa(int(k)) + ")"
}

// Spec is a parsed location. Only the fields of its Kind are set.
type Spec struct {
	Kind   Kind
	Addr   uint64         // AddrSpec
	Func   string         // FuncSpec, FuncLineSpec
	File   string         // FileLineSpec
	Line   int            // FileLineSpec, FuncLineSpec, LineSpec
	Offset int            // OffsetSpec
	Regex  *regexp.Regexp // RegexSpec
	Raw    string         // the text parsed
}

// ErrBadSpec is wrapped by every parse error.
var ErrBadSpec = errors.New("bad location")

// SpecError reports a location that cannot be parsed.
type SpecError struct {
	Raw    string
	Reason string
}

func (e *SpecError) Error() string { return fmt.Sprintf("bad location %q: %s", e.Raw, e.Reason) }

func (e *SpecError) Unwrap() error { return ErrBadSpec }

// sourceExts are the file extensions that make "x.ext:NN" a file:line.
var sourceExts = map[string]bool{".go": true, ".c": true, ".h": true, ".s": true, ".S": true, ".cc": true, ".cpp": true}

// Parse parses a location spec. Errors wrap ErrBadSpec.
func Parse(s string) (Spec, error) {
	raw := s
	s = strings.TrimSpace(s)
	bad := func(reason string) (Spec, error) { return Spec{}, &SpecError{Raw: raw, Reason: reason} }
	switch {
	case s == "":
		return bad("empty location")
	case s[0] == '*':
		addr, err := strconv.ParseUint(s[1:], 0, 64)
		if err != nil {
			return bad("address must be a number like *0x4010a0")
		}
		return Spec{Kind: AddrSpec, Addr: addr, Raw: raw}, nil
	case len(s) >= 2 && s[0] == '/' && s[len(s)-1] == '/':
		re, err := regexp.Compile(s[1 : len(s)-1])
		if err != nil {
			return bad("invalid regexp: " + err.Error())
		}
		return Spec{Kind: RegexSpec, Regex: re, Raw: raw}, nil
	case s[0] == '+' || s[0] == '-':
		n, err := strconv.Atoi(s[1:])
		if err != nil || n < 0 {
			return bad("offset must be a number like +2 or -3")
		}
		if s[0] == '-' {
			n = -n
		}
		return Spec{Kind: OffsetSpec, Offset: n, Raw: raw}, nil
	case isDigits(s):
		return parseLineNumber(raw, s, Spec{Kind: LineSpec, Raw: raw})
	}
	if i := strings.LastIndexByte(s, ':'); i >= 0 {
		return parseWithLine(raw, s[:i], s[i+1:])
	}
	if isSourceFile(s) {
		return bad("missing line number; use " + s + ":NN")
	}
	if strings.ContainsAny(s, " \t") {
		return bad("function names cannot contain spaces")
	}
	return Spec{Kind: FuncSpec, Func: s, Raw: raw}, nil
}

// parseWithLine parses "file:NN" and "Func:NN".
func parseWithLine(raw, left, right string) (Spec, error) {
	switch {
	case left == "":
		return Spec{}, &SpecError{Raw: raw, Reason: "missing file or function before ':'"}
	case strings.ContainsAny(left, " \t") && !isSourceFile(left): // a file name may hold spaces (Delve's "is sue239.go")
		return Spec{}, &SpecError{Raw: raw, Reason: "function names cannot contain spaces"}
	case isSourceFile(left):
		return parseLineNumber(raw, right, Spec{Kind: FileLineSpec, File: left, Raw: raw})
	}
	return parseLineNumber(raw, right, Spec{Kind: FuncLineSpec, Func: left, Raw: raw})
}

func parseLineNumber(raw, s string, spec Spec) (Spec, error) {
	n, err := strconv.Atoi(s)
	if err != nil || !isDigits(s) {
		return Spec{}, &SpecError{Raw: raw, Reason: "line must be a number"}
	}
	if n < 0 || n == 0 && spec.Kind != FuncLineSpec {
		return Spec{}, &SpecError{Raw: raw, Reason: "line must be at least 1"}
	}
	spec.Line = n
	return spec, nil
}

func isSourceFile(s string) bool { return sourceExts[path.Ext(s)] }

func isDigits(s string) bool {
	if s == "" {
		return false
	}
	for _, c := range s {
		if c < '0' || c > '9' {
			return false
		}
	}
	return true
}
