package goroutines_test

import (
	"runtime"
	"testing"
	"time"

	. "github.com/godbg/godbg/pkg/proc/goroutines"
)

const many = 100_000

// TestManyGoroutines lists gorofix with 100,000 blocked goroutines and
// checks the time and memory it takes. The benchmark below reports the
// same with more repetitions.
func TestManyGoroutines(t *testing.T) {
	if testing.Short() {
		t.Skip("starts a process with 100,000 goroutines")
	}
	s := stopGorofix(t, []string{"-gcflags=all="}, "100000", "quiet")
	runtime.GC()
	var before runtime.MemStats
	runtime.ReadMemStats(&before)
	start := time.Now()
	gs, err := s.r.List(Options{})
	elapsed := time.Since(start)
	var after runtime.MemStats
	runtime.ReadMemStats(&after)
	if err != nil {
		t.Fatal(err)
	}
	waiting := 0
	for _, g := range gs {
		if g.Status == StatusWaiting {
			waiting++
		}
	}
	if len(gs) < many+3 || waiting < many {
		t.Fatalf("%d goroutines, %d waiting; want more than %d", len(gs), waiting, many)
	}
	t.Logf("List: %d goroutines in %v, %.1f MiB allocated, test process peak RSS %.1f MiB",
		len(gs), elapsed, float64(after.TotalAlloc-before.TotalAlloc)/(1<<20), float64(vmHWM())/(1<<20))
	if elapsed > 2*time.Second {
		t.Errorf("List took %v for %d goroutines, want well under a second", elapsed, len(gs))
	}
	// Peak RSS depends on what the other tests left behind (pkg/symbols
	// keeps every Table's DWARF), so bound what listing allocates.
	if alloc := after.TotalAlloc - before.TotalAlloc; alloc > 64<<20 {
		t.Errorf("List allocated %d MiB for %d goroutines, want at most 64", alloc>>20, len(gs))
	}
	gs = nil
	runtime.ReadMemStats(&before)
	start = time.Now()
	n := 0
	if err := s.r.Each(Options{}, func(G) bool { n++; return true }); err != nil || n < many+3 {
		t.Fatalf("Each: %d goroutines, %v", n, err)
	}
	elapsed = time.Since(start)
	runtime.ReadMemStats(&after)
	t.Logf("Each: %d goroutines in %v, %.1f MiB allocated", n, elapsed, float64(after.TotalAlloc-before.TotalAlloc)/(1<<20))
	if alloc := after.TotalAlloc - before.TotalAlloc; alloc > 8<<20 {
		t.Errorf("Each allocated %d MiB for %d goroutines, want at most 8", alloc>>20, n)
	}
}

// BenchmarkGoroutines lists the goroutines of gorofix running 100,000
// blocked goroutines; rerun with
//
//	go test -run XXX -bench Goroutines ./pkg/proc/goroutines
func BenchmarkGoroutines(b *testing.B) {
	s := stopGorofix(b, []string{"-gcflags=all="}, "100000", "quiet")
	b.Run("List", func(b *testing.B) {
		b.ReportAllocs()
		n := 0
		for b.Loop() {
			gs, err := s.r.List(Options{})
			if err != nil {
				b.Fatal(err)
			}
			n = len(gs)
		}
		b.ReportMetric(float64(n), "goroutines")
		b.ReportMetric(float64(vmHWM())/(1<<20), "peak-RSS-MiB")
	})
	b.Run("Each", func(b *testing.B) {
		b.ReportAllocs()
		n := 0
		for b.Loop() {
			n = 0
			if err := s.r.Each(Options{}, func(G) bool { n++; return true }); err != nil {
				b.Fatal(err)
			}
		}
		b.ReportMetric(float64(n), "goroutines")
		b.ReportMetric(float64(vmHWM())/(1<<20), "peak-RSS-MiB")
	})
}
