package terminal

import (
	"fmt"
	"strconv"
)

var threadCmd = &command{
	names: []string{"thread", "tr"},
	group: "threads",
	usage: "thread <tid>",
	help:  "Makes thread <tid> the current thread: regs, stepi and examinemem then apply to it.",
	run: func(t *Term, args string) error {
		tid, err := strconv.Atoi(args)
		if err != nil || tid <= 0 {
			return fmt.Errorf("thread needs a thread id (threads lists them), not %q", args)
		}
		th, err := t.client.SwitchThread(tid)
		if err != nil {
			return err
		}
		t.printf("Switched to thread %d\n> %s\n", th.ID, formatLocation(th.Location))
		return nil
	},
}
