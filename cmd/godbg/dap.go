package main

import (
	"bufio"
	"bytes"
	"fmt"
	"io"
	"log/slog"
	"net"
	"os"
	"os/signal"
	"syscall"
	"time"

	"github.com/spf13/cobra"

	"github.com/godbg/godbg/pkg/terminal"
	"github.com/godbg/godbg/service"
	"github.com/godbg/godbg/service/dap"
	"github.com/godbg/godbg/service/rpc"
)

func init() { moreCommands = append(moreCommands, dapCmd) }

func dapCmd() *cobra.Command {
	var listen string
	var allowRemote, verbose bool
	var initTimeout time.Duration
	var relay string
	c := &cobra.Command{
		Use:   "dap [--listen ADDR]",
		Short: "Serve the Debug Adapter Protocol to one editor (VS Code, nvim-dap, ...)",
		Long: `Listens for one Debug Adapter Protocol client and serves it: the client
launches a program (mode "exec" with a binary, mode "debug" with a package
directory to build), or attaches to a process (mode "local" with processId).
When the client disconnects, a launched program is killed and an attached one
keeps running, untraced; godbg then exits.

--listen takes host:port (default 127.0.0.1:0, a free port) or unix:/path (a
socket only you can open). Over TCP, connections from other users' processes
are refused. An address other machines can reach (":4711", "0.0.0.0:4711")
needs --allow-remote: anyone who can connect controls the program.

A client that sends no initialize request within --init-timeout (30s) is
dropped and the next one accepted; a message longer than 64 MiB closes the
connection.

In the debug console, "godbg CMD" runs a terminal command (godbg threads,
godbg goroutines -group userloc, godbg regs); run control (continue, next,
...) is left to the editor's buttons. Launch option console:
"integratedTerminal" runs the program's input and output in the editor's
terminal.

Editors can also attach to "godbg exec|attach|debug --headless --listen
ADDR": that listener serves DAP clients as well as godbg connect (attach
with mode "remote"; give the server's token as "token" if it has one).`,
		Args: cobra.NoArgs,
		RunE: func(c *cobra.Command, args []string) error {
			if relay != "" {
				return ttyRelay(relay)
			}
			ln, err := dap.Listen(listen, allowRemote)
			if err != nil {
				return err
			}
			if !dap.IsLoopback(ln.Addr()) {
				fmt.Fprintf(os.Stderr, "godbg: warning: listening at %s, which other machines can reach: "+
					"anyone who can connect controls the debugged program, with your uid (%d)\n", ln.Addr(), os.Getuid())
			}
			level := slog.LevelWarn
			if verbose {
				level = slog.LevelDebug
			}
			log := slog.New(slog.NewTextHandler(os.Stderr, &slog.HandlerOptions{Level: level}))
			srv := dap.NewServer(ln, dap.Config{Log: log, InitTimeout: initTimeout, Console: dapConsole, Relay: relayCommand})
			// Handled before the address is printed: whoever reads it may
			// signal at once.
			sigs := make(chan os.Signal, 1)
			signal.Notify(sigs, syscall.SIGTERM, syscall.SIGHUP, syscall.SIGINT)
			go func() {
				<-sigs
				srv.Stop()
			}()
			fmt.Printf("DAP server listening at: %s\n", dap.AddrString(ln.Addr()))
			return srv.Serve()
		},
	}
	c.Flags().StringVar(&listen, "listen", "", "host:port or unix:/path to listen at (default "+dap.DefaultAddr+")")
	c.Flags().BoolVar(&allowRemote, "allow-remote", false, "allow an address other machines can reach")
	c.Flags().StringVar(&relay, "tty-relay", "", "(internal) join this terminal to a launched program's input and output")
	c.Flags().MarkHidden("tty-relay")
	c.Flags().DurationVar(&initTimeout, "init-timeout", dap.DefaultInitTimeout, "drop a client that sends no initialize request within this time")
	c.Flags().BoolVar(&verbose, "log", false, "log every request to standard error")
	return c
}

// dapHandler serves DAP clients that connect to a headless server
// (vscode-go's "attach, mode remote"); they give the server's token, if
// it has one, as "token" in the attach configuration.
func dapHandler(token string) rpc.DAPHandler {
	log := slog.New(slog.NewTextHandler(os.Stderr, &slog.HandlerOptions{Level: slog.LevelWarn}))
	return func(nc net.Conn, r *bufio.Reader, b service.Client) {
		dap.ServeRemote(nc, r, b, dap.RemoteConfig{Log: log, Token: token, Console: dapConsole})
	}
}

// dapConsole runs terminal commands typed in an editor's debug console
// ("godbg threads").
func dapConsole(c service.Client) func(string) (string, error) {
	var buf bytes.Buffer
	t := terminal.New(c, &buf)
	return func(line string) (string, error) {
		buf.Reset()
		err := t.RunLine(line)
		return buf.String(), err
	}
}

// relayCommand is what an editor runs in its terminal for a program
// launched with console "integratedTerminal": this binary as a relay.
func relayCommand(sock string) []string {
	exe, err := os.Executable()
	if err != nil {
		exe = os.Args[0]
	}
	return []string{exe, "dap", "--tty-relay", sock}
}

// ttyRelay copies this terminal's input to the program and the
// program's output here, until the program's output ends.
func ttyRelay(sock string) error {
	c, err := net.Dial("unix", sock)
	if err != nil {
		return fmt.Errorf("--tty-relay %s: %w", sock, err)
	}
	defer c.Close()
	go func() {
		io.Copy(c, os.Stdin)
		if uc, ok := c.(*net.UnixConn); ok {
			uc.CloseWrite()
		}
	}()
	_, err = io.Copy(os.Stdout, c)
	return err
}
