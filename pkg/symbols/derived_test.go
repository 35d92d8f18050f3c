package symbols

import (
	"os"
	"sync"
	"sync/atomic"
	"testing"
)

type testKey struct{}

// TestDerivedOncePerTable checks that derived data is built once per
// Table under concurrent use, separately for each Table, and again after
// ForgetDerived.
func TestDerivedOncePerTable(t *testing.T) {
	exe, err := os.Executable()
	if err != nil {
		t.Skip(err)
	}
	a, err := Open(exe)
	if err != nil {
		t.Fatal(err)
	}
	defer a.Close()
	b, err := Open(exe)
	if err != nil {
		t.Fatal(err)
	}
	defer b.Close()
	var builds atomic.Int32
	build := func() any { builds.Add(1); return new(int) }
	var wg sync.WaitGroup
	got := make([]any, 16)
	for i := range got {
		wg.Add(1)
		go func() { defer wg.Done(); got[i] = a.Derived(testKey{}, build) }()
	}
	wg.Wait()
	for _, v := range got {
		if v != got[0] {
			t.Fatalf("Derived returned different values for one Table")
		}
	}
	if n := builds.Load(); n != 1 {
		t.Fatalf("built %d times for one Table, want 1", n)
	}
	if b.Derived(testKey{}, build) == got[0] || builds.Load() != 2 {
		t.Fatalf("a second Table shares the first one's derived data")
	}
	a.ForgetDerived(testKey{})
	if a.Derived(testKey{}, build) == got[0] || builds.Load() != 3 {
		t.Fatalf("ForgetDerived did not drop the value")
	}
}
