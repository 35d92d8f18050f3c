package main

import (
	"fmt"
	"io"
	"runtime"
	"runtime/debug"

	"github.com/spf13/cobra"
)

// version is godbg's release; commit may be set with
// -ldflags "-X main.commit=..." where the build has no VCS stamp.
var (
	version = "0.1.0-dev"
	commit  = ""
)

func init() { moreCommands = append(moreCommands, versionCmd) }

func versionCmd() *cobra.Command {
	return &cobra.Command{
		Use:     "version",
		Short:   "Print godbg's version, the Go version it was built with, and its commit",
		Example: "  godbg version\n  godbg --version",
		Args:    cobra.NoArgs,
		RunE: func(c *cobra.Command, args []string) error {
			printVersion(c.OutOrStdout())
			return nil
		},
	}
}

// printVersion writes what a bug report needs: version, build, Go version.
func printVersion(w io.Writer) { io.WriteString(w, versionText()) }

func versionText() string {
	return fmt.Sprintf("godbg Debugger\nVersion: %s\nBuild: %s\nGo: %s\n", version, buildCommit(), runtime.Version())
}

// buildCommit is the VCS revision the binary was built from (with
// "-dirty" for uncommitted changes), or "unknown".
func buildCommit() string {
	rev, dirty := commit, false
	if bi, ok := debug.ReadBuildInfo(); ok {
		for _, s := range bi.Settings {
			switch s.Key {
			case "vcs.revision":
				rev = s.Value
			case "vcs.modified":
				dirty = s.Value == "true"
			}
		}
	}
	if rev == "" {
		return "unknown (built without VCS information: go build -buildvcs=true)"
	}
	if dirty {
		rev += "-dirty"
	}
	return rev
}
