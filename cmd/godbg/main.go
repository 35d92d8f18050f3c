// Command godbg is a debugger for Go programs on Linux/amd64.
//
// This package is wiring only: cobra subcommands, flags, and the session
// that joins the terminal to the debugger.
package main

import (
	"fmt"
	"os"
	"runtime/pprof"

	"github.com/spf13/cobra"
)

func main() {
	if path := os.Getenv("GODBG_CPUPROFILE"); path != "" {
		// For developers measuring godbg itself.
		if f, err := os.Create(path); err == nil {
			pprof.StartCPUProfile(f)
			defer pprof.StopCPUProfile()
		}
	}
	if err := execute(); err != nil {
		fmt.Fprintf(os.Stderr, "godbg: %v\n", err)
		pprof.StopCPUProfile()
		os.Exit(1)
	}
}

func execute() error {
	root := &cobra.Command{
		Use:           "godbg",
		Short:         "A debugger for Go programs (and C ones) on Linux/amd64",
		SilenceUsage:  true,
		SilenceErrors: true,
		Version:       version, // flow: --version prints what godbg version does
	}
	root.SetVersionTemplate(versionText())
	root.AddCommand(execCmd(), attachCmd(), debugCmd())
	for _, mk := range moreCommands {
		root.AddCommand(mk())
	}
	addExamples(root) // flow
	return root.Execute()
}

// moreCommands are subcommands registered by other files' init functions
// (dap, connect, core).
var moreCommands []func() *cobra.Command
