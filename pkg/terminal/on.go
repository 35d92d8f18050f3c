package terminal

import (
	"fmt"
	"strconv"
	"strings"

	"github.com/godbg/godbg/service/api"
)

var onCmd = &command{
	names: []string{"on"},
	group: "breakpoints",
	usage: "on <breakpoint> <command>",
	help: "Runs a command every time the breakpoint (id or name) stops the program, after the stop is\n" +
		"shown: on 1 print x, on 1 stack 3. Several on commands add up; clear removes them with the\n" +
		"breakpoint.",
	run: func(t *Term, args string) error {
		id, cmd, ok := strings.Cut(args, " ")
		cmd = strings.TrimSpace(cmd)
		if !ok || cmd == "" {
			return fmt.Errorf("usage: on <breakpoint> <command>")
		}
		b, err := findBreakpoint(t, id)
		if err != nil {
			return err
		}
		name, _, _ := strings.Cut(cmd, " ")
		if _, err := t.cmds.find(name); err != nil {
			return fmt.Errorf("on %s: %w", id, err)
		}
		if t.onCmds == nil {
			t.onCmds = map[int][]string{}
		}
		t.onCmds[b.ID] = append(t.onCmds[b.ID], cmd)
		return nil
	},
}

var traceCmd = &command{
	names: []string{"trace", "t"},
	group: "breakpoints",
	usage: "trace [name] <location> [if <condition>]",
	help: "Sets a tracepoint: each time the location is reached the thread, function and arguments are\n" +
		"printed and the program goes on without stopping at the prompt.",
	run: func(t *Term, args string) error {
		if strings.TrimSpace(args) == "" {
			return fmt.Errorf("usage: trace [name] <location> [if <condition>]")
		}
		name, spec, cond, err := parseBreak(args)
		if err != nil {
			return err
		}
		bp, err := t.client.CreateBreakpoint(name, spec, cond)
		if err != nil {
			return err
		}
		if t.tracepoints == nil {
			t.tracepoints = map[int]bool{}
		}
		t.tracepoints[bp.ID] = true
		for _, l := range bp.Locations {
			t.printf("Tracepoint %d set at %s\n", bp.ID, formatLocation(l))
		}
		if bp.Pending {
			t.printf("Tracepoint %d pending: %s is not in the current program (%s); it will be set when a program or library that has it is loaded\n",
				bp.ID, bp.Spec, bp.PendingReason)
		}
		return nil
	},
}

// findBreakpoint finds a breakpoint by id or name.
func findBreakpoint(t *Term, idOrName string) (*api.Breakpoint, error) {
	bps, err := t.client.ListBreakpoints()
	if err != nil {
		return nil, err
	}
	for _, b := range bps {
		if idOrName != "" && b.Name == idOrName || strconv.Itoa(b.ID) == idOrName {
			return b, nil
		}
	}
	return nil, fmt.Errorf("no breakpoint %q; breakpoints lists them", idOrName)
}

// continueTracing continues, printing and going on past tracepoint hits.
func (t *Term) continueTracing() (*api.State, error) {
	for {
		st, err := t.client.Continue()
		if err != nil {
			return nil, err
		}
		if st.Reason != "breakpoint" || st.Breakpoint == nil || !t.tracepoints[st.Breakpoint.ID] {
			return st, nil
		}
		where := "?"
		if st.CurrentThread != nil {
			where = formatWhere(st.CurrentThread.Location)
		}
		args := ""
		if vs, err := t.client.Args(api.LoadConfig{}); err == nil {
			var parts []string
			for _, v := range vs {
				if v.Err == "" {
					parts = append(parts, v.Name+"="+v.Value)
				}
			}
			args = " (" + strings.Join(parts, ", ") + ")"
		}
		t.printf("> trace %d: thread %d %s%s\n", st.Breakpoint.ID, st.StopThread, where, args)
		t.runOn(st)
	}
}

// runOn runs the on commands of the breakpoint a stop is at.
func (t *Term) runOn(st *api.State) {
	if st.Breakpoint == nil {
		return
	}
	for _, c := range t.onCmds[st.Breakpoint.ID] {
		t.exec(c, false)
	}
}
