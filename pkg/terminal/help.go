package terminal

import (
	"fmt"
	"strings"
)

var helpCmd = &command{
	names: []string{"help", "h"},
	group: "session",
	usage: "help [command]",
	help:  "Lists the commands, or explains one.",
}

func init() { helpCmd.run = runHelp }

func runHelp(t *Term, args string) error {
	if args != "" {
		c, err := t.cmds.find(args)
		if err != nil {
			return err
		}
		t.printf("%s\n\n%s\n", c.usage, c.help)
		if len(c.names) > 1 {
			t.printf("\nAliases: %s\n", strings.Join(c.names[1:], ", "))
		}
		return nil
	}
	groups := []string{"running", "breakpoints", "threads", "goroutines", "stack", "data", "source", "session"}
	for _, g := range groups {
		t.printf("%s:\n", strings.ToUpper(g[:1])+g[1:])
		for _, c := range t.cmds.list {
			if c.group != g {
				continue
			}
			name := c.names[0]
			if len(c.names) > 1 {
				name += " (" + strings.Join(c.names[1:], ", ") + ")"
			}
			first, _, _ := strings.Cut(c.help, "\n")
			t.printf("    %-22s %s\n", name, first)
		}
	}
	fmt.Fprintln(t.out, "Type help <command> for more.")
	return nil
}
