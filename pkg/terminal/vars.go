package terminal

import (
	"fmt"
	"regexp"
	"strconv"
	"strings"

	"github.com/godbg/godbg/service/api"
)

var printCmd = &command{
	names: []string{"print", "p"},
	group: "data",
	usage: "print [-v] [%fmt] <expression>",
	help: "Evaluates a Go expression in the current frame and prints its value: variables (locals,\n" +
		"arguments, package variables and constants, functions), fields, methods, indexing (maps too,\n" +
		"m[main.T{1, 2}]), slicing, len cap real imag complex min max, *p, &x, x.(T), == on structs and\n" +
		"interfaces, arithmetic, conversions (string(b), []byte(s), (*main.T)(0xc000010000),\n" +
		"*(*[4]byte)(addr)). The same language serves break ... if, condition, set and x. Values print as\n" +
		"Delve's (64 elements, 64 string bytes); unlike Delve, errors use Go's words and channels compare\n" +
		"with ==. -v prints on several lines with more of the value. A %fmt verb (%x %#x %d %o %b %c %q %e %f %g %s\n" +
		"%t, with flags and width) formats a number, bool or string with Go's fmt as Delve does (%s prints a\n" +
		"string unquoted), and each element of a slice or array of them.",
	run: func(t *Term, args string) error {
		cfg, format, expr := parsePrintArgs(args)
		cfg = t.limits(cfg) // flow: config max-*
		if expr == "" {
			return fmt.Errorf("usage: print [-v] [%%fmt] <expression>")
		}
		if err := checkFormat(format); err != nil {
			return err
		}
		v, err := t.client.Eval(expr, cfg)
		if err != nil {
			return err
		}
		t.printf("%s\n", formatVariable(v, format))
		return nil
	},
}

func parsePrintArgs(args string) (api.LoadConfig, string, string) {
	var cfg api.LoadConfig
	format := ""
	for {
		args = strings.TrimSpace(args)
		switch {
		case strings.HasPrefix(args, "-v ") || args == "-v":
			cfg.Multiline, cfg.MaxStringLen, cfg.MaxArrayValues, cfg.MaxDepth = true, 1024, 512, 3
			args = strings.TrimPrefix(args, "-v")
			continue
		case strings.HasPrefix(args, "%"):
			f, rest, _ := strings.Cut(args, " ")
			format, args = f, rest
			continue
		}
		return cfg, format, args
	}
}

// printFormat is one fmt verb, with flags, width and precision (qa).
var printFormat = regexp.MustCompile(`^%[-+# 0]*[0-9]*(\.[0-9]+)?[bcdoOqvxXUeEfFgGst]$`)

// checkFormat refuses a %fmt that is not one verb: fmt would print
// %!z(int64=16) or %!s(MISSING) instead of the value.
func checkFormat(format string) error {
	if format == "" || printFormat.MatchString(format) {
		return nil
	}
	return fmt.Errorf("bad format %q: give one verb, such as %%x, %%d, %%o, %%b, %%c, %%q, %%08x, %%e, %%.3f, %%s or %%t", format)
}

// formatVariable applies a %fmt verb as Delve does: Go's fmt over the
// value of a number (int64, uint64, float64 or complex128), bool or
// string (its contents, so %s prints them unquoted), and over each
// element of a slice or array of those; other values print as they are.
func formatVariable(v *api.Variable, format string) string {
	if format == "" || v.Err != "" {
		return v.Value
	}
	if s, ok := formatScalar(v, format); ok {
		return s
	}
	if (v.Kind != "slice" && v.Kind != "array") || len(v.Children) == 0 {
		return v.Value
	}
	open := strings.Index(v.Value, " [")
	if open < 0 {
		return v.Value
	}
	elems := make([]string, 0, len(v.Children)+1)
	for i := range v.Children {
		s, ok := formatScalar(&v.Children[i], format)
		if !ok {
			return v.Value
		}
		elems = append(elems, s)
	}
	if v.More > 0 {
		elems = append(elems, fmt.Sprintf("...+%d more", v.More))
	}
	return v.Value[:open+1] + "[" + strings.Join(elems, ",") + "]"
}

// formatScalar formats a number, bool or string with format.
func formatScalar(v *api.Variable, format string) (string, bool) {
	val := v.Value
	if i := strings.LastIndex(val, " ("); i >= 0 && strings.HasSuffix(val, ")") && v.Kind != "string" {
		val = val[i+2 : len(val)-1] // an enum constant: "ByteConst (255)"
	}
	switch {
	case v.Kind == "bool":
		return fmt.Sprintf(format, val == "true"), true
	case strings.HasPrefix(v.Kind, "int"):
		n, err := strconv.ParseInt(val, 0, 64)
		return fmt.Sprintf(format, n), err == nil
	case strings.HasPrefix(v.Kind, "uint"):
		n, err := strconv.ParseUint(val, 0, 64)
		return fmt.Sprintf(format, n), err == nil
	case strings.HasPrefix(v.Kind, "float"):
		f, err := strconv.ParseFloat(val, 64)
		return fmt.Sprintf(format, f), err == nil
	case strings.HasPrefix(v.Kind, "complex"):
		c, err := strconv.ParseComplex(strings.ReplaceAll(val, " ", ""), 128)
		return fmt.Sprintf(format, c), err == nil
	case v.Kind == "string":
		s, err := strconv.Unquote(val)
		return fmt.Sprintf(format, s), err == nil
	case v.Kind == "":
		// An untyped constant result: a number as Go reads it.
		if n, err := strconv.ParseInt(val, 0, 64); err == nil {
			return fmt.Sprintf(format, n), true
		}
		if f, err := strconv.ParseFloat(val, 64); err == nil {
			return fmt.Sprintf(format, f), true
		}
	}
	return "", false
}

