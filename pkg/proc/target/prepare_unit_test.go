package target

import (
	"testing"

	"github.com/godbg/godbg/internal/fixtures"
	"github.com/godbg/godbg/pkg/symbols"
)

// TestPrepareStepIndexesRangeBodies (issue 12): the background step
// preparation builds the index of range-over-func bodies, which every
// next and step consults (a first next used to build it, searching every
// function name of the binary).
func TestPrepareStepIndexesRangeBodies(t *testing.T) {
	tab, err := symbols.Open(fixtures.Build(t, "stepseq"))
	if err != nil {
		t.Fatal(err)
	}
	fn, err := tab.LookupFunc("main.main")
	if err != nil {
		t.Fatal(err)
	}
	PrepareStep(tab, 0, NewPreparedStack(RegsAt(fn.Entry, 0, 0), StackSnapshot{}, 2), fn.Entry)
	tab.Derived(rangeIndexKey{}, func() any {
		t.Error("PrepareStep did not build the range-over-func index")
		return map[string][]*symbols.Func{}
	})
}
