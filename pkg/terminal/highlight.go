package terminal

import (
	"os"
	"strings"

	"github.com/alecthomas/chroma/v2"
	"github.com/alecthomas/chroma/v2/formatters"
	"github.com/alecthomas/chroma/v2/lexers"
	"github.com/alecthomas/chroma/v2/styles"
	"golang.org/x/term"
)

// highlightStyle is the chroma style list uses when standard output is a
// terminal and NO_COLOR is not set; "" when it does not highlight. The
// style is $GODBG_STYLE (a chroma style name, "off" for none) or monokai.
func highlightStyle() string {
	if _, ok := os.LookupEnv("NO_COLOR"); ok || !term.IsTerminal(int(os.Stdout.Fd())) {
		return ""
	}
	switch s := os.Getenv("GODBG_STYLE"); s {
	case "off", "none":
		return ""
	case "":
		return "monokai"
	default:
		return s
	}
}

// highlightGo returns the lines of Go source with terminal colours; the
// lines are lexed together so that a comment or raw string spanning lines
// is coloured as one. Any failure returns the lines as they are.
func highlightGo(lines []string, style string) []string {
	it, err := lexers.Get("go").Tokenise(nil, strings.Join(lines, "\n")+"\n")
	if err != nil {
		return lines
	}
	split := chroma.SplitTokensIntoLines(it.Tokens())
	if len(split) != len(lines) {
		return lines
	}
	out := make([]string, len(lines))
	for i, toks := range split {
		var sb strings.Builder
		if err := formatters.TTY256.Format(&sb, styles.Get(style), chroma.Literator(toks...)); err != nil {
			return lines
		}
		out[i] = strings.TrimSuffix(sb.String(), "\n")
		out[i] = strings.Replace(out[i], "\n", "", 1)
	}
	return out
}
