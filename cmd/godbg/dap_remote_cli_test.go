package main

import (
	"bufio"
	"encoding/json"
	"net"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"testing"
	"time"

	godap "github.com/google/go-dap"

	"github.com/godbg/godbg/internal/fixtures"
)

// dapConn is a minimal DAP client for the CLI tests.
type dapConn struct {
	t    *testing.T
	conn net.Conn
	r    *bufio.Reader
	seq  int
	seen []godap.Message
}

func dapDial(t *testing.T, network, addr string) *dapConn {
	t.Helper()
	conn, err := net.Dial(network, addr)
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { conn.Close() })
	conn.SetDeadline(time.Now().Add(60 * time.Second))
	return &dapConn{t: t, conn: conn, r: bufio.NewReader(conn)}
}

// do sends a request and returns its response (events are kept).
func (c *dapConn) do(command string, args any) godap.ResponseMessage {
	c.t.Helper()
	c.seq++
	b, _ := json.Marshal(map[string]any{"seq": c.seq, "type": "request", "command": command, "arguments": args})
	if err := godap.WriteBaseMessage(c.conn, b); err != nil {
		c.t.Fatal(err)
	}
	for {
		m, err := godap.ReadProtocolMessage(c.r)
		if err != nil {
			c.t.Fatalf("%s: %v", command, err)
		}
		if r, ok := m.(godap.ResponseMessage); ok && r.GetResponse().RequestSeq == c.seq {
			return r
		}
		c.seen = append(c.seen, m)
	}
}

// event waits for an event by name.
func (c *dapConn) event(name string) godap.EventMessage {
	c.t.Helper()
	for i, m := range c.seen {
		if e, ok := m.(godap.EventMessage); ok && e.GetEvent().Event == name {
			c.seen = append(c.seen[:i], c.seen[i+1:]...)
			return e
		}
	}
	for {
		m, err := godap.ReadProtocolMessage(c.r)
		if err != nil {
			c.t.Fatalf("waiting for %s: %v", name, err)
		}
		if e, ok := m.(godap.EventMessage); ok && e.GetEvent().Event == name {
			return e
		}
		c.seen = append(c.seen, m)
	}
}

func dapErr(r godap.ResponseMessage) string {
	if e, ok := r.(*godap.ErrorResponse); ok && e.Body.Error != nil {
		return e.Body.Error.Format
	}
	return r.GetResponse().Message
}

// TestHeadlessDAPRemoteAttach: a DAP client on a headless server's
// listener (vscode-go's attach, mode remote) with the server's token
// debugs the launched program; a JSON-RPC client is still told apart;
// the DAP client's disconnect ends the single-client server, which kills
// what it launched.
func TestHeadlessDAPRemoteAttach(t *testing.T) {
	bin := fixtures.Build(t, "bpgo")
	dir := t.TempDir()
	tokenFile := filepath.Join(dir, "token")
	os.WriteFile(tokenFile, []byte("s3cret\n"), 0o600)
	srv, addr := headless(t, "exec", "--headless", "--auth-token-file", tokenFile, bin)

	c := dapDial(t, "tcp", addr)
	if r := c.do("initialize", map[string]any{"adapterID": "go", "pathFormat": "path"}); !r.GetResponse().Success {
		t.Fatalf("initialize: %s", dapErr(r))
	}
	for _, a := range []map[string]any{{"mode": "remote"}, {"mode": "remote", "token": "wrong"}} {
		if r := c.do("attach", a); r.GetResponse().Success || !strings.Contains(dapErr(r), "needs its token") {
			t.Fatalf("attach %v: %+v", a, r)
		}
	}
	if r := c.do("launch", map[string]any{"program": bin}); r.GetResponse().Success || !strings.Contains(dapErr(r), `mode "remote"`) {
		t.Fatalf("launch on a headless server: %+v", r)
	}
	if r := c.do("attach", map[string]any{"mode": "remote", "token": "s3cret"}); !r.GetResponse().Success {
		t.Fatalf("attach: %s", dapErr(r))
	}
	pid := c.event("process").(*godap.ProcessEvent).Body.SystemProcessId
	c.event("initialized")
	bp := c.do("setFunctionBreakpoints", map[string]any{"breakpoints": []map[string]any{{"name": "main.hot", "hitCondition": "3"}}})
	if b := bp.(*godap.SetFunctionBreakpointsResponse).Body.Breakpoints; len(b) != 1 || !b[0].Verified {
		t.Fatalf("breakpoint: %+v", b)
	}
	c.do("configurationDone", nil)
	st := c.event("stopped").(*godap.StoppedEvent)
	frames := c.do("stackTrace", map[string]any{"threadId": st.Body.ThreadId, "levels": 1}).(*godap.StackTraceResponse).Body.StackFrames
	if st.Body.Reason != "breakpoint" || len(frames) != 1 || frames[0].Name != "main.hot" {
		t.Fatalf("stopped %+v at %+v", st.Body, frames)
	}
	// A JSON-RPC client is refused as the second client of a
	// single-client server: it was recognised as one.
	out, code := run(t, "threads\n", "connect", addr, "--auth-token", "s3cret")
	if code != 1 || !strings.Contains(out, "refused") {
		t.Fatalf("second client: exit %d\n%s", code, out)
	}
	c.do("disconnect", map[string]any{})
	if code := waitEnd(t, srv); code != 0 {
		t.Fatalf("server exit %d\n%s", code, srv.output())
	}
	gone(t, pid)
}

