package terminal

import "strings"

// RunLine runs one command line, as typed at the prompt, writing to the
// Term's writer; it returns the command's error instead of printing it.
// An editor's debug console uses it (godbg dap).
func (t *Term) RunLine(line string) error {
	name, args, _ := strings.Cut(strings.TrimSpace(line), " ")
	c, err := t.cmds.find(name)
	if err != nil {
		return err
	}
	return c.run(t, strings.TrimSpace(args))
}
