package terminal

import (
	"fmt"
	"slices"
	"strings"
)

var helpCmd = &command{
	names: []string{"help", "h"},
	group: "session",
	usage: "help [command]",
	help: "Lists the commands with the first sentence of each one's help, or shows a command's whole help.\n" +
		"Not in Delve: summaries are whole sentences, wrapped, rather than the first line.",
}

func init() { helpCmd.run = runHelp }

// helpGroups orders the groups; a command in a group not named here is
// listed under Other.
var helpGroups = []string{"running", "breakpoints", "threads", "goroutines", "stack", "data", "source", "session"}

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
	for _, g := range append(helpGroups, "") {
		var in []*command
		for _, c := range t.cmds.list {
			if c.group == g || g == "" && !slices.Contains(helpGroups, c.group) {
				in = append(in, c)
			}
		}
		if len(in) == 0 {
			continue
		}
		title := "Other"
		if g != "" {
			title = strings.ToUpper(g[:1]) + g[1:]
		}
		t.printf("%s:\n", title)
		for _, c := range in {
			name := c.names[0]
			if len(c.names) > 1 {
				name += " (" + strings.Join(c.names[1:], ", ") + ")"
			}
			t.printf("    %-22s %s\n", name, wrap(summary(c.help), 100-27, strings.Repeat(" ", 27)))
		}
	}
	fmt.Fprintln(t.out, "Type help <command> for the whole text of one.")
	return nil
}

// summary is the first sentence of a help text, its lines joined: it ends
// at a period followed by a space or the end of a line, except after e.g.,
// i.e. and etc.
func summary(help string) string {
	s := strings.Join(strings.Fields(help), " ")
	for i := 0; i < len(s); i++ {
		if s[i] != '.' || i+1 < len(s) && s[i+1] != ' ' {
			continue
		}
		before := s[:i+1]
		if strings.HasSuffix(before, "e.g.") || strings.HasSuffix(before, "i.e.") || strings.HasSuffix(before, "etc.") {
			continue
		}
		return before
	}
	return s
}

// wrap breaks s at spaces into lines of at most width bytes, indenting the
// lines after the first.
func wrap(s string, width int, indent string) string {
	var sb strings.Builder
	n := 0
	for i, w := range strings.Fields(s) {
		if i > 0 && n+1+len(w) > width {
			sb.WriteString("\n" + indent)
			n = 0
		} else if i > 0 {
			sb.WriteByte(' ')
			n++
		}
		sb.WriteString(w)
		n += len(w)
	}
	return sb.String()
}
