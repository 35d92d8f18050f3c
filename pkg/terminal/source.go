package terminal

import (
	"bufio"
	"fmt"
	"os"
	"strings"
)

var sourceCmd = &command{
	names: []string{"source"},
	group: "session",
	usage: "source FILE | source -",
	help: "Runs the commands in FILE, one per line, as --init does; lines starting with # are comments.\n" +
		"A FILE ending in .star runs as a Starlark script with Delve's builtins (dlv_command, eval, read_file,\n" +
		"write_file, eval, state, stacktrace, breakpoints, create_breakpoint, ...: help() in Starlark lists them;\n" +
		"the modules time and json too; main() runs, def command_NAME(args) makes the command NAME).\n" +
		"source - reads Starlark statements from the terminal until exit() or end of input.\n" +
		"An error in the file (a failing command, a Starlark error) is printed and the session goes on.",
}

func init() { sourceCmd.run = runSource }

// maxSourceDepth bounds source commands nested in sourced files (a file
// that sources itself would otherwise run until it runs out of files).
const maxSourceDepth = 32

func runSource(t *Term, args string) error {
	if t.sourceDepth >= maxSourceDepth {
		return fmt.Errorf("source %s: sources are nested %d deep; does a file source itself?", args, maxSourceDepth)
	}
	t.sourceDepth++
	defer func() { t.sourceDepth-- }()
	switch {
	case args == "":
		return fmt.Errorf("usage: source FILE (a command file, or a .star Starlark script) or source - (Starlark REPL)")
	case args == "-":
		return t.starlarkREPL()
	case strings.HasSuffix(args, ".star"):
		return t.runStarlarkFile(args)
	}
	f, err := os.Open(args)
	if err != nil {
		return fmt.Errorf("source: %w", err)
	}
	defer f.Close()
	if fi, err := f.Stat(); err == nil && fi.IsDir() {
		return fmt.Errorf("source: %s is a directory; give a file of commands", args)
	}
	if t.runLines(bufio.NewReader(f), false) {
		return errExit
	}
	return nil
}

// Exec runs one command line as if typed, and reports whether it ended
// the session.
func (t *Term) Exec(line string) bool { return t.exec(line, false) }

// call runs one command line and returns its error (for scripts).
func (t *Term) call(line string) error {
	name, args, _ := strings.Cut(strings.TrimSpace(line), " ")
	c, err := t.cmds.find(name)
	if err != nil {
		return err
	}
	return c.run(t, strings.TrimSpace(args))
}
