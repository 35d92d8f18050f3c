package terminal

import "fmt"

var threadsCmd = &command{
	names: []string{"threads"},
	group: "threads",
	usage: "threads",
	help:  "Lists every thread: tid, pc, location and state; * marks the current thread.",
	run: func(t *Term, args string) error {
		ts, err := t.client.ListThreads()
		if err != nil {
			return err
		}
		for _, th := range ts {
			mark := " "
			if th.Current {
				mark = "*"
			}
			g := ""
			if th.Goroutine != 0 {
				g = fmt.Sprintf(" goroutine %d", th.Goroutine)
			}
			t.printf("%s Thread %d at %#x %s [%s]%s\n", mark, th.ID, th.Location.PC, formatWhere(th.Location), th.State, g)
		}
		return nil
	},
}
