package dap

import (
	"errors"
	"fmt"
	"net"
	"os"
	"path/filepath"
	"time"

	"github.com/google/go-dap"
)

// Relay is the command that, run in the editor's terminal, joins the
// terminal to a program's input and output through the unix socket sock
// (cmd/godbg: "godbg dap --tty-relay SOCK").
type Relay func(sock string) []string

// relayTimeout bounds the wait for the terminal's relay to connect.
const relayTimeout = 30 * time.Second

// terminal asks the client to run the relay in its terminal (console
// "integratedTerminal" or "externalTerminal") and returns the relay's
// connection; nil for the debug console.
func (s *session) terminal(a *launchArgs, cwd string) (net.Conn, error) {
	kind := map[string]string{"integratedTerminal": "integrated", "externalTerminal": "external"}[a.Console]
	switch {
	case a.Console == "" || a.Console == "internalConsole":
		return nil, nil
	case kind == "":
		return nil, fmt.Errorf(`launch: console %q: use "internalConsole", "integratedTerminal" or "externalTerminal"`, a.Console)
	case s.relay == nil:
		return nil, errors.New(`launch: console in a terminal needs the godbg dap command; use "internalConsole"`)
	case !s.runInTerminal:
		return nil, errors.New(`launch: the client does not run commands in a terminal (no supportsRunInTerminalRequest); use console "internalConsole"`)
	}
	dir, err := os.MkdirTemp("", "godbg-tty-") // 0700: only we can connect
	if err != nil {
		return nil, err
	}
	defer os.RemoveAll(dir)
	sock := filepath.Join(dir, "tty.sock")
	ln, err := net.Listen("unix", sock)
	if err != nil {
		return nil, err
	}
	defer ln.Close()
	s.send(&dap.RunInTerminalRequest{
		Request: dap.Request{ProtocolMessage: dap.ProtocolMessage{Type: "request"}, Command: "runInTerminal"},
		Arguments: dap.RunInTerminalRequestArguments{Kind: kind, Title: "godbg: " + filepath.Base(a.Program),
			Cwd: cwd, Args: s.relay(sock)},
	})
	ln.(*net.UnixListener).SetDeadline(time.Now().Add(relayTimeout))
	c, err := ln.Accept()
	if err != nil {
		return nil, fmt.Errorf("launch: the terminal did not run godbg's relay within %v: %v", relayTimeout, err)
	}
	return c, nil
}
