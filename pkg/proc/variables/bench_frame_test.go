package variables

import (
	"testing"

	"github.com/godbg/godbg/internal/fixtures"
	"github.com/godbg/godbg/pkg/symbols"
)

// BenchmarkNewFrame measures listing the variables of a frame (what each
// print, locals or args does first) in scopefix's main.blocks.
func BenchmarkNewFrame(b *testing.B) {
	tab, err := symbols.Open(fixtures.Build(b, "scopefix"))
	if err != nil {
		b.Fatal(err)
	}
	defer tab.Close()
	file, lines := markedLines(b)
	pcs, err := tab.LineToPCs(file, lines["blocks"])
	if err != nil {
		b.Fatal(err)
	}
	b.ReportAllocs()
	for b.Loop() {
		if _, err := NewFrame(tab, FrameConfig{PC: pcs[0]}); err != nil {
			b.Fatal(err)
		}
	}
}

func BenchmarkNewFrameRuntime(b *testing.B) {
	tab, err := symbols.Open(fixtures.Build(b, "scopefix"))
	if err != nil {
		b.Fatal(err)
	}
	defer tab.Close()
	for _, name := range []string{"runtime.main", "fmt.Fprintf", "internal/runtime/maps.(*Map).getWithKeySmall", "main.main"} {
		fn, err := tab.LookupFunc(name)
		if err != nil {
			b.Fatal(err)
		}
		pc := tab.FirstStmtPC(fn)
		b.Run(name, func(b *testing.B) {
			for b.Loop() {
				if _, err := NewFrame(tab, FrameConfig{PC: pc}); err != nil {
					b.Fatal(err)
				}
			}
		})
	}
}
