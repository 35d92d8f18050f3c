package terminal

var killCmd = &command{
	names: []string{"kill"},
	group: "session",
	usage: "kill",
	help:  "Kills the program (SIGKILL); with several targets, the current one, and another becomes current.\nA launched program can be started again with restart.",
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
