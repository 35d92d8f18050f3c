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
		"in this frame (not a recursive call) stops. A breakpoint another goroutine hits is reported.\n" +
		"A breakpoint this goroutine hits ends the step. A breakpoint of another goroutine, or a halt\n" +
		"(Ctrl-C), leaves the step armed: continue completes it. Delve's DAP server keeps it on a halt\n" +
		"as well; Delve's terminal drops it (its TestIssue1145).\n" +
		"In C code, next and step stop only at the statement starts of other lines, as gdb's do.\n" +
		"Unlike Delve, the time the program was stopped does not count toward the Go runtime's 10 ms\n" +
		"preemption slice: a next after a long stop is not interrupted by a SIGURG (catch signal SIGURG).",
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
