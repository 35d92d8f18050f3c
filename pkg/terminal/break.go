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
		"(a location in double quotes may hold spaces); in a cgo program a C\n" +
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

// parseBreak splits "[name] <loc> [if <cond>]".
func parseBreak(args string) (name, spec, cond string, err error) {
	if i := strings.Index(args, " if "); i >= 0 {
		args, cond = strings.TrimSpace(args[:i]), strings.TrimSpace(args[i+4:])
		if cond == "" {
			return "", "", "", fmt.Errorf("break: empty condition after if; usage: %s", breakUsage)
		}
	}
	if q := strings.IndexByte(args, '"'); q >= 0 && len(args) > q+1 && strings.HasSuffix(args, `"`) {
		// stepb: a quoted location may hold spaces ("is sue239.go:17").
		name, spec = strings.TrimSpace(args[:q]), args[q+1:len(args)-1]
		if strings.ContainsAny(name, " \t") || spec == "" || strings.Contains(spec, `"`) {
			return "", "", "", fmt.Errorf("usage: %s", breakUsage)
		}
		return name, spec, cond, nil
	}
	f := strings.Fields(args)
	switch len(f) {
	case 1:
		spec = f[0]
	case 2:
		name, spec = f[0], f[1]
	default:
		return "", "", "", fmt.Errorf("usage: %s", breakUsage)
	}
	return name, spec, cond, nil
}
