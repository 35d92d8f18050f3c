package values

import (
	"testing"
)

// TestTypeNames checks that every variable's type name, shortened, is
// what reflect calls its static type.
func TestTypeNames(t *testing.T) {
	lv := valfix(t)
	for _, fv := range lv.vars {
		_, typ, err := lv.l.Global("main." + fv.name)
		if err != nil {
			t.Errorf("%s: %v", fv.name, err)
			continue
		}
		if got := ShortTypeName(TypeName(typ)); got != fv.typ {
			t.Errorf("%s: type %q, want %q", fv.name, got, fv.typ)
		}
	}
}

// TestMatchesFixture loads every variable in full and compares it, as
// %#v would print it, with what the fixture printed.
func TestMatchesFixture(t *testing.T) {
	matchFixture(t, valfix(t))
}

// TestPIE does the same with a position-independent build, which loads
// at a bias: addresses of variables, function names and the runtime
// types of interfaces all depend on it.
func TestPIE(t *testing.T) {
	lv, err := startValfix("-buildmode=pie")
	if err != nil {
		t.Fatal(err)
	}
	defer lv.tg.Close()
	if !lv.tab.PIE() || lv.l.bias == 0 {
		t.Fatalf("PIE %v, bias %#x: not a PIE load", lv.tab.PIE(), lv.l.bias)
	}
	matchFixture(t, lv)
	if got := Format(lv.load(t, "vErr", DefaultLoadConfig)); got != `error(*errors.errorString) *{s: "boom"}` {
		t.Errorf("vErr: %s", got)
	}
	if got := lv.load(t, "vFunc", DefaultLoadConfig).Str; got != "main.hot" {
		t.Errorf("vFunc: %s", got)
	}
}

func matchFixture(t *testing.T, lv *live) {
	for _, fv := range lv.vars {
		v := lv.load(t, fv.name, FullLoadConfig)
		if got := goSyntax(v, 0); got != fv.gosyntax {
			t.Errorf("%s:\n got %s\nwant %s", fv.name, clip(got), clip(fv.gosyntax))
		}
	}
}

func clip(s string) string {
	if len(s) > 400 {
		return s[:400] + "..."
	}
	return s
}
