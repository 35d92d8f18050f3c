package terminal

var continueCmd = &command{
	names:  []string{"continue", "c"},
	group:  "running",
	usage:  "continue",
	help:   "Resumes every thread until something stops the program: a signal that stops it, an int3,\nCtrl-C, or its exit. Every thread is stopped again before the prompt returns.",
	repeat: true,
	run: func(t *Term, args string) error {
		st, err := t.continueTracing()
		if err != nil {
			return err
		}
		t.printStop(st)
		return nil
	},
}
