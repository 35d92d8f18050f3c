package terminal

import (
	"errors"
	"strings"
	"testing"

	"github.com/godbg/godbg/service"
	"github.com/godbg/godbg/service/api"
)

// listingClient answers ListSource only (printStop's one call for a
// stop without displays), logging it.
type listingClient struct {
	service.Client
	log *[]string
}

func (c listingClient) ListSource(string, int) (*api.SourceListing, error) {
	*c.log = append(*c.log, "list")
	return nil, errors.New("no source in this test")
}

type logWriter struct{ log *[]string }

func (w logWriter) Write(b []byte) (int, error) {
	*w.log = append(*w.log, "write "+strings.TrimSpace(string(b)))
	return len(b), nil
}

// TestStopHeaderYields (issue 12): a stop's header is written, then the
// CPU is offered to its reader, before the listing is fetched.
func TestStopHeaderYields(t *testing.T) {
	var log []string
	defer func(f func()) { yieldCPU = f }(yieldCPU)
	yieldCPU = func() { log = append(log, "yield") }
	term := New(listingClient{log: &log}, logWriter{&log})
	term.printStop(&api.State{Reason: "stepped", CurrentThread: &api.Thread{ID: 7,
		Location: api.Location{Function: "main.main", File: "/src/main.go", Line: 31, PC: 0x4a0000}}})
	want := []string{"write > main.main() /src/main.go:31 (PC: 0x4a0000) (thread 7)", "yield", "list"}
	if strings.Join(log, "\n") != strings.Join(want, "\n") {
		t.Fatalf("printStop did\n%s\nwant\n%s", strings.Join(log, "\n"), strings.Join(want, "\n"))
	}
}
