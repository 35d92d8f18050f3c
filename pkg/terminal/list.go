package terminal

import "github.com/godbg/godbg/service/api"

// listContext is how many lines list shows each side of the location.
const listContext = 5

var listCmd = &command{
	names: []string{"list", "ls"},
	group: "source",
	usage: "list [location]",
	help: "Shows the source around a location, or around the current thread's pc.\n" +
		"Locations: main.main, main.go:12, 12 and +3 (in the current file), *0x4a1b2c.\n" +
		"=> marks the current line, * a line with a breakpoint. config source-list-line-count N changes the\n" +
		"number of lines each side (5).",
	run: func(t *Term, args string) error {
		src, err := t.client.ListSource(args, t.listLines())
		if err != nil {
			return err
		}
		t.printf("Showing %s:\n", shortPath(src.File))
		printSourceLines(t, src)
		return nil
	},
}

func printSourceLines(t *Term, src *api.SourceListing) {
	for _, l := range src.Lines {
		t.printf("%s%4d:\t%s\n", lineMark(l.Current, l.Breakpoint), l.Number, l.Text)
	}
}

// lineMark is the two-character margin of a source or instruction line.
func lineMark(current, breakpoint bool) string {
	switch {
	case current && breakpoint:
		return "*>"
	case current:
		return "=>"
	case breakpoint:
		return "* "
	}
	return "  "
}
