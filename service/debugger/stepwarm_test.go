package debugger

import (
	"testing"
	"time"

	"github.com/godbg/godbg/internal/fixtures"
)

// TestStopPreparesStep: after a stop, before any command, the stopped
// function's code and the runtime's deferred-call code are decoded in
// the background (issue 12: a next then starts without decoding them).
func TestStopPreparesStep(t *testing.T) {
	bin := fixtures.Build(t, "stepfix")
	d, _, err := New(Config{Path: bin})
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { d.Close() })
	if _, err := d.CreateBreakpoint("", "main.main", ""); err != nil {
		t.Fatal(err)
	}
	st, err := d.Continue()
	if err != nil || st.CurrentThread == nil {
		t.Fatalf("continue: %+v %v", st, err)
	}
	want := []string{"main.main", "runtime.gopanic", "runtime.deferreturn"}
	var missing []string
	for deadline := time.Now().Add(10 * time.Second); time.Now().Before(deadline); time.Sleep(5 * time.Millisecond) {
		d.mu.Lock()
		tab := d.table()
		d.mu.Unlock()
		missing = missing[:0]
		for _, name := range want {
			fn, err := tab.LookupFunc(name)
			if err != nil {
				t.Fatal(err)
			}
			if !tab.CodeCached(fn) {
				missing = append(missing, name)
			}
		}
		if len(missing) == 0 {
			return
		}
	}
	t.Fatalf("after the stop, no decoded code for %v", missing)
}
