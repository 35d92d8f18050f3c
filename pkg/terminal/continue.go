package terminal

var continueCmd = &command{
	names: []string{"continue", "c"},
	group: "running",
	usage: "continue [<locspec>]",
	help: "Resumes every thread until something stops the program: a signal that stops it, an int3,\n" +
		"Ctrl-C, or its exit. Every thread is stopped again before the prompt returns.\n" +
		"With a location (continue main.main, continue file.go:12), runs until any goroutine reaches\n" +
		"it, unless a breakpoint or another stop comes first.\n" +
		"After a next, step or stepout interrupted by another stop, continue completes that step.",
	repeat: true,
	run: func(t *Term, args string) error {
		if args != "" {
			st, err := t.client.ContinueTo(args)
			if err != nil {
				return err
			}
			t.printStop(st)
			return nil
		}
		st, err := t.continueTracing()
		if err != nil {
			return err
		}
		t.printStop(st)
		return nil
	},
}
