package terminal

import "github.com/godbg/godbg/service/api"

var stepiCmd = &command{
	names:  []string{"stepi", "si", "step-instruction"},
	group:  "running",
	usage:  "stepi [count]",
	help:   "Executes one machine instruction on the current thread (count times; Delve's takes no count); the other\nthreads stay stopped.",
	repeat: true,
	run: func(t *Term, args string) error {
		return t.repeatStep("stepi", args, t.client.StepInstruction)
	},
}

var nextInstructionCmd = &command{
	names: []string{"next-instruction", "ni", "nexti"},
	group: "running",
	usage: "next-instruction [count]",
	help: "Executes one machine instruction of the current thread (count times), but a CALL runs to its\n" +
		"return: other threads run meanwhile, and only this goroutine in this frame ends it. (Delve's takes no count.)",
	repeat: true,
	run: func(t *Term, args string) error {
		return t.repeatStep("next-instruction", args, t.client.NextInstruction)
	},
}

// repeatStep runs one step operation count times (args), stopping early
// at any stop that is not the step's own end, and prints the last stop.
func (t *Term) repeatStep(name, args string, op func() (*api.State, error)) error {
	count, err := stepCount(name, args)
	if err != nil {
		return err
	}
	var st *api.State
	for i := 0; i < count; i++ {
		if st, err = op(); err != nil {
			return err
		}
		if st.Reason != "stepped" || st.NextInProgress {
			break
		}
	}
	t.printStop(st)
	return nil
}
