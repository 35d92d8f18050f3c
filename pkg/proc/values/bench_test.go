package values

import "testing"

// BenchmarkLoadBigMap loads every entry of the fixture's 5000-entry
// map[int]int (several Swiss tables) from the stopped process through
// /proc/<pid>/mem.
func BenchmarkLoadBigMap(b *testing.B) {
	lv := valfix(b)
	addr, typ, err := lv.l.Global("main.vMapBig")
	if err != nil {
		b.Fatal(err)
	}
	b.ReportAllocs()
	for b.Loop() {
		v := lv.l.Load(lv.p, "m", typ, addr, FullLoadConfig)
		if v.NumEntries() != 5000 {
			b.Fatalf("%d entries", v.NumEntries())
		}
	}
}

// BenchmarkLoadBigMapStrings is the same for a 1500-entry
// map[string]string, which needs one read per key and value.
func BenchmarkLoadBigMapStrings(b *testing.B) {
	lv := valfix(b)
	addr, typ, err := lv.l.Global("main.vMapStrBig")
	if err != nil {
		b.Fatal(err)
	}
	b.ReportAllocs()
	for b.Loop() {
		if v := lv.l.Load(lv.p, "m", typ, addr, FullLoadConfig); v.NumEntries() != 1500 {
			b.Fatalf("%d entries", v.NumEntries())
		}
	}
}

// BenchmarkLoadDefault is one print of the 5000-entry map with the
// default limits (64 entries).
func BenchmarkLoadDefault(b *testing.B) {
	lv := valfix(b)
	addr, typ, err := lv.l.Global("main.vMapBig")
	if err != nil {
		b.Fatal(err)
	}
	b.ReportAllocs()
	for b.Loop() {
		_ = Format(lv.l.Load(lv.p, "m", typ, addr, DefaultLoadConfig))
	}
}
