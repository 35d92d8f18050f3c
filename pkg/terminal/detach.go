package terminal

import "fmt"

var detachCmd = &command{
	names: []string{"detach"},
	group: "session",
	usage: "detach",
	help:  "Lets the program run on untraced, every thread resumed and every breakpoint removed. With several\ntargets (target list) only the current one is let go and another becomes current; with the last one the session ends.",
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
		if now, err := t.client.State(); err == nil && now != nil && !now.Detached && !now.Exited && now.Pid != st.Pid {
			t.printf("Current target is now process %d\n", now.Pid)
			return nil // other targets remain
		}
		return errExit
	},
}
