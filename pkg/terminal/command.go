package terminal

import (
	"errors"
	"fmt"
	"sort"
	"strings"
)

// command is one REPL command.
type command struct {
	names []string // the first is the name, the rest aliases
	group string
	usage string
	help  string
	// repeat: Enter at a terminal repeats this command (stepping, continue).
	repeat bool
	run    func(t *Term, args string) error
}

// errExit ends the session.
var errExit = errors.New("exit")

// commandList returns every command; each file contributes one.
func commandList() []*command {
	return []*command{
		continueCmd, nextCmd, stepCmd, stepoutCmd, stepiCmd, handleCmd, signalCmd, breakCmd, traceCmd, onCmd, catchCmd, breakpointsCmd, clearCmd, clearallCmd, conditionCmd, toggleCmd, threadsCmd, threadCmd, goroutinesCmd, goroutineCmd, stackCmd, frameCmd, upCmd, downCmd, regsCmd, examinememCmd, printCmd, localsCmd, argsCmd, varsCmd, whatisCmd, displayCmd, librariesCmd,
		setCmd, targetCmd, dumpCmd, detachCmd, killCmd, restartCmd, exitCmd, helpCmd,
		funcsCmd, sourcesCmd, listCmd, disassembleCmd,
		// step
		nextInstructionCmd, jumpCmd,
		// flow: the daily workflow (issue 14)
		sourceCmd, transcriptCmd, configCmd, editCmd, packagesCmd, typesCmd, rebuildCmd,
		// watch, call
		watchCmd, callCmd,
		// step2
		deferredCmd,
	}
}

type commandTable struct {
	byName map[string]*command
	list   []*command
}

func newCommandTable() *commandTable {
	ct := &commandTable{byName: make(map[string]*command)}
	ct.list = commandList()
	for _, c := range ct.list {
		for _, n := range c.names {
			ct.byName[n] = c
		}
	}
	return ct
}

func (ct *commandTable) find(name string) (*command, error) {
	if c, ok := ct.byName[name]; ok {
		return c, nil
	}
	var near []string
	for n := range ct.byName {
		if strings.HasPrefix(n, name) || strings.HasPrefix(name, n) && len(n) > 2 {
			near = append(near, n)
		}
	}
	sort.Strings(near)
	msg := fmt.Sprintf("unknown command %q", name)
	if len(near) > 0 {
		msg += "; did you mean " + strings.Join(near, ", ") + "?"
	}
	return nil, errors.New(msg + " (help lists the commands)")
}
