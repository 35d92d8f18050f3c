package dap

import (
	"bufio"
	"encoding/json"
	"log/slog"
	"net"
	"strings"
	"testing"
	"time"

	"github.com/google/go-dap"

	"github.com/godbg/godbg/service"
)

// panicky is a client whose every method panics (a nil interface).
type panicky struct{ service.Client }

// TestPanicBecomesError: a panic while answering is an error response,
// and the server answers the next request.
func TestPanicBecomesError(t *testing.T) {
	a, b := net.Pipe()
	defer b.Close()
	s := newSession(a, slog.New(slog.DiscardHandler))
	s.client = panicky{}
	done := make(chan struct{})
	go func() {
		s.serve()
		close(done)
	}()
	r := bufio.NewReader(b)
	ask := func(seq int, command string) dap.Message {
		body, _ := json.Marshal(map[string]any{"seq": seq, "type": "request", "command": command, "arguments": map[string]any{"threadId": 1}})
		if err := dap.WriteBaseMessage(b, body); err != nil {
			t.Fatal(err)
		}
		b.SetReadDeadline(time.Now().Add(10 * time.Second))
		m, err := dap.ReadProtocolMessage(r)
		if err != nil {
			t.Fatal(err)
		}
		return m
	}
	for i, cmd := range []string{"threads", "stackTrace", "next"} {
		m := ask(i+1, cmd)
		er, ok := m.(*dap.ErrorResponse)
		if !ok || er.RequestSeq != i+1 || !strings.Contains(er.Body.Error.Format, "internal error in "+cmd) {
			t.Fatalf("%s: %#v", cmd, m)
		}
	}
	if m := ask(9, "initialize"); !m.(dap.ResponseMessage).GetResponse().Success {
		t.Fatalf("initialize after panics: %#v", m)
	}
	b.Close()
	select {
	case <-done:
	case <-time.After(10 * time.Second):
		t.Fatal("serve did not end when the connection closed")
	}
}
