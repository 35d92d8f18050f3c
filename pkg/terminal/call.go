package terminal

import (
	"fmt"
	"strings"
)

var callCmd = &command{
	names: []string{"call"},
	group: "data",
	usage: "call [-unsafe] <function call>",
	help: "Runs a function of the program on the current goroutine and prints its results:\n" +
		"call f(x, \"s\"), call p.String(), call t.Method(1). Arguments: constants, string literals,\n" +
		"variables, fields, pointers; parameters and results that Go passes in registers (not arrays\n" +
		"longer than one). The Go runtime's debug-call protocol (runtime.debugCallV2) runs it on a new\n" +
		"goroutine on this thread; every other thread runs meanwhile, as the runtime may need them\n" +
		"(breakpoints they hit are passed, not reported). Afterwards the program is stopped where it\n" +
		"was, every thread stopped. A panic is reported as ~panic. Refused: in the runtime or a system\n" +
		"call (not a safe point), on a thread running no goroutine, C functions, variadic functions.\n" +
		"A pointer into the goroutine's stack is refused unless -unsafe.\n" +
		"Unlike Delve, a call does not stop inside the function: if the function hits a breakpoint or\n" +
		"watchpoint outside the runtime (or the call takes over 10000 stops), the call is abandoned\n" +
		"with that reason and the goroutine is put back where it was (registers and stack); what the\n" +
		"function did so far stays. Breakpoints it hits inside the runtime are passed.",
	run: func(t *Term, args string) error {
		unsafe := false
		if rest, ok := strings.CutPrefix(strings.TrimSpace(args), "-unsafe"); ok {
			unsafe, args = true, rest
		}
		args = strings.TrimSpace(args)
		if args == "" {
			return fmt.Errorf("call needs a function call; usage: call [-unsafe] <function call>")
		}
		vs, err := t.client.CallFunction(args, unsafe)
		if err != nil {
			return err
		}
		// As Delve: where the program is (where it was), then the results.
		if st, err := t.client.State(); err == nil && st.CurrentThread != nil {
			t.printf("> %s\n", formatLocation(st.CurrentThread.Location))
		}
		t.printf("Values returned:\n")
		for _, v := range vs {
			if v.Err != "" {
				t.printf("\t%s: (%s)\n", v.Name, v.Err)
				continue
			}
			t.printf("\t%s: %s\n", v.Name, v.Value)
		}
		t.printf("\n")
		return nil
	},
}
