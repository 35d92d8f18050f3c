package symbols_test

import (
	"syscall"
	"testing"

	"github.com/godbg/godbg/pkg/symbols"
)

// BenchmarkOpenLarge opens a ~20 MiB Go binary with DWARF (built on demand
// from _fixtures/symbols/big) and looks up main.main, as a debugger does
// at start-up. It reports the process's peak RSS as maxrss-MiB.
func BenchmarkOpenLarge(b *testing.B) {
	path := build(b, goLarge)
	b.ResetTimer()
	for b.Loop() {
		tab, err := symbols.Open(path)
		if err != nil {
			b.Fatal(err)
		}
		if _, err := tab.LookupFunc("main.main"); err != nil {
			b.Fatal(err)
		}
		tab.Close()
	}
	var ru syscall.Rusage
	if err := syscall.Getrusage(syscall.RUSAGE_SELF, &ru); err == nil {
		b.ReportMetric(float64(ru.Maxrss)/1024, "maxrss-MiB")
	}
}

// BenchmarkLineToPCsLarge measures the first LineToPCs on the large binary,
// which loads DWARF lazily.
func BenchmarkLineToPCsLarge(b *testing.B) {
	path := build(b, goLarge)
	b.ResetTimer()
	for b.Loop() {
		tab, err := symbols.Open(path)
		if err != nil {
			b.Fatal(err)
		}
		if _, err := tab.LineToPCs("fmt/print.go", 314); err != nil {
			b.Fatal(err)
		}
		tab.Close()
	}
}
