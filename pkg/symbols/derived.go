package symbols

import (
	"sync"
	"sync/atomic"
)

// What other packages derive from an executable — the unwinder's call
// frame index, the value reader's type index, the variable reader's DIE
// and function indexes, the runtime's struct layouts — is kept by the
// Table it is derived from (and so by the target's Image that owns the
// Table), built once on first use, and dropped with the Table: no
// package-global cache keyed by a Table keeps it alive.

// derivedStore holds a Table's derived data by key.
type derivedStore struct {
	mu sync.Mutex
	m  map[any]*derivedOnce
}

type derivedOnce struct {
	once sync.Once
	v    any
	done atomic.Bool // v is built
}

// Derived returns the value derived from t under key, calling build the
// first time (once, even when called concurrently). key should be a
// value of an unexported type of the calling package. build may call
// Derived for other keys.
func (t *Table) Derived(key any, build func() any) any {
	s := &t.derived
	s.mu.Lock()
	o := s.m[key]
	if o == nil {
		if s.m == nil {
			s.m = map[any]*derivedOnce{}
		}
		o = &derivedOnce{}
		s.m[key] = o
	}
	s.mu.Unlock()
	o.once.Do(func() { o.v = build(); o.done.Store(true) })
	return o.v
}

// Built reports whether the value derived under key has been built (a
// background warm-up's test), without building it.
func (t *Table) Built(key any) bool {
	s := &t.derived
	s.mu.Lock()
	o := s.m[key]
	s.mu.Unlock()
	return o != nil && o.done.Load()
}

// ForgetDerived drops the value derived under key: the next Derived
// builds it again.
func (t *Table) ForgetDerived(key any) {
	t.derived.mu.Lock()
	delete(t.derived.m, key)
	t.derived.mu.Unlock()
}
