package main

import (
	"fmt"
	"os"
	"syscall"

	"github.com/spf13/cobra"

	"github.com/godbg/godbg/pkg/terminal"
	"github.com/godbg/godbg/service/rpc"
)

func init() { moreCommands = append(moreCommands, connectCmd) }

type connectFlags struct {
	init, token, tokenFile string
	shutdown               bool
}

func connectCmd() *cobra.Command {
	var f connectFlags
	c := &cobra.Command{
		Use:   "connect <addr> [--auth-token TOKEN | --auth-token-file FILE] [--init FILE]",
		Short: "Run the terminal against a headless godbg (exec|attach|debug --headless)",
		Long: `Connects to the server that godbg exec|attach|debug --headless started (<addr> is what it
printed: host:port or unix:PATH) and runs the terminal as a local session does; Ctrl-C
halts the program. Exit ends the server's session (a launched program is killed, an
attached one detached), unless the server was started with --accept-multiclient: then the
session and the stopped program wait for the next client.`,
		Args: cobra.ExactArgs(1),
		RunE: func(c *cobra.Command, args []string) error { return runConnect(args[0], &f) },
	}
	c.Flags().StringVar(&f.init, "init", "", "file of commands to run before reading the terminal or standard input")
	registerTokenFlags(c, &f.token, &f.tokenFile, "the token the server was started with")
	c.Flags().BoolVar(&f.shutdown, "shutdown-on-exit", false,
		"end the server and its session at exit even when it accepts several clients")
	return c
}

func runConnect(addr string, f *connectFlags) error {
	if f.init != "" {
		if err := checkInitFile(f.init); err != nil {
			return err
		}
	}
	token, err := authToken(f.token, f.tokenFile)
	if err != nil {
		return err
	}
	out := terminal.NewSyncWriter(os.Stdout)
	cl, err := rpc.Dial(addr, rpc.DialConfig{
		Token:   token,
		OnEvent: out.Event,
		OnLost:  func(err error) { fmt.Fprintf(out, "godbg: %v\n", err) },
	})
	if err != nil {
		return err
	}
	cl.SetShutdownOnClose(f.shutdown)
	st, err := cl.State()
	if err != nil {
		cl.Close()
		return err
	}
	go endOnSignal(cl, out, syscall.SIGTERM, syscall.SIGHUP)
	term := terminal.New(cl, out)
	term.UseConfig(loadConfig()) // flow: aliases, limits (substitute-path is the server's)
	terminal.PrintState(out, st)
	exited := false
	if f.init != "" {
		if exited, err = term.RunFile(f.init); err != nil {
			cl.Close()
			return err
		}
	}
	if !exited {
		term.Run(os.Stdin)
	}
	return closeSession(cl, out)
}
