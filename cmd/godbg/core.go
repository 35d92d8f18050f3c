package main

import (
	"github.com/spf13/cobra"

	"github.com/godbg/godbg/service/debugger"
)

func init() { moreCommands = append(moreCommands, coreCmd) }

func coreCmd() *cobra.Command {
	var flags sessionFlags
	c := &cobra.Command{
		Use:   "core <executable> <core>",
		Short: "Examine a core file of a program: threads, registers, stacks, goroutines, variables",
		Long: `Opens a core file (the kernel's, gdb's gcore, or godbg's dump) with the executable that
made it. Everything that reads the program works; commands that run or change it say they
need a live process. A core that does not belong to the executable is refused.`,
		Args: cobra.ExactArgs(2),
		RunE: func(c *cobra.Command, args []string) error {
			return runSession(debugger.Config{Path: args[0], CorePath: args[1]}, &flags)
		},
	}
	c.Flags().StringVar(&flags.init, "init", "", "file of commands to run before reading the terminal or standard input")
	return c
}
