package terminal

var killCmd = &command{
	names: []string{"kill"},
	group: "session",
	usage: "kill",
	help:  "Kills the program (SIGKILL). A launched program can be started again with restart.",
	run: func(t *Term, args string) error {
		st, _ := t.client.State()
		if err := t.client.Kill(); err != nil {
			return err
		}
		if st != nil {
			t.printf("Process %d killed\n", st.Pid)
		}
		return nil
	},
}
