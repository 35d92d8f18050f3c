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
		"with ==. -v prints on several lines with more of the value; %x %d %o %b %c %q format an integer.",
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

// printFormat is one fmt verb for an integer, with flags and width (qa).
var printFormat = regexp.MustCompile(`^%[-+# 0]*[0-9]*[bcdoOqvxXU]$`)

// checkFormat refuses a %fmt that is not one integer verb: fmt would print
// %!z(int64=16) or %!s(MISSING) instead of the value.
func checkFormat(format string) error {
	if format == "" || printFormat.MatchString(format) {
		return nil
	}
	return fmt.Errorf("bad format %q: give one integer verb, such as %%x, %%d, %%o, %%b, %%c, %%q or %%08x", format)
}

// formatVariable applies a %fmt to an integer; other values print as they are.
func formatVariable(v *api.Variable, format string) string {
	if format == "" || v.Err != "" {
		return v.Value
	}
	n, err := strconv.ParseInt(v.Value, 0, 64)
	if err != nil {
		u, uerr := strconv.ParseUint(v.Value, 0, 64)
		if uerr != nil {
			return v.Value
		}
		return fmt.Sprintf(format, u)
	}
	return fmt.Sprintf(format, n)
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