// TestHeadlessDAPMulticlient: with --accept-multiclient a DAP client's
// disconnect keeps the server and the program, stopped where it was; the
// next DAP client sees the same stop (and sets its breakpoints anew: the
// first client's left with it); a JSON-RPC client then ends it.
func TestHeadlessDAPMulticlient(t *testing.T) {
	bin := fixtures.Build(t, "bpgo")
	srv, addr := headless(t, "exec", "--headless", "--accept-multiclient", bin)
	var pid, g int
	for i := 0; i < 2; i++ {
		c := dapDial(t, "tcp", addr)
		c.do("initialize", map[string]any{"adapterID": "go"})
		if r := c.do("attach", map[string]any{"mode": "remote"}); !r.GetResponse().Success {
			t.Fatalf("client %d: attach: %s", i, dapErr(r))
		}
		pid = c.event("process").(*godap.ProcessEvent).Body.SystemProcessId
		c.event("initialized")
		if i == 0 {
			c.do("setFunctionBreakpoints", map[string]any{"breakpoints": []map[string]any{{"name": "main.hot"}}})
			c.do("configurationDone", nil)
			g = c.event("stopped").(*godap.StoppedEvent).Body.ThreadId
		}
		frames := c.do("stackTrace", map[string]any{"threadId": g, "levels": 1}).(*godap.StackTraceResponse).Body.StackFrames
		if len(frames) != 1 || frames[0].Name != "main.hot" {
			t.Fatalf("client %d: goroutine %d at %+v", i, g, frames)
		}
		if i == 1 { // the editor sets its breakpoints again: the first client's are gone
			bp := c.do("setFunctionBreakpoints", map[string]any{"breakpoints": []map[string]any{{"name": "main.hot"}}})
			if b := bp.(*godap.SetFunctionBreakpointsResponse).Body.Breakpoints; len(b) != 1 || !b[0].Verified {
				t.Fatalf("client 1: breakpoint: %+v", b)
			}
		}
		c.do("disconnect", map[string]any{})
	}
	last, code := run(t, "exit\n", "connect", "--shutdown-on-exit", addr)
	if code != 0 {
		t.Fatalf("ending client: exit %d\n%s", code, last)
	}
	if code := waitEnd(t, srv); code != 0 {
		t.Fatalf("server exit %d\n%s", code, srv.output())
	}
	gone(t, pid)
}

