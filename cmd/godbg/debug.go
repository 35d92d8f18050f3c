package main

import (
	"fmt"
	"os"
	"os/exec"
	"path/filepath"

	"github.com/spf13/cobra"

	"github.com/godbg/godbg/service/debugger"
)

func debugCmd() *cobra.Command {
	var flags sessionFlags
	c := &cobra.Command{
		Use:   "debug [package] [--init FILE] [-- args...]",
		Short: "Build a Go package without optimisations and debug it",
		Long: `Builds the package (default: the one in the current directory) with
-gcflags=all=-N -l into a temporary file, starts it as exec does, and removes
the binary when the session ends.`,
		RunE: func(c *cobra.Command, args []string) error {
			pkg, progArgs := ".", args
			if dash := c.ArgsLenAtDash(); dash != 0 && len(args) > 0 {
				pkg, progArgs = args[0], args[1:]
			}
			bin, cleanup, err := buildDebug(pkg)
			if err != nil {
				return err
			}
			defer cleanup()
			return runSession(debugger.Config{Path: bin, Args: progArgs}, &flags)
		},
	}
	flags.register(c)
	return c
}

// buildDebug builds pkg for debugging into a fresh temporary directory.
func buildDebug(pkg string) (string, func(), error) {
	return goBuild(pkg, "__debug_bin", pkg, "build")
}

// goBuild runs go <verb...> -gcflags=all=-N -l -o BIN pkg in a fresh
// temporary directory; what names the package in the error.
func goBuild(pkg, name, what string, verb ...string) (string, func(), error) {
	dir, err := os.MkdirTemp("", "godbg-debug-")
	if err != nil {
		return "", nil, err
	}
	cleanup := func() { os.RemoveAll(dir) }
	bin := filepath.Join(dir, name)
	cmd := exec.Command("go", append(verb, "-gcflags=all=-N -l", "-o", bin, pkg)...)
	cmd.Stdout, cmd.Stderr = os.Stderr, os.Stderr
	if err := cmd.Run(); err != nil {
		cleanup()
		return "", nil, fmt.Errorf("building %s failed (%v); fix the build errors above", what, err)
	}
	return bin, cleanup, nil
}
