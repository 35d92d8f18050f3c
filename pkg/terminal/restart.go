package terminal

var restartCmd = &command{
	names: []string{"restart", "r"},
	group: "session",
	usage: "restart",
	help:  "Kills a launched program and starts it again with the same arguments, stopped before its first instruction.",
	run: func(t *Term, args string) error {
		st, err := t.client.Restart()
		if err != nil {
			return err
		}
		t.printStop(st)
		return nil
	},
}