var localsCmd = &command{
	names: []string{"locals"},
	group: "data",
	usage: "locals [-v] [regexp]",
	help: "Prints the local variables visible at the current line of the current frame (those matching\n" +
		"the regular expression). A variable shadowed by an inner one is shown in parentheses.",
	run: func(t *Term, args string) error {
		cfg, _, filter := parsePrintArgs(args)
		cfg = t.limits(cfg) // flow: config max-*
		vs, err := t.client.Locals(filter, cfg)
		if err != nil {
			return err
		}
		if len(vs) == 0 {
			t.printf("(no locals)\n")
		}
		printVars(t, vs)
		return nil
	},
}

var argsCmd = &command{
	names: []string{"args"},
	group: "data",
	usage: "args [-v]",
	help:  "Prints the arguments and results of the current frame's function.",
	run: func(t *Term, args string) error {
		cfg, _, rest := parsePrintArgs(args)
		cfg = t.limits(cfg) // flow: config max-*
		if rest != "" {
			return fmt.Errorf("usage: args [-v]")
		}
		vs, err := t.client.Args(cfg)
		if err != nil {
			return err
		}
		if len(vs) == 0 {
			t.printf("(no arguments)\n")
		}
		printVars(t, vs)
		return nil
	},
}

func printVars(t *Term, vs []api.Variable) {
	for _, v := range vs {
		name := v.Name
		if v.Shadowed {
			name = "(" + name + ")"
		}
		if v.Err != "" {
			t.printf("%s = (%s)\n", name, v.Err)
			continue
		}
		t.printf("%s = %s\n", name, v.Value)
	}
}

var whatisCmd = &command{
	names: []string{"whatis"},
	group: "data",
	usage: "whatis <expression>",
	help:  "Prints the type of an expression.",
	run: func(t *Term, args string) error {
		if args == "" {
			return fmt.Errorf("usage: whatis <expression>")
		}
		typ, err := t.client.WhatIs(args)
		if err != nil {
			return err
		}
		t.printf("%s\n", typ)
		if c, err := t.config(); err == nil && c.ShowLocationExpr { // flow: config show-location-expr
			if v, err := t.client.Eval(args, api.LoadConfig{}); err == nil && v.Addr != 0 {
				t.printf("location: %#x\n", v.Addr)
			}
		}
		return nil
	},
}

var displayCmd = &command{
	names: []string{"display"},
	group: "data",
	usage: "display [-a [%fmt] <expression>] [-d <number>]",
	help: "display -a <expression> prints the expression after every stop; display -d N removes\n" +
		"display N; display alone prints them all now.",
	run: func(t *Term, args string) error {
		f := strings.Fields(args)
		switch {
		case len(f) == 0:
			t.showDisplays()
			return nil
		case f[0] == "-a" && len(f) > 1:
			if _, format, _ := parsePrintArgs(strings.TrimPrefix(args, "-a")); checkFormat(format) != nil {
				return checkFormat(format)
			}
			t.displays = append(t.displays, strings.TrimSpace(strings.TrimPrefix(args, "-a")))
			t.showDisplays()
			return nil
		case f[0] == "-d" && len(f) == 2:
			n, err := strconv.Atoi(f[1])
			if err != nil || n < 0 || n >= len(t.displays) {
				return fmt.Errorf("display -d %s: no such display; display lists them", f[1])
			}
			t.displays = append(t.displays[:n], t.displays[n+1:]...)
			return nil
		}
		return fmt.Errorf("usage: display [-a [%%fmt] <expression>] [-d <number>]")
	},
}

// showDisplays prints every display expression (after each stop).
func (t *Term) showDisplays() {
	for i, d := range t.displays {
		cfg, format, expr := parsePrintArgs(d)
		cfg = t.limits(cfg) // flow: config max-*
		v, err := t.client.Eval(expr, cfg)
		if err != nil {
			t.printf("%d: %s = error: %v\n", i, expr, err)
			continue
		}
		t.printf("%d: %s = %s\n", i, expr, formatVariable(v, format))
	}
}

var varsCmd = &command{
	names: []string{"vars"},
	group: "data",
	usage: "vars [-v] [regexp]",
	help:  "Prints the package variables whose full names match the regular expression (main\\. for main's).",
	run: func(t *Term, args string) error {
		cfg, _, filter := parsePrintArgs(args)
		cfg = t.limits(cfg) // flow: config max-*
		vs, err := t.client.PackageVars(filter, cfg)
		if err != nil {
			return err
		}
		if len(vs) == 0 {
			t.printf("(no package variables match)\n")
		}
		printVars(t, vs)
		return nil
	},
}
