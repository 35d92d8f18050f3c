package main

import (
	"strings"

	"github.com/spf13/cobra"

	"github.com/godbg/godbg/service/debugger"
)

func init() { moreCommands = append(moreCommands, testCmd) }

func testCmd() *cobra.Command {
	var flags sessionFlags
	var lf launchFlags
	c := &cobra.Command{
		Use:   "test [package] [--init FILE] [-- test flags...]",
		Short: "Build a package's test binary without optimisations and debug it",
		Long: `Builds the package's tests (default: the package in the current directory) with
go test -c -gcflags=all=-N -l into a temporary directory, starts the test binary in the
package's directory as go test does, and removes the binary when the session ends.
Flags after -- go to the test binary: -test.run, -test.v, ...; the short forms -run, -v,
-count, -bench, -timeout, -short, -failfast, -skip, -cpu, -list get the -test. prefix.`,
		Example: `  godbg test                          # the tests of the package in the current directory
  godbg test ./pkg/foo -- -run TestBar -v
  godbg test --build-flags=-tags=integration ./store -- -test.run 'TestQuery$'
  (godbg) break foo.TestBar
  (godbg) break foo_test.go:42`,
		RunE: func(c *cobra.Command, args []string) error {
			pkg, testArgs := ".", args
			if dash := c.ArgsLenAtDash(); dash != 0 && len(args) > 0 {
				pkg, testArgs = args[0], args[1:]
			}
			dir, err := packageDir(pkg, lf.buildFlags)
			if err != nil {
				return err
			}
			return lf.buildAndLaunch(&flags, true, pkg, debugger.Config{Args: testFlags(testArgs), Dir: dir})
		},
	}
	flags.register(c)
	lf.register(c, &flags, true)
	return c
}

// shortTestFlags are go test's flags a test binary knows as -test.<name>.
var shortTestFlags = map[string]bool{
	"run": true, "v": true, "count": true, "bench": true, "benchtime": true, "benchmem": true,
	"timeout": true, "short": true, "failfast": true, "skip": true, "cpu": true, "list": true,
	"parallel": true, "shuffle": true, "fullpath": true,
}

// testFlags gives go test's short flags their -test. prefix.
func testFlags(args []string) []string {
	out := make([]string, len(args))
	for i, a := range args {
		out[i] = a
		name := strings.TrimLeft(a, "-")
		name, _, _ = strings.Cut(name, "=")
		if strings.HasPrefix(a, "-") && shortTestFlags[name] {
			out[i] = "-test." + strings.TrimLeft(a, "-")
		}
	}
	return out
}
