package main

import (
	"github.com/spf13/cobra"

	"github.com/godbg/godbg/service/debugger"
)

func execCmd() *cobra.Command {
	var flags sessionFlags
	c := &cobra.Command{
		Use:   "exec <program> [--init FILE] [-- args...]",
		Short: "Start a program under the debugger, stopped before its first instruction",
		Long: `Starts <program> with the given arguments, stopped before its first instruction.
Its standard input and output are godbg's. The program is killed when the session ends.`,
		Args: cobra.MinimumNArgs(1),
		RunE: func(c *cobra.Command, args []string) error {
			return runSession(debugger.Config{Path: args[0], Args: args[1:]}, &flags)
		},
	}
	flags.register(c)
	return c
}
