package terminal

var stepiCmd = &command{
	names:  []string{"stepi", "si"},
	group:  "running",
	usage:  "stepi",
	help:   "Executes one machine instruction on the current thread; the other threads stay stopped.",
	repeat: true,
	run: func(t *Term, args string) error {
		st, err := t.client.StepInstruction()
		if err != nil {
			return err
		}
		t.printStop(st)
		return nil
	},
}
