package terminal

import (
	"strings"

	"github.com/godbg/godbg/service/api"
)

// listContext is how many lines list shows each side of the location.
const listContext = 5

var listCmd = &command{
	names: []string{"list", "ls"},
	group: "source",
	usage: "list [location]",
	help: "Shows the source around a location, or around the current thread's pc.\n" +
		"Locations: main.main, main.go:12, 12 and +3 (in the current file), *0x4a1b2c.\n" +
		"=> marks the current line, * a line with a breakpoint. config source-list-line-count N changes the\n" +
		"number of lines each side (5). Go source is coloured when the output is a terminal (monokai; $GODBG_STYLE\n" +
		"is monokai, off or none, or the path of a chroma XML style file; NO_COLOR turns it off).\n" +
		"chroma's other built-in style names are not accepted: loading them slowed every start of godbg.",
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
	texts := make([]string, len(src.Lines))
	for i, l := range src.Lines {
		texts[i] = l.Text
	}
	if strings.HasSuffix(src.File, ".go") { // flow
		if style := highlightStyle(func(w string) { t.printf("%s\n", w) }); style != nil {
			texts = highlightGo(texts, style)
		}
	}
	for i, l := range src.Lines {
		t.printf("%s%4d:\t%s\n", lineMark(l.Current, l.Breakpoint), l.Number, texts[i])
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
