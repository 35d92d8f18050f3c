package terminal

import "fmt"

var signalCmd = &command{
	names: []string{"signal"},
	group: "running",
	usage: "signal <SIGNAL|0>",
	help: "Resumes the program as continue does, giving the current thread that signal (signal 0: none,\n" +
		"which also drops a signal the program was about to receive).",
	run: func(t *Term, args string) error {
		if args == "" {
			return fmt.Errorf("usage: signal <SIGNAL|0>")
		}
		st, err := t.client.ContinueWithSignal(args)
		if err != nil {
			return err
		}
		t.printStop(st)
		return nil
	},
}
