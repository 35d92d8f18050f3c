package terminal

import "fmt"

var exitCmd = &command{
	names: []string{"exit", "quit", "q"},
	group: "session",
	usage: "exit [-k] [-c]",
	help: "Ends the session: a launched program is killed, an attached one detached (it keeps running).\n" +
		"Connected to a headless server started with --accept-multiclient, exit leaves the server and\n" +
		"the stopped program for the next client; exit -k ends the server (and the session) too.\n" +
		"exit -c detaches first, so that a launched program keeps running (as detach does).",
	run: func(t *Term, args string) error {
		switch args {
		case "":
		case "-c": // flow
			st, _ := t.client.State()
			if st == nil || st.Exited || st.Detached {
				break
			}
			if err := t.client.Detach(); err != nil {
				return err
			}
			if st != nil {
				t.printf("Detached from process %d; it keeps running\n", st.Pid)
			}
		case "-k":
			if s, ok := t.client.(interface{ SetShutdownOnClose(bool) }); ok {
				s.SetShutdownOnClose(true)
			}
		default:
			return fmt.Errorf("usage: exit [-k] [-c]")
		}
		return errExit
	},
}
