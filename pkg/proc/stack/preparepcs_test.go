package stack

import (
	"testing"

	"github.com/godbg/godbg/internal/fixtures"
	"github.com/godbg/godbg/pkg/symbols"
)

// TestPreparePCs: the call frame rows and lines of the pcs given are
// computed ahead (issue 12: a step's temporary breakpoint, when hit,
// finds them in the caches).
func TestPreparePCs(t *testing.T) {
	tab, err := symbols.Open(fixtures.Build(t, "stackfix"))
	if err != nil {
		t.Fatal(err)
	}
	defer tab.Close()
	defer Forget(tab)
	fn, err := tab.LookupFunc("main.main")
	if err != nil {
		t.Fatal(err)
	}
	var pcs []uint64
	for _, in := range symbols.LineStarts(tab.FuncCode(fn), tab.FirstStmtPC(fn)) {
		pcs = append(pcs, in.PC)
	}
	if len(pcs) < 2 {
		t.Fatalf("main.main has %d line starts", len(pcs))
	}
	PreparePCs(tab, pcs)
	im := imageFor(tab)
	for _, pc := range pcs {
		im.rows.mu.RLock()
		r, okRow := im.rows.rows[pc]
		im.rows.mu.RUnlock()
		im.lines.mu.RLock()
		li, okLine := im.lines.lines[pc]
		im.lines.mu.RUnlock()
		if !okRow || r == nil || r.err != nil || !okLine || li.fn != "main.main" {
			t.Fatalf("pc %#x: row cached %v (%+v), line cached %v (%+v)", pc, okRow, r, okLine, li)
		}
	}
}
