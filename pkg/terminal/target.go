package terminal

import (
	"fmt"
	"strconv"
	"strings"
)

var targetCmd = &command{
	names: []string{"target"},
	group: "running",
	usage: targetUsage,
	help: "Several processes: children kept by set detach-on-fork off, followed by set follow-fork-mode\n" +
		"child, or followed when they execute a program (target follow-exec).\n" +
		"  target list                      pid, parent and command line of each target; * marks the current\n" +
		"  target switch <pid>              makes another target current\n" +
		"  target follow-exec -on [regex]   follow children that exec a command line matching regex (all if none)\n" +
		"  target follow-exec -off          stop following them\n" +
		"  target follow-exec               shows the setting\n" +
		"continue resumes every target; a stop in any of them stops them all.",
	run: func(t *Term, args string) error {
		f := strings.Fields(args)
		if len(f) == 0 {
			return fmt.Errorf("usage: %s", targetUsage)
		}
		switch f[0] {
		case "list":
			return targetList(t)
		case "switch":
			if len(f) != 2 {
				return fmt.Errorf("usage: target switch <pid>")
			}
			pid, err := strconv.Atoi(f[1])
			if err != nil {
				return fmt.Errorf("target switch %q: not a pid; target list shows them", f[1])
			}
			st, err := t.client.SwitchTarget(pid)
			if err != nil {
				return err
			}
			t.printf("Current target is process %d\n", st.Pid)
			if st.CurrentThread != nil {
				t.printf("> %s (thread %d)\n", formatLocation(st.CurrentThread.Location), st.CurrentThread.ID)
			}
			return nil
		case "follow-exec":
			return followExec(t, f[1:])
		}
		return fmt.Errorf("target %s: unknown subcommand; usage: %s", f[0], targetUsage)
	},
}

const targetUsage = "target list | target switch <pid> | target follow-exec [-on [regex] | -off]"

func targetList(t *Term) error {
	ts, err := t.client.ListTargets()
	if err != nil {
		return err
	}
	for _, tg := range ts {
		mark := " "
		if tg.Current {
			mark = "*"
		}
		extra := ""
		if tg.Parent != 0 {
			extra = fmt.Sprintf(" (child of %d)", tg.Parent)
		}
		if !tg.Followed {
			extra += " [traced until it executes a program]"
		}
		t.printf("%s %d %s%s\n", mark, tg.Pid, tg.CmdLine, extra)
	}
	return nil
}

func followExec(t *Term, args []string) error {
	switch {
	case len(args) == 0:
		fs := t.client.ForkSettings()
		switch {
		case !fs.FollowExec:
			t.printf("Follow exec mode is disabled.\n")
		case fs.FollowExecRegex != "":
			t.printf("Follow exec mode is enabled for command lines matching %q.\n", fs.FollowExecRegex)
		default:
			t.printf("Follow exec mode is enabled.\n")
		}
		return nil
	case args[0] == "-on" && len(args) <= 2:
		re := ""
		if len(args) == 2 {
			re = args[1]
		}
		return t.client.FollowExec(true, re)
	case args[0] == "-off" && len(args) == 1:
		return t.client.FollowExec(false, "")
	}
	return fmt.Errorf("usage: target follow-exec [-on [regex] | -off]")
}
