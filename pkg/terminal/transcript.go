package terminal

import (
	"fmt"
	"io"
	"os"
	"strings"
)

var transcriptCmd = &command{
	names: []string{"transcript"},
	group: "session",
	usage: "transcript [-t] [-x] FILE | transcript -off",
	help: "Appends the commands typed and their output to FILE (-t truncates it first; -x stops printing the\n" +
		"output on the terminal meanwhile). transcript -off stops. Events printed while the program runs\n" +
		"(new threads, exits) and the program's own output are not in it.",
}

func init() { transcriptCmd.run = runTranscript }

// transcript is an active transcript: the file, and the writer the
// terminal wrote to before it.
type transcript struct {
	f    *os.File
	prev io.Writer
}

func runTranscript(t *Term, args string) error {
	truncate, quiet := false, false
	f := strings.Fields(args)
	for len(f) > 0 && strings.HasPrefix(f[0], "-") {
		switch f[0] {
		case "-t":
			truncate = true
		case "-x":
			quiet = true
		case "-off":
			if len(f) != 1 {
				return fmt.Errorf("usage: %s", transcriptCmd.usage)
			}
			return t.stopTranscript()
		default:
			return fmt.Errorf("transcript: unknown flag %s; usage: %s", f[0], transcriptCmd.usage)
		}
		f = f[1:]
	}
	if len(f) != 1 {
		return fmt.Errorf("usage: %s", transcriptCmd.usage)
	}
	mode := os.O_APPEND
	if truncate {
		mode = os.O_TRUNC
	}
	file, err := os.OpenFile(f[0], os.O_WRONLY|os.O_CREATE|mode, 0o644)
	if err != nil {
		return fmt.Errorf("transcript: %w", err)
	}
	t.stopTranscript()
	t.trans = &transcript{f: file, prev: t.out}
	if quiet {
		t.out = file
	} else {
		t.out = io.MultiWriter(t.trans.prev, file)
	}
	return nil
}

func (t *Term) stopTranscript() error {
	if t.trans == nil {
		return nil
	}
	t.out = t.trans.prev
	err := t.trans.f.Close()
	t.trans = nil
	return err
}

// recordCommand writes a command line to the transcript, as typed.
func (t *Term) recordCommand(line string) {
	if t.trans != nil {
		fmt.Fprintf(t.trans.f, "(godbg) %s\n", line)
	}
}
