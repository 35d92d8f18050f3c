package dap

import (
	"fmt"
	"strings"

	"github.com/google/go-dap"

	"github.com/godbg/godbg/service"
)

// NewConsole makes a runner of terminal command lines for a session's
// client (cmd/godbg gives pkg/terminal's); the runner returns the
// command's text output.
type NewConsole func(c service.Client) func(line string) (string, error)

// consolePrefixes start a debug console line that is a terminal command
// rather than an expression: "godbg threads" (and Delve's "dlv ...").
var consolePrefixes = []string{"godbg ", "dlv "}

// runControl are the commands the console refuses: the editor runs the
// program (its buttons keep the stopped and continued state right).
var runControl = map[string]bool{
	"continue": true, "c": true, "next": true, "n": true, "step": true, "s": true, "stepout": true, "so": true,
	"stepi": true, "si": true, "ni": true, "restart": true, "r": true, "exit": true, "quit": true, "q": true,
	"kill": true, "detach": true, "target": true,
}

// consoleCommand runs a terminal command typed in the debug console; ok
// false means expr is not one.
func (s *session) consoleCommand(expr string) (resp dap.ResponseMessage, ok bool, err error) {
	var line string
	for _, p := range consolePrefixes {
		if l, found := strings.CutPrefix(expr, p); found {
			line, ok = strings.TrimSpace(l), true
		}
	}
	if !ok {
		return nil, false, nil
	}
	if s.newConsole == nil {
		return nil, true, errTerminal
	}
	name, _, _ := strings.Cut(line, " ")
	if runControl[name] {
		return nil, true, fmt.Errorf("%s: the editor runs the program; use its continue, step and stop buttons", name)
	}
	if s.console == nil {
		s.console = s.newConsole(s.client)
	}
	out, err := s.console(line)
	if err != nil {
		return nil, true, fmt.Errorf("%s%v", out, err)
	}
	// What a command changed (selection, values) is read anew.
	s.sel = selection{}
	return &dap.EvaluateResponse{Body: dap.EvaluateResponseBody{Result: strings.TrimRight(out, "\n")}}, true, nil
}
