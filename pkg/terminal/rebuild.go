package terminal

import (
	"fmt"

	"github.com/godbg/godbg/service/api"
)

var rebuildCmd = &command{
	names: []string{"rebuild"},
	group: "session",
	usage: "rebuild",
	help: "Builds the program again (godbg debug and godbg test only) and restarts it from the new binary,\n" +
		"with the breakpoints set again where their locations are now. A build that fails leaves the\n" +
		"session as it was.",
	run: func(t *Term, args string) error {
		r, ok := t.client.(interface{ RestartRebuilt() (*api.State, error) })
		if t.rebuild == nil || !ok {
			return fmt.Errorf("rebuild works only for a program godbg built (godbg debug, godbg test) in a local session")
		}
		if err := t.rebuild(); err != nil {
			return err
		}
		st, err := r.RestartRebuilt()
		if err != nil {
			return err
		}
		t.printStop(st)
		return nil
	},
}

// SetRebuild gives rebuild the function that builds the program again
// into the same executable path.
func (t *Term) SetRebuild(build func() error) { t.rebuild = build }
