package terminal

import (
	"strings"
)

var handleCmd = &command{
	names: []string{"handle"},
	group: "running",
	usage: "handle [SIGNAL [stop|nostop] [print|noprint] [pass|nopass]]",
	help: "Says what to do when the program receives a signal, as gdb's handle: stop the program (and\n" +
		"print), print only, and pass it to the program or not. Without arguments lists every signal.\n" +
		"Defaults: SIGSEGV, SIGBUS, SIGFPE, SIGILL, SIGABRT stop and pass; everything else (SIGURG\n" +
		"included) passes silently.",
	run: func(t *Term, args string) error {
		f := strings.Fields(args)
		if len(f) == 0 {
			pols, err := t.client.SignalPolicies()
			if err != nil {
				return err
			}
			t.printf("%-12s %-5s %-6s %s\n", "Signal", "Stop", "Print", "Pass to program")
			for _, p := range pols {
				t.printf("%-12s %-5s %-6s %s\n", p.Signal, yesNo(p.Stop), yesNo(p.Print), yesNo(p.Pass))
			}
			return nil
		}
		p, err := t.client.HandleSignal(f[0], f[1:])
		if err != nil {
			return err
		}
		t.printf("%-12s %-5s %-6s %s\n%-12s %-5s %-6s %s\n", "Signal", "Stop", "Print", "Pass to program",
			p.Signal, yesNo(p.Stop), yesNo(p.Print), yesNo(p.Pass))
		return nil
	},
}

func yesNo(b bool) string {
	if b {
		return "Yes"
	}
	return "No"
}
