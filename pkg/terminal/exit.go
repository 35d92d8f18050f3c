package terminal

import "fmt"

var exitCmd = &command{
	names: []string{"exit", "quit", "q"},
	group: "session",
	usage: "exit [-k]",
	help: "Ends the session: a launched program is killed, an attached one detached (it keeps running).\n" +
		"Connected to a headless server started with --accept-multiclient, exit leaves the server and\n" +
		"the stopped program for the next client; exit -k ends the server (and the session) too.",
	run: func(t *Term, args string) error {
		switch args {
		case "":
		case "-k":
			if s, ok := t.client.(interface{ SetShutdownOnClose(bool) }); ok {
				s.SetShutdownOnClose(true)
			}
		default:
			return fmt.Errorf("usage: exit [-k]")
		}
		return errExit
	},
}
