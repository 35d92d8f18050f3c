package terminal

import (
	"fmt"
	"strings"

	"github.com/godbg/godbg/service/api"
)

var restartCmd = &command{
	names: []string{"restart", "r"},
	group: "session",
	usage: "restart [newargv...] | restart -noargs",
	help: "Kills a launched program and starts it again, stopped before its first instruction: with the same\n" +
		"arguments, with the arguments given (they replace the old ones for later restarts too; quote with ' or \"),\n" +
		"or with none (-noargs). New arguments work in a local session, not through godbg connect.",
	run: func(t *Term, args string) error {
		var err error
		var argv []string
		if args == "-noargs" {
			argv = []string{}
		} else if first, _, _ := strings.Cut(args, " "); first == "-noargs" {
			return fmt.Errorf("restart -noargs takes no other arguments; usage: restart [newargv...] | restart -noargs")
		} else if argv, err = SplitArgs(args); err != nil {
			return err
		}
		restart := t.client.Restart
		if argv != nil {
			r, ok := t.client.(interface {
				RestartWithArgs([]string) (*api.State, error)
			})
			if !ok {
				return fmt.Errorf("restart with new arguments works only in a local session; restart alone keeps the old ones")
			}
			restart = func() (*api.State, error) { return r.RestartWithArgs(argv) }
		}
		st, err := restart()
		if err != nil {
			return err
		}
		t.printStop(st)
		return nil
	},
}
