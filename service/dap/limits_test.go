package dap_test

import (
	"strings"
	"testing"
	"time"

	godap "github.com/google/go-dap"

	"github.com/godbg/godbg/service/dap"
)

// closedWith checks that the server answered with an error containing
// want and closed the connection within a second.
func closedWith(t *testing.T, c *client, want string) {
	t.Helper()
	t0 := time.Now()
	msgs := c.closed(5 * time.Second)
	if took := time.Since(t0); took > time.Second {
		t.Errorf("the connection was closed after %v; want at once", took)
	}
	for _, m := range msgs {
		if er, ok := m.(*godap.ErrorResponse); ok && strings.Contains(errText(er), want) {
			return
		}
	}
	t.Fatalf("no error response with %q before the close: %+v", want, msgs)
}

// TestOverLongMessage: a Content-Length over the 64 MiB cap is refused
// at once (nothing is read or buffered) and the connection closed; the
// server then serves the next client.
func TestOverLongMessage(t *testing.T) {
	addr := startServer(t)
	for _, n := range []string{"10000000000", "99999999999999999999999999", "67108865"} {
		c := dial(t, "tcp", addr)
		c.sendRaw([]byte("Content-Length: " + n + "\r\n\r\n{\"seq\":1,"))
		closedWith(t, c, "over the limit of 67108864 bytes")
	}
	c := dial(t, "tcp", addr)
	if caps := c.initialize(); !caps.SupportsConfigurationDoneRequest {
		t.Fatalf("initialize after the dropped clients: %+v", caps)
	}
	c.ok("disconnect", nil)
}

// TestInitializeTimeout: a connection that sends no initialize (nothing,
// or only junk) is dropped after InitTimeout and the next client served;
// one that initialized may then stay idle.
func TestInitializeTimeout(t *testing.T) {
	const timeout = 300 * time.Millisecond
	addr := startServerConfig(t, dap.Config{InitTimeout: timeout})
	silent := dial(t, "tcp", addr)
	t0 := time.Now()
	closedWith(t, silent, "no initialize request within 300ms")
	if took := time.Since(t0); took < timeout*3/4 { // the server's clock started at accept
		t.Errorf("dropped after %v, before the timeout of %v", took, timeout)
	}
	junk := dial(t, "tcp", addr)
	for i := 0; i < 3; i++ {
		junk.sendRaw([]byte("junk\r\n"))
		time.Sleep(timeout / 4)
	}
	closedWith(t, junk, "no initialize request")

	c := dial(t, "tcp", addr)
	c.initialize()
	time.Sleep(2 * timeout)
	c.fail("threads", nil, "no program is being debugged") // still served
	c.ok("disconnect", nil)
}
