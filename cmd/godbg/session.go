package main

import (
	"fmt"
	"io"
	"os"
	"os/signal"
	"strings"
	"syscall"
	"time"

	"github.com/spf13/cobra"

	"github.com/godbg/godbg/pkg/terminal"
	"github.com/godbg/godbg/service"
	"github.com/godbg/godbg/service/debugger"
	"github.com/godbg/godbg/service/rpc"
)

var _ service.Client = (*debugger.Debugger)(nil)

// sessionFlags are shared by exec, attach and debug.
type sessionFlags struct {
	init          string
	traceSyscalls bool
	catchSyscalls []string
	// headless serves the session over JSON-RPC (godbg connect).
	headless      bool
	listen        string
	multiclient   bool
	allowRemote   bool
	authToken     string
	authTokenFile string
	// flow: cont runs the program at once (--continue, exec/debug/test);
	// rebuild builds a program godbg built again (debug, test).
	cont    bool
	rebuild func() error
}

func (f *sessionFlags) register(c *cobra.Command) {
	c.Flags().StringVar(&f.init, "init", "", "file of commands to run before reading the terminal or standard input")
	c.Flags().BoolVar(&f.traceSyscalls, "trace-syscalls", false, "print every system call of every thread as it happens, strace-style, without stopping")
	c.Flags().StringSliceVar(&f.catchSyscalls, "catch-syscalls", nil,
		"system calls (names or numbers, comma-separated) to catch from the start through a seccomp-bpf filter: "+
			"the program stops only at those, every other call runs at full speed (exec and debug only)")
	c.Flags().BoolVar(&f.headless, "headless", false, "serve the session over JSON-RPC instead of running the terminal; godbg connect ADDR runs it")
	c.Flags().StringVar(&f.listen, "listen", "", "with --headless: host:port or unix:PATH to listen on (default 127.0.0.1:0, a free loopback port)")
	c.Flags().BoolVar(&f.multiclient, "accept-multiclient", false,
		"with --headless: a client that exits leaves the server and the stopped program for the next one (default: the first client's exit ends both)")
	c.Flags().BoolVar(&f.allowRemote, "allow-remote", false,
		"with --headless: allow a --listen address other hosts can reach; anyone who connects controls the program")
	registerTokenFlags(c, &f.authToken, &f.authTokenFile, "with --headless: clients must present this token")
}

// registerTokenFlags adds --auth-token and --auth-token-file.
func registerTokenFlags(c *cobra.Command, token, file *string, what string) {
	c.Flags().StringVar(token, "auth-token", "", what+" (every user can read it in ps; prefer $"+tokenEnv+" or --auth-token-file)")
	c.Flags().StringVar(file, "auth-token-file", "", "read --auth-token from this file (mode 0600 or 0400: one readable by group or others is refused)")
}

// tokenEnv is the environment variable that gives the token; it is
// removed from godbg's environment once read (a launched program does not
// inherit it).
const tokenEnv = "GODBG_AUTH_TOKEN"

// authToken is the token from --auth-token, --auth-token-file or
// $GODBG_AUTH_TOKEN. A token on the command line draws a warning: every
// user reads it in /proc/PID/cmdline.
func authToken(token, file string) (string, error) {
	env, inEnv := os.LookupEnv(tokenEnv)
	os.Unsetenv(tokenEnv)
	if file == "" {
		if token != "" {
			fmt.Fprintf(os.Stderr, "godbg: warning: --auth-token on the command line is readable by every user of this machine "+
				"(/proc/%d/cmdline, ps); give it in $%s or --auth-token-file instead\n", os.Getpid(), tokenEnv)
			return token, nil
		}
		if inEnv && strings.TrimSpace(env) == "" {
			return "", fmt.Errorf("$%s is empty; put the token in it, or unset it", tokenEnv)
		}
		return strings.TrimSpace(env), nil
	}
	if token != "" {
		return "", fmt.Errorf("give --auth-token or --auth-token-file, not both")
	}
	return readTokenFile(file)
}

// readTokenFile reads a token from a file only its owner can read.
func readTokenFile(file string) (string, error) {
	f, err := os.Open(file)
	if err != nil {
		return "", fmt.Errorf("--auth-token-file: %w", err)
	}
	defer f.Close()
	st, err := f.Stat()
	if err != nil {
		return "", fmt.Errorf("--auth-token-file: %w", err)
	}
	if st.IsDir() {
		return "", fmt.Errorf("--auth-token-file %s is a directory; give the file that holds the token", file)
	}
	if perm := st.Mode().Perm(); perm&0o044 != 0 {
		return "", fmt.Errorf("--auth-token-file %s is readable by group or others (mode %04o), so the token is not secret; chmod 600 %s", file, perm, file)
	}
	b, err := io.ReadAll(io.LimitReader(f, 1<<16))
	if err != nil {
		return "", fmt.Errorf("--auth-token-file: %w", err)
	}
	t := strings.TrimSpace(string(b))
	if t == "" {
		return "", fmt.Errorf("--auth-token-file %s is empty; put the token in it", file)
	}
	return t, nil
}

