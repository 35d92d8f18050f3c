package main

import (
	"fmt"
	"os"
	"os/signal"
	"syscall"
	"time"

	"github.com/spf13/cobra"

	"github.com/godbg/godbg/pkg/terminal"
	"github.com/godbg/godbg/service"
	"github.com/godbg/godbg/service/debugger"
)

var _ service.Client = (*debugger.Debugger)(nil)

// sessionFlags are shared by exec, attach and debug.
type sessionFlags struct {
	init          string
	traceSyscalls bool
	catchSyscalls []string
}

func (f *sessionFlags) register(c *cobra.Command) {
	c.Flags().StringVar(&f.init, "init", "", "file of commands to run before reading the terminal or standard input")
	c.Flags().BoolVar(&f.traceSyscalls, "trace-syscalls", false, "print every system call of every thread as it happens, strace-style, without stopping")
	c.Flags().StringSliceVar(&f.catchSyscalls, "catch-syscalls", nil,
		"system calls (names or numbers, comma-separated) to catch from the start through a seccomp-bpf filter: "+
			"the program stops only at those, every other call runs at full speed (exec and debug only)")
}

// runSession starts the debugger with cfg, runs the init file and then the
// commands from standard input, and applies the teardown policy at the end.
func runSession(cfg debugger.Config, flags *sessionFlags) error {
	if flags.init != "" {
		if _, err := os.Stat(flags.init); err != nil {
			return fmt.Errorf("--init %s: %w", flags.init, err)
		}
	}
	out := terminal.NewSyncWriter(os.Stdout)
	cfg.OnEvent = out.Event
	cfg.TraceSyscalls = flags.traceSyscalls
	if len(flags.catchSyscalls) > 0 && cfg.AttachPid != 0 {
		return fmt.Errorf("--catch-syscalls works only for a program godbg starts (the filter is installed before it runs); after attach, use catch syscall")
	}
	cfg.CatchSyscalls = flags.catchSyscalls
	d, st, err := debugger.New(cfg)
	if err != nil {
		return err
	}
	go endOnSignal(d, out)
	term := terminal.New(d, out)
	terminal.PrintState(out, st)
	exited := false
	if flags.init != "" {
		if exited, err = term.RunFile(flags.init); err != nil {
			d.Close()
			return err
		}
	}
	if !exited {
		term.Run(os.Stdin)
	}
	return closeSession(d, out)
}

// closeSession kills what we launched and detaches from what we attached.
func closeSession(d *debugger.Debugger, out *terminal.SyncWriter) error {
	st, _ := d.State()
	if err := d.Close(); err != nil {
		return fmt.Errorf("ending the session: %w", err)
	}
	if st == nil || st.Exited || st.Detached || st.Core != "" {
		return nil
	}
	if st.Launched {
		fmt.Fprintf(out, "Process %d killed\n", st.Pid)
	} else {
		fmt.Fprintf(out, "Detached from process %d; it keeps running\n", st.Pid)
	}
	return nil
}

// endOnSignal ends the session cleanly when godbg is told to terminate
// (SIGTERM, SIGHUP): the program is halted, then killed if launched or
// detached, breakpoints removed, if attached. Never leave a tracee
// stopped or with an int3 in its text.
func endOnSignal(d *debugger.Debugger, out *terminal.SyncWriter) {
	sigs := make(chan os.Signal, 1)
	signal.Notify(sigs, syscall.SIGTERM, syscall.SIGHUP)
	sig := <-sigs
	done := make(chan struct{})
	go func() {
		for {
			select {
			case <-done:
				return
			case <-time.After(50 * time.Millisecond):
				d.Halt()
			}
		}
	}()
	d.Halt()
	err := closeSession(d, out)
	close(done)
	fmt.Fprintf(os.Stderr, "godbg: %v: session ended\n", sig)
	if err != nil {
		fmt.Fprintf(os.Stderr, "godbg: %v\n", err)
	}
	os.Exit(1)
}
