package terminal

var exitCmd = &command{
	names: []string{"exit", "quit", "q"},
	group: "session",
	usage: "exit",
	help:  "Ends the session: a launched program is killed, an attached one detached (it keeps running).",
	run: func(t *Term, args string) error {
		return errExit
	},
}
