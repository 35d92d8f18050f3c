package main

import (
	"fmt"
	"strconv"

	"github.com/spf13/cobra"

	"github.com/godbg/godbg/service/debugger"
)

func attachCmd() *cobra.Command {
	var flags sessionFlags
	c := &cobra.Command{
		Use:   "attach <pid> [--init FILE]",
		Short: "Attach to a running process and stop every thread",
		Long: `Attaches to every thread of process <pid> and stops them all.
Ending the session detaches: the process keeps running.`,
		Args: cobra.ExactArgs(1),
		RunE: func(c *cobra.Command, args []string) error {
			pid, err := strconv.Atoi(args[0])
			if err != nil || pid <= 0 {
				return fmt.Errorf("attach: %q is not a process id; give a positive number (pgrep <name> finds one)", args[0])
			}
			return runSession(debugger.Config{AttachPid: pid}, &flags)
		},
	}
	flags.register(c)
	return c
}
