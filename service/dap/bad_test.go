package dap_test

import (
	"fmt"
	"strings"
	"testing"

	godap "github.com/google/go-dap"
)

// TestBadMessages: junk, non-JSON, unknown commands, bad arguments and
// requests out of place get error responses, and the server goes on.
func TestBadMessages(t *testing.T) {
	c := dial(t, "tcp", startServer(t))

	c.sendRaw([]byte("hello, this is not DAP\r\n"))
	checkJunk(t, c, "not a DAP header")
	c.sendRaw([]byte("Content-Length: 9\r\n\r\nnot json!"))
	checkJunk(t, c, "not JSON")
	c.sendRaw([]byte("Content-Length: x\r\n"))
	checkJunk(t, c, "Content-Length must be a number")
	c.sendRaw([]byte("\r\n"))
	checkJunk(t, c, "not a DAP header")
	// Junk glued to a real request: reported, and the request answered.
	body := `{"seq":50,"type":"request","command":"initialize","arguments":{"adapterID":"x"}}`
	c.sendRaw([]byte(fmt.Sprintf("xyzContent-Length: %d\r\n\r\n%s", len(body), body)))
	checkJunk(t, c, "ignored 3 bytes")
	if r := c.response(50); !r.GetResponse().Success {
		t.Fatalf("initialize after junk: %+v", r)
	}

	c.fail("frobnicate", map[string]any{}, `unknown command "frobnicate"`)
	c.fail("threads", nil, "no program is being debugged")
	c.fail("stackTrace", map[string]any{"threadId": 1}, "no program is being debugged")
	c.fail("configurationDone", nil, "no program is being debugged")
	c.fail("setBreakpoints", map[string]any{"source": map[string]any{"path": "/x.go"}, "breakpoints": []any{}}, "no program is being debugged")
	c.fail("continue", map[string]any{"threadId": 1}, "no program is being debugged")
	c.fail("launch", map[string]any{"mode": "exec"}, `"program" is required`)
	c.fail("launch", nil, "bad arguments")
	c.fail("launch", map[string]any{"program": 5}, "bad arguments")
	c.fail("launch", map[string]any{"mode": "exec", "program": "/no/such/binary"}, "no such file")
	c.fail("launch", map[string]any{"mode": "core", "program": "/bin/true"}, `needs "coreFilePath"`)
	c.fail("launch", map[string]any{"mode": "nonsense", "program": "/bin/true"}, `mode "nonsense" is not supported`)
	c.fail("launch", map[string]any{"mode": "debug", "program": t.TempDir()}, "building")
	c.fail("attach", map[string]any{"mode": "local"}, `"processId"`)
	c.fail("attach", map[string]any{"mode": "remote", "processId": 1}, `mode "remote" is for a godbg --headless server`)
	c.fail("attach", map[string]any{"mode": "local", "processId": 99999999}, "99999999")
	c.fail("variables", map[string]any{"variablesReference": "seven"}, "bad arguments")
	c.fail("disassemble", map[string]any{"memoryReference": "0x1"}, "no program is being debugged")
	c.fail("stepBack", map[string]any{"threadId": 1}, "not supported")
	c.fail("initialize", map[string]any{"pathFormat": "uri"}, "pathFormat")
	if caps := c.initialize(); !caps.SupportsConfigurationDoneRequest {
		t.Fatalf("initialize after the errors: %+v", caps)
	}
	c.ok("disconnect", nil)
}

// checkJunk expects an error response to a message the server could not
// read (request_seq 0).
func checkJunk(t *testing.T, c *client, want string) {
	t.Helper()
	r := c.response(0)
	er, ok := r.(*godap.ErrorResponse)
	if !ok || er.Success || er.Body.Error == nil {
		t.Fatalf("junk answered with %+v", r)
	}
	if msg := errText(r); !strings.Contains(msg, want) {
		t.Fatalf("junk answered %q, want %q", msg, want)
	}
}
