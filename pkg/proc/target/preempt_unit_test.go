package target

import "testing"

// TestShifted: a sysmon time moves forward by the time stopped, never
// past now; unset times and times ahead of our clock stay.
func TestShifted(t *testing.T) {
	const now = 1_000_000_000
	for _, c := range []struct {
		when, owed, want int64
		ok               bool
	}{
		{when: 0, owed: 5e6, want: 0},                             // never stamped by sysmon
		{when: now + 1, owed: 5e6, want: now + 1},                 // another clock: left alone
		{when: now, owed: 5e6, want: now},                         // nothing to move
		{when: now - 8e6, owed: 5e6, want: now - 3e6, ok: true},   // stopped 5 of the 8 ms
		{when: now - 8e6, owed: 9e6, want: now, ok: true},         // capped at now
		{when: now - 8e6, owed: 1 << 62, want: now, ok: true},     // since when unknown
		{when: 1, owed: 1 << 62, want: now, ok: true},             // no overflow
		{when: now - 20e6, owed: 500e6, want: now, ok: true},      // a stale stop time
		{when: now - 20e6, owed: 1e6, want: now - 19e6, ok: true}, // a short stop
	} {
		got, ok := shifted(c.when, c.owed, now)
		if got != c.want || ok != c.ok {
			t.Errorf("shifted(%d, %d, %d) = %d, %v; want %d, %v", c.when, c.owed, int64(now), got, ok, c.want, c.ok)
		}
	}
}
