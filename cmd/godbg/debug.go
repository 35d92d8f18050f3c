package main

import (
	"github.com/spf13/cobra"

	"github.com/godbg/godbg/service/debugger"
)

func debugCmd() *cobra.Command {
	var flags sessionFlags
	var lf launchFlags
	c := &cobra.Command{
		Use:   "debug [package] [--init FILE] [-- args...]",
		Short: "Build a Go package without optimisations and debug it",
		Long: `Builds the package (default: the one in the current directory) with
-gcflags=all=-N -l into a temporary file, starts it as exec does, and removes
the binary when the session ends.`,
		Example: `  godbg debug                          # the package in the current directory
  godbg debug ./cmd/server -- -port 8080
  godbg debug --build-flags=-tags=netgo --wd /tmp -r stdin:input.txt
  echo 'break main.main
  continue' | godbg debug`,
		RunE: func(c *cobra.Command, args []string) error {
			pkg, progArgs := ".", args
			if dash := c.ArgsLenAtDash(); dash != 0 && len(args) > 0 {
				pkg, progArgs = args[0], args[1:]
			}
			return lf.buildAndLaunch(&flags, false, pkg, debugger.Config{Args: progArgs})
		},
	}
	flags.register(c)
	lf.register(c, &flags, true)
	return c
}
