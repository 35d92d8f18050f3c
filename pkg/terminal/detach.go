package terminal

import "fmt"

var detachCmd = &command{
	names: []string{"detach"},
	group: "session",
	usage: "detach",
	help:  "Lets the program run on untraced, every thread resumed, and ends the session.",
	run: func(t *Term, args string) error {
		st, _ := t.client.State()
		if err := t.client.Detach(); err != nil {
			return err
		}
		if st != nil {
			t.printf("Detached from process %d\n", st.Pid)
		}
		if args != "" {
			return fmt.Errorf("detach takes no arguments (ignored %q)", args)
		}
		return errExit
	},
}
