package terminal

import (
	"fmt"
	"strconv"
	"strings"
)

const conditionUsage = "condition <id|name> <expr> | condition -hitcount <id|name> <op> <n> | condition -per-g-hitcount <id|name> <op> <n> | condition -clear <id|name>"

var conditionCmd = &command{
	names: []string{"condition", "cond"},
	group: "breakpoints",
	usage: conditionUsage,
	help: "Sets a breakpoint's condition (any expression print accepts, with print's result and errors: p.X > 3,\n" +
		"len(s) > 1, m[\"k\"] == 2), or with -hitcount makes it stop only when its\n" +
		"hit count satisfies <op> <n> (op: == != < <= > >= %), with -per-g-hitcount only when the hitting\n" +
		"goroutine's own hit count does (Go programs), or with -clear removes the condition.\n" +
		"Unlike Delve, a condition naming no variable visible at the breakpoint is refused when it is set\n" +
		"(Delve accepts it and stops with an error at the first hit); the breakpoint keeps its old condition.\n" +
		"runtime.frame(n).x reads x in the n-th caller of the breakpoint's frame, as in Delve.",
	run: func(t *Term, args string) error {
		f := strings.Fields(args)
		switch {
		case len(f) >= 1 && (f[0] == "-hitcount" || f[0] == "-per-g-hitcount"):
			if len(f) != 4 {
				return fmt.Errorf("usage: %s", conditionUsage)
			}
			n, err := strconv.Atoi(f[3])
			if err != nil {
				return fmt.Errorf("hit count %q is not a number", f[3])
			}
			if f[0] == "-per-g-hitcount" {
				_, err = t.client.SetPerGHitCondition(f[1], f[2], n)
			} else {
				_, err = t.client.SetHitCondition(f[1], f[2], n)
			}
			return err
		case len(f) == 2 && f[0] == "-clear":
			_, err := t.client.SetCondition(f[1], "")
			return err
		case len(f) >= 2:
			_, err := t.client.SetCondition(f[0], strings.TrimSpace(strings.TrimPrefix(args, f[0])))
			return err
		}
		return fmt.Errorf("usage: %s", conditionUsage)
	},
}

var toggleCmd = &command{
	names: []string{"toggle"},
	group: "breakpoints",
	usage: "toggle <id|name>",
	help:  "Disables an enabled breakpoint (its int3 is removed) or enables a disabled one.",
	run: func(t *Term, args string) error {
		if args == "" {
			return fmt.Errorf("usage: toggle <id|name> (breakpoints lists them)")
		}
		b, err := t.client.ToggleBreakpoint(args)
		if err != nil {
			return err
		}
		state := "enabled"
		if b.Disabled {
			state = "disabled"
		}
		t.printf("%s %s\n", bpLabel(b), state)
		return nil
	},
}
