package terminal

import (
	"fmt"
	"strings"
)

var catchCmd = &command{
	names: []string{"catch"},
	group: "breakpoints",
	usage: "catch syscall [name|number ...] | catch signal [SIGNAL ...] | catch fork | catch vfork | catch exec",
	help: "Stops when a thread enters one of the system calls (any, if none is named), showing the call\n" +
		"with its arguments decoded; the next continue stops again when it returns, with the result.\n" +
		"catch signal stops when the program receives one of the signals (any but SIGURG if none is\n" +
		"named), whatever handle says; whether it is then delivered is still handle's pass/nopass.\n" +
		"catch fork, vfork, exec stop when a process forks (vfork, or clone with CLONE_VFORK as Go's\n" +
		"os/exec and posix_spawn do) or executes a program, after the new image's breakpoints are set.\n" +
		"Listed by breakpoints, removed by clear, like breakpoints.",
	run: func(t *Term, args string) error {
		f := strings.Fields(args)
		if len(f) == 0 {
			return fmt.Errorf("usage: catch syscall [name|number ...] | catch signal [SIGNAL ...] | catch fork | catch vfork | catch exec")
		}
		b, err := t.client.CreateCatchpoint(f[0], f[1:])
		if err != nil {
			return err
		}
		t.printf("Catchpoint %d (%s)\n", b.ID, b.Spec)
		return nil
	},
}
