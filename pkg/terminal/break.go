package terminal

import (
	"fmt"
	"strings"
)

const breakUsage = "break [name] <location> [if <condition>]"

var breakCmd = &command{
	names: []string{"break", "b"},
	group: "breakpoints",
	usage: breakUsage,
	help: "Sets a breakpoint. Locations: main.foo, pkg/path.Func, (*T).Method, file.go:12, Func:3, +2/-2\n" +
		"(from the current line), *0x4a1b2c, /regexp/ (every matching function), \"a file with spaces.go:12\"\n" +
		"(a location in double quotes may hold spaces), none for the current line; in a cgo program a C\n" +
		"function as C.cfunc or cfunc (after its prologue, where gdb puts it) and file.c:12.\n" +
		"The condition is a Go expression over the arguments, locals and package variables at the\n" +
		"breakpoint: break main.hot if i == 7 && s != \"\", in print's language (p.X > 3 && len(s) > 1 &&\n" +
		"m[\"k\"] == 2; same result and errors as print). A condition over scalar variables is compiled once\n" +
		"per address; a false one costs only a short stop of the hitting thread; the other threads keep running.\n" +
		"A condition naming no variable visible at the location is refused at once (Delve sets the breakpoint\n" +
		"and reports the error at its first hit); runtime.frame(1).i reads i in the caller, as in Delve.",
	run: func(t *Term, args string) error {
		name, spec, cond, err := parseBreak(args)
		if err != nil {
			return err
		}
		bp, err := t.client.CreateBreakpoint(name, spec, cond)
		if err != nil {
			return err
		}
		for _, l := range bp.Locations {
			t.printf("%s set at %s\n", strings.Trim(bpLabel(bp), "[]"), formatLocation(l))
		}
		if bp.Pending {
			t.printf("%s pending: %s is not in the current program (%s); it will be set when a program or library that has it is loaded\n",
				strings.Trim(bpLabel(bp), "[]"), bp.Spec, bp.PendingReason)
		}
		if bp.Cond != "" {
			t.printf("    if %s\n", bp.Cond)
		}
		return nil
	},
}

// parseBreak splits "[name] <loc> [if <cond>]". A quoted location may
// hold spaces, even " if " ("test if path/main.go:4"); with no location
// ("break", "break if i == 3") the breakpoint goes on the current line.
func parseBreak(args string) (name, spec, cond string, err error) {
	usage := fmt.Errorf("usage: %s", breakUsage)
	args = strings.TrimSpace(args)
	rest := args
	if q := strings.IndexByte(args, '"'); q >= 0 && quotedLoc(args[:q]) { // stepb: quoted location
		e := strings.IndexByte(args[q+1:], '"')
		if e < 0 {
			return "", "", "", usage
		}
		name, spec, rest = strings.TrimSpace(args[:q]), args[q+1:q+1+e], strings.TrimSpace(args[q+2+e:])
		if strings.ContainsAny(name, " \t") || spec == "" || rest != "" && !strings.HasPrefix(rest, "if ") {
			return "", "", "", usage
		}
	}
	if rest == "if" || strings.HasSuffix(rest, " if") {
		return "", "", "", fmt.Errorf("break: empty condition after if; usage: %s", breakUsage)
	}
	if i := strings.Index(" "+rest, " if "); i >= 0 {
		rest, cond = strings.TrimSpace(rest[:max(i-1, 0)]), strings.TrimSpace(rest[i+3:])
		if cond == "" {
			return "", "", "", fmt.Errorf("break: empty condition after if; usage: %s", breakUsage)
		}
	}
	if spec != "" {
		return name, spec, cond, nil
	}
	f := strings.Fields(rest)
	switch len(f) {
	case 0:
		spec = "+0" // the current line, as Delve's break with no location
	case 1:
		spec = f[0]
	case 2:
		name, spec = f[0], f[1]
	default:
		return "", "", "", usage
	}
	return name, spec, cond, nil
}

// quotedLoc reports whether a quote after head starts the location: head
// is empty or one name, not "if" (a quote in a condition is a string).
func quotedLoc(head string) bool {
	head = strings.TrimSpace(head)
	return head == "" || !strings.ContainsAny(head, " \t") && head != "if"
}
