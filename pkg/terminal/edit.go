package terminal

import (
	"fmt"
	"os"
	"os/exec"
	"strconv"
)

var editCmd = &command{
	names: []string{"edit", "ed"},
	group: "source",
	usage: "edit [location]",
	help: "Opens the source file of a location (default: the current line) in $GODBG_EDITOR, or $EDITOR, at\n" +
		"its line: the editor runs as EDITOR +LINE FILE with the terminal, and the session goes on when it exits.",
	run: func(t *Term, args string) error {
		editor := os.Getenv("GODBG_EDITOR")
		if editor == "" {
			editor = os.Getenv("EDITOR")
		}
		if editor == "" {
			return fmt.Errorf("edit: set $GODBG_EDITOR or $EDITOR to an editor that takes +LINE FILE (vi, nano, emacs, code -g does not)")
		}
		src, err := t.client.ListSource(args, 0)
		if err != nil {
			return err
		}
		line := 1
		if len(src.Lines) > 0 {
			line = src.Lines[0].Number
		}
		cmd := exec.Command(editor, "+"+strconv.Itoa(line), src.File)
		cmd.Stdin, cmd.Stdout, cmd.Stderr = os.Stdin, os.Stdout, os.Stderr
		if err := cmd.Run(); err != nil {
			return fmt.Errorf("edit: %s: %w", editor, err)
		}
		return nil
	},
}
