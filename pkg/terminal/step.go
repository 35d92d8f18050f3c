package terminal

import (
	"fmt"
	"strconv"
)

var nextCmd = &command{
	names:  []string{"next", "n"},
	group:  "running",
	usage:  "next [count]",
	repeat: true,
	help: "Runs the current goroutine to the next source line of the current function (count times),\n" +
		"over calls. Other goroutines run meanwhile but cannot take the step over: only this goroutine\n" +
		"in this frame (not a recursive call) stops. A breakpoint another goroutine hits is reported and\n" +
		"the next stays armed: continue completes it; a breakpoint this goroutine hits ends the next, as in\n" +
		"Delve. Unlike Delve's terminal (and as Delve's DAP server), a Ctrl-C during next also leaves it\n" +
		"armed, and the stop says so: continue completes it, next/step/stepout cancel it.",
	run: func(t *Term, args string) error {
		count, err := stepCount("next", args)
		if err != nil {
			return err
		}
		st, err := t.client.Next(count)
		if err != nil {
			return err
		}
		t.printStop(st)
		return nil
	},
}

var stepCmd = &command{
	names:  []string{"step", "s"},
	group:  "running",
	usage:  "step [count]",
	repeat: true,
	help: "Like next, but a function called on the current line is entered: the step stops at its first\n" +
		"line. Runtime functions and code without source are run through. With the pc on a CALL, that\n" +
		"call is entered. A count repeats the step (Delve's step takes none).",
	run: func(t *Term, args string) error {
		return t.repeatStep("step", args, t.client.Step)
	},
}

var stepoutCmd = &command{
	names:  []string{"stepout", "so"},
	group:  "running",
	usage:  "stepout",
	repeat: true,
	help:   "Runs the current goroutine until the current function returns to its caller.",
	run: func(t *Term, args string) error {
		if args != "" {
			return fmt.Errorf("stepout takes no arguments")
		}
		st, err := t.client.StepOut()
		if err != nil {
			return err
		}
		t.printStop(st)
		if len(st.ReturnValues) > 0 {
			t.printf("Values returned:\n")
			for _, v := range st.ReturnValues {
				t.printf("\t%s\n", formatVar(v))
			}
		}
		return nil
	},
}

// stepCount parses the optional count of a stepping command.
func stepCount(name, args string) (int, error) {
	if args == "" {
		return 1, nil
	}
	n, err := strconv.Atoi(args)
	if err != nil || n < 1 {
		return 0, fmt.Errorf("%s %q: count must be a positive number", name, args)
	}
	return n, nil
}
