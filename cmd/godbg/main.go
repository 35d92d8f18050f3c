// Command godbg is a debugger for Go programs on Linux/amd64.
//
// This package is wiring only: cobra subcommands, flags, and the session
// that joins the terminal to the debugger.
package main

import (
	"fmt"
	"os"

	"github.com/spf13/cobra"
)

func main() {
	root := &cobra.Command{
		Use:           "godbg",
		Short:         "A debugger for Go programs (and C ones) on Linux/amd64",
		SilenceUsage:  true,
		SilenceErrors: true,
	}
	root.AddCommand(execCmd(), attachCmd(), debugCmd())
	if err := root.Execute(); err != nil {
		fmt.Fprintf(os.Stderr, "godbg: %v\n", err)
		os.Exit(1)
	}
}
