package symbols_test

import (
	"sync"
	"testing"

	"github.com/godbg/godbg/pkg/symbols"
)

// TestFuncCodeCached: FuncCode decodes a function once and hands out the
// same listing afterwards, also to concurrent callers (issue 12: every
// next asks for its function's code; a stop prepares it in the
// background); FirstStmtPC answers the same each time.
func TestFuncCodeCached(t *testing.T) {
	tab, err := symbols.Open(build(t, goDebug))
	if err != nil {
		t.Fatal(err)
	}
	defer tab.Close()
	fn, err := tab.LookupFunc("main.main")
	if err != nil {
		t.Fatal(err)
	}
	if tab.CodeCached(fn) {
		t.Fatal("main.main's code cached before anyone asked")
	}
	var wg sync.WaitGroup
	got := make([][]symbols.Inst, 4)
	for i := range got {
		wg.Add(1)
		go func() {
			defer wg.Done()
			got[i] = tab.FuncCode(fn)
		}()
	}
	wg.Wait()
	if !tab.CodeCached(fn) || len(got[0]) == 0 {
		t.Fatalf("after FuncCode: cached %v, %d instructions", tab.CodeCached(fn), len(got[0]))
	}
	again := tab.FuncCode(fn)
	for i := range got {
		if len(got[i]) != len(again) || got[i][0] != again[0] || got[i][len(again)-1] != again[len(again)-1] {
			t.Fatalf("listing %d differs: %d instructions, want %d", i, len(got[i]), len(again))
		}
	}
	if &again[0] != &tab.FuncCode(fn)[0] {
		t.Fatal("FuncCode decoded main.main again")
	}
	if a, b := tab.FirstStmtPC(fn), tab.FirstStmtPC(fn); a != b || a < fn.Entry || a >= fn.End {
		t.Fatalf("FirstStmtPC %#x then %#x, function [%#x, %#x)", a, b, fn.Entry, fn.End)
	}
}