// TestDAPConsoleCommands: "godbg CMD" in the debug console runs a
// terminal command and answers with its text; run control is refused
// (the editor's buttons do it); a bad command gets an error.
func TestDAPConsoleCommands(t *testing.T) {
	bin := fixtures.Build(t, "bpgo")
	_, addr, _ := dapStart(t)
	c := dapDial(t, "tcp", addr)
	c.do("initialize", map[string]any{"adapterID": "go"})
	if r := c.do("launch", map[string]any{"mode": "exec", "program": bin}); !r.GetResponse().Success {
		t.Fatalf("launch: %s", dapErr(r))
	}
	c.event("initialized")
	c.do("setFunctionBreakpoints", map[string]any{"breakpoints": []map[string]any{{"name": "main.hot"}}})
	c.do("configurationDone", nil)
	c.event("stopped")
	eval := func(line string) godap.ResponseMessage {
		return c.do("evaluate", map[string]any{"expression": line, "context": "repl"})
	}
	for line, want := range map[string]string{
		"godbg threads":                   "Thread ",
		"godbg goroutines -group userloc": "main.hot",
		"dlv bt":                          "main.hot",
		"godbg print i*2+1":               "",
	} {
		r := eval(line)
		if !r.GetResponse().Success {
			t.Fatalf("%s: %s", line, dapErr(r))
		}
		if out := r.(*godap.EvaluateResponse).Body.Result; !strings.Contains(out, want) || out == "" {
			t.Errorf("%s: %q, want %q", line, out, want)
		}
	}
	for line, want := range map[string]string{
		"godbg continue": "the editor runs the program",
		"godbg nosuch":   "nosuch",
		"threads":        `type "godbg threads"`,
	} {
		if r := eval(line); r.GetResponse().Success || !strings.Contains(dapErr(r), want) {
			t.Errorf("%s: %+v, want an error with %q", line, r, want)
		}
	}
	c.do("disconnect", map[string]any{})
}

// TestDAPRunInTerminal: console "integratedTerminal" asks the client to
// run godbg's relay in its terminal (runInTerminal); the program reads
// what is typed there and writes there.
func TestDAPRunInTerminal(t *testing.T) {
	bin := fixtures.Build(t, "../service/dap/testdata/dapfix")
	_, addr, _ := dapStart(t)
	c := dapDial(t, "tcp", addr)
	c.do("initialize", map[string]any{"adapterID": "go", "supportsRunInTerminalRequest": true})
	c.seq++
	launchSeq := c.seq
	b, _ := json.Marshal(map[string]any{"seq": c.seq, "type": "request", "command": "launch",
		"arguments": map[string]any{"mode": "exec", "program": bin, "args": []string{"echo"}, "console": "integratedTerminal"}})
	godap.WriteBaseMessage(c.conn, b)
	var term *exec.Cmd
	var out strings.Builder
	for term == nil {
		m, err := godap.ReadProtocolMessage(c.r)
		if err != nil {
			t.Fatal(err)
		}
		switch m := m.(type) {
		case *godap.RunInTerminalRequest:
			a := m.Arguments
			if a.Kind != "integrated" || len(a.Args) < 2 {
				t.Fatalf("runInTerminal: %+v", a)
			}
			term = exec.Command(a.Args[0], a.Args[1:]...)
			term.Dir, term.Stdin, term.Stdout = a.Cwd, strings.NewReader("hello\n"), &out
			if err := term.Start(); err != nil {
				t.Fatal(err)
			}
			t.Cleanup(func() { term.Process.Kill(); term.Wait() })
		case godap.ResponseMessage:
			t.Fatalf("launch answered before the terminal ran: %+v", m)
		}
	}
	for {
		m, err := godap.ReadProtocolMessage(c.r)
		if err != nil {
			t.Fatal(err)
		}
		if r, ok := m.(godap.ResponseMessage); ok && r.GetResponse().RequestSeq == launchSeq {
			if !r.GetResponse().Success {
				t.Fatalf("launch: %s", dapErr(r))
			}
			break
		}
	}
	c.do("configurationDone", nil)
	if ex := c.event("exited").(*godap.ExitedEvent); ex.Body.ExitCode != 0 {
		t.Errorf("exit code %d", ex.Body.ExitCode)
	}
	if err := term.Wait(); err != nil || out.String() != "got hello\n" {
		t.Errorf("terminal: %q (%v), want \"got hello\\n\"", out.String(), err)
	}
	c.do("disconnect", map[string]any{})
}
