package terminal

import "fmt"

var jumpCmd = &command{
	names: []string{"jump", "j"},
	group: "running",
	usage: "jump <locspec>",
	help: "Sets the next instruction of the current thread to a location inside the current function,\n" +
		"without running the code in between (\"set next statement\"). Unsafe: skipped code may have\n" +
		"set up what later code relies on.",
	run: func(t *Term, args string) error {
		if args == "" {
			return fmt.Errorf("jump needs a location, for example jump main.go:12 or jump +2")
		}
		st, err := t.client.Jump(args)
		if err != nil {
			return err
		}
		t.printStop(st)
		return nil
	},
}
