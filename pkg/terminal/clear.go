package terminal

import "fmt"

var clearCmd = &command{
	names: []string{"clear"},
	group: "breakpoints",
	usage: "clear <id|name>",
	help:  "Deletes a breakpoint.",
	run: func(t *Term, args string) error {
		if args == "" {
			return fmt.Errorf("clear needs a breakpoint id or name (breakpoints lists them)")
		}
		b, err := t.client.ClearBreakpoint(args)
		if err != nil {
			return err
		}
		t.printf("%s cleared at %s\n", bpLabel(b), b.Spec)
		return nil
	},
}

var clearallCmd = &command{
	names: []string{"clearall"},
	group: "breakpoints",
	usage: "clearall [location]",
	help:  "Deletes every breakpoint, or those at a location.",
	run: func(t *Term, args string) error {
		n, err := t.client.ClearAllBreakpoints(args)
		if err != nil {
			return err
		}
		t.printf("Cleared %d breakpoints\n", n)
		return nil
	},
}