// check refuses flags that make no sense together.
func (f *sessionFlags) check(cfg debugger.Config) error {
	if f.init != "" {
		if f.headless {
			return fmt.Errorf("--init runs terminal commands; with --headless give it to godbg connect --init")
		}
		if err := checkInitFile(f.init); err != nil {
			return err
		}
	}
	if !f.headless && (f.listen != "" || f.multiclient || f.allowRemote || f.authToken != "" || f.authTokenFile != "") {
		return fmt.Errorf("--listen, --accept-multiclient, --allow-remote and --auth-token* go with --headless")
	}
	if len(f.catchSyscalls) > 0 && cfg.AttachPid != 0 {
		return fmt.Errorf("--catch-syscalls works only for a program godbg starts (the filter is installed before it runs); after attach, use catch syscall")
	}
	return nil
}

// runSession starts the debugger with cfg, runs the init file and then the
// commands from standard input, and applies the teardown policy at the end.
// With --headless it serves the session instead (serveHeadless).
func runSession(cfg debugger.Config, flags *sessionFlags) error {
	if err := flags.check(cfg); err != nil {
		return err
	}
	cfg.TraceSyscalls = flags.traceSyscalls
	cfg.CatchSyscalls = flags.catchSyscalls
	if flags.headless {
		return serveHeadless(cfg, flags)
	}
	out := terminal.NewSyncWriter(os.Stdout)
	cfg.OnEvent = out.Event
	conf, confPath := useConfig(&cfg) // flow
	d, st, err := debugger.New(cfg)
	if err != nil {
		return err
	}
	go endOnSignal(d, out, syscall.SIGTERM, syscall.SIGHUP)
	term := terminal.New(d, out)
	term.UseConfig(conf, confPath)
	if flags.rebuild != nil {
		term.SetRebuild(flags.rebuild)
	}
	terminal.PrintState(out, st)
	exited := false
	if flags.cont {
		exited = term.Exec("continue")
	}
	if !exited && flags.init != "" {
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

// serveHeadless listens, starts the debugger and serves the session until
// its client leaves (or, with --accept-multiclient, one ends it).
func serveHeadless(cfg debugger.Config, flags *sessionFlags) error {
	token, err := authToken(flags.authToken, flags.authTokenFile)
	if err != nil {
		return err
	}
	l, err := rpc.Listen(rpc.ListenConfig{Addr: flags.listen, AllowRemote: flags.allowRemote})
	if err != nil {
		return err
	}
	defer l.Close()
	out := terminal.NewSyncWriter(os.Stdout)
	srv := rpc.NewServer(rpc.ServerConfig{
		Multiclient: flags.multiclient,
		Token:       token,
		Teardown:    func(c service.Client) error { return closeSession(c, out) },
		Log:         os.Stderr,
		DAP:         dapHandler(token), // dap: DAP clients on the same listener
	})
	cfg.OnEvent = srv.Event
	useConfig(&cfg) // flow
	d, _, err := debugger.New(cfg)
	if err != nil {
		return err
	}
	if l.Remote() {
		protected := "no token protects it"
		if token != "" {
			protected = "only the token protects it"
		}
		fmt.Fprintf(os.Stderr, "godbg: warning: the API server at %s can be reached from other hosts and %s; "+
			"anyone who connects controls the program and can run code as uid %d\n", l.Address(), protected, os.Geteuid())
	}
	sigs := notify(syscall.SIGTERM, syscall.SIGHUP, syscall.SIGINT)
	go waitAndEnd(d, out, sigs, func() { l.Close() }) // removes a unix socket
	fmt.Fprintf(out, "API server listening at: %s\n", l.Address())
	if flags.cont {
		go d.Continue()
	}
	return srv.Serve(l, d)
}

// closeSession kills what we launched and detaches from what we attached,
// or, for a client of a multiclient server, leaves the session as it is.
func closeSession(d service.Client, out io.Writer) error {
	if rc, ok := d.(*rpc.Client); ok && rc.LeavesOnClose() {
		if err := rc.Close(); err != nil {
			return err
		}
		fmt.Fprintf(out, "Left the session to the server at %s; godbg connect %s goes on with it\n", rc.Addr(), rc.Addr())
		return nil
	}
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
// (SIGTERM, SIGHUP; SIGINT for a headless server): the program is halted,
// then killed if launched or detached, breakpoints removed, if attached.
// Never leave a tracee stopped or with an int3 in its text.
func endOnSignal(d service.Client, out io.Writer, which ...os.Signal) {
	waitAndEnd(d, out, notify(which...), nil)
}

// notify starts catching signals now (before the caller announces itself:
// whoever reads the announcement may signal at once).
func notify(which ...os.Signal) chan os.Signal {
	sigs := make(chan os.Signal, 1)
	signal.Notify(sigs, which...)
	return sigs
}

// waitAndEnd ends the session at the first of sigs, runs cleanup (if not
// nil) and exits with status 1.
func waitAndEnd(d service.Client, out io.Writer, sigs chan os.Signal, cleanup func()) {
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
	if cleanup != nil {
		cleanup()
	}
	for _, f := range atExit {
		f()
	}
	fmt.Fprintf(os.Stderr, "godbg: %v: session ended\n", sig)
	if err != nil {
		fmt.Fprintf(os.Stderr, "godbg: %v\n", err)
	}
	os.Exit(1)
}

// checkInitFile refuses an --init path that is missing or a directory.
func checkInitFile(path string) error {
	fi, err := os.Stat(path)
	if err != nil {
		return fmt.Errorf("--init %s: %w", path, err)
	}
	if fi.IsDir() {
		return fmt.Errorf("--init %s is a directory; give a file of commands", path)
	}
	return nil
}
