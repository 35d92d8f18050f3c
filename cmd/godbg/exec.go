package main

import (
	"github.com/spf13/cobra"

	"github.com/godbg/godbg/service/debugger"
)

func execCmd() *cobra.Command {
	var flags sessionFlags
	var lf launchFlags
	c := &cobra.Command{
		Use:   "exec <program> [--init FILE] [-- args...]",
		Short: "Start a program under the debugger, stopped before its first instruction",
		Long: `Starts <program> with the given arguments, stopped before its first instruction.
Its standard input and output are godbg's. The program is killed when the session ends.`,
		Example: `  godbg exec ./server -- -port 8080
  godbg exec --init cmds.txt ./prog
  godbg exec -r stdin:input.txt -r stdout:out.txt ./prog
  godbg exec --headless --continue --listen 127.0.0.1:4040 ./prog`,
		Args: cobra.MinimumNArgs(1),
		RunE: func(c *cobra.Command, args []string) error {
			return lf.launch(&flags, debugger.Config{Path: args[0], Args: args[1:]})
		},
	}
	flags.register(c)
	lf.register(c, &flags, false)
	return c
}
