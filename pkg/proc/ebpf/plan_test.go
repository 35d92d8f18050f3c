package ebpf

import (
	"regexp"
	"testing"

	"github.com/godbg/godbg/internal/fixtures"
	"github.com/godbg/godbg/pkg/symbols"
)

// TestPlanAdd checks where the probes of main.add read: at the entry (the
// PUSH RBP, CFA = rsp+8) a and b in RAX and RBX as Go's internal ABI
// passes them; after each call the result in its stack slot below the
// CFA.
func TestPlanAdd(t *testing.T) {
	sites, probes := planFixture(t, `^main\.add$`)
	add := sites[0].Func
	if len(probes) < 2 || len(sites[0].Rets) == 0 {
		t.Fatalf("%d probes for %d RETs", len(probes), len(sites[0].Rets))
	}
	entry := probes[0]
	if entry.Return || entry.CFAReg != regSP || entry.CFAOff != 8 || len(entry.Values) != 2 {
		t.Fatalf("entry probe %+v", entry)
	}
	for i, want := range []struct {
		name string
		reg  int
	}{{"a", 0}, {"b", 3}} {
		v := entry.Values[i]
		if v.Name != want.name || v.Err != "" || len(v.Pieces) != 1 || v.Pieces[0].Reg != want.reg {
			t.Errorf("argument %d: %+v, want %s in DWARF register %d", i, v, want.name, want.reg)
		}
	}
	// main.add is only called directly: its returns are probed in the
	// callers, at an instruction the kernel emulates, with the CFA of
	// add at the caller's rsp.
	for _, p := range probes[1:] {
		if !p.Return || p.Site == nil || p.Site == add || p.PC < p.Site.Entry || p.PC >= p.Site.End ||
			p.CFAReg != regSP || p.CFAOff != 0 || len(p.Values) != 1 {
			t.Fatalf("return probe %+v", p)
		}
		if v := p.Values[0]; v.Name != "~r0" || v.Err != "" || len(v.Pieces) != 1 || v.Pieces[0].Reg != -1 || v.Pieces[0].Off >= 0 {
			t.Errorf("result %+v, want ~r0 in a stack slot below the CFA", v)
		}
	}
}

// TestPlanFuncValue checks that a function also called through a func
// value keeps its probes on its RETs.
func TestPlanFuncValue(t *testing.T) {
	sites, probes := planFixture(t, `^main\.twice$`)
	if len(probes) != 1+len(sites[0].Rets) {
		t.Fatalf("%d probes for %d RETs", len(probes), len(sites[0].Rets))
	}
	for i, p := range probes[1:] {
		if !p.Return || p.Site != nil || p.PC != sites[0].Rets[i] {
			t.Errorf("return probe %+v, want the RET at %#x", p, sites[0].Rets[i])
		}
	}
}

// TestPlanNamedString checks that the data of a result of a named
// string type is copied by the probe, as a string's.
func TestPlanNamedString(t *testing.T) {
	_, probes := planFixture(t, `^main\.tagged$`)
	for _, p := range probes[1:] {
		if len(p.Values) != 1 || !p.Values[0].String {
			t.Errorf("return probe %+v: the result's string data is not copied", p)
		}
	}
}

// planFixture plans the probes of the one tracefix function re matches.
func planFixture(t *testing.T, re string) ([]symbols.ProbeSite, []Probe) {
	t.Helper()
	tab, err := symbols.Open(fixtures.Build(t, "tracefix"))
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { tab.Close() })
	sites, err := tab.TraceFuncs(regexp.MustCompile(re))
	if err != nil || len(sites) != 1 {
		t.Fatalf("sites %v, err %v", sites, err)
	}
	probes, err := Plan(tab, sites, false, false)
	if err != nil {
		t.Fatal(err)
	}
	return sites, probes
}
