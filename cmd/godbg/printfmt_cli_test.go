package main

import (
	"os/exec"
	"path/filepath"
	"strings"
	"testing"
)

// TestPrintFormatAndDisplay replays the facts of Delve 1.27.2's
// pkg/terminal TestPrintFormat and TestDisplay on its testvariables2
// fixture, with the rest of Delve's format rule (Go's fmt over an int64,
// uint64, float64, complex128, bool or the string's contents, and over
// each element of a slice or array) for the verbs a user types.
func TestPrintFormatAndDisplay(t *testing.T) {
	bin := buildDelveModuleFixture(t, "testvariables2")
	table := []struct{ cmd, want string }{
		{"print %#x m2[1].B", "0xb"}, // TestPrintFormat
		{"print %x i1", "1"},
		{"print %d i2", "2"},
		{"print %o i2+6", "10"},
		{"print %b i2", "10"},
		{"print %x ni8", "-5"},
		{"print %c runeslice[1]", "è"},
		{"print %q runeslice[1]", "'è'"},
		{"print %e f1", "3.000000e+00"},
		{"print %f f1", "3.000000"},
		{"print %g f1", "3"},
		{"print %08.3f f1", "0003.000"},
		{"print %x str1", "3031323334353637383930"},
		{"print %s str1", "01234567890"},
		{"print %q str1", `"01234567890"`},
		{"print %t i1 == 1", "true"},
		{"print %.1f cpx1", "(1.0+2.0i)"},
		{"print %x enum1", "ff"},
		{"print %x byteslice", "[]uint8 len: 5, cap: 5, [74,c3,a8,73,74]"},
		{"print %c runearray", "[4]int32 [t,è,s,t]"},
		{"print %x as1", "main.astruct {A: 1, B: 1}"}, // structs print as they are
		// TestDisplay
		{"display -a string(byteslice)", `0: string(byteslice) = "tèst"`},
		{"display -d 0", ""},
		{"display -a string(byteslice[1:])", `0: string(byteslice[1:]) = "èst"`},
		{"display -d 0", ""},
		{"display -a %s string(byteslice)", `0: string(byteslice) = tèst`},
	}
	cmds := []string{"continue"}
	for _, c := range table {
		cmds = append(cmds, c.cmd)
	}
	out, code := run(t, strings.Join(cmds, "\n")+"\n", "exec", bin)
	if code != 0 {
		t.Fatalf("exit %d\n%s", code, out)
	}
	rest, pass := out, 0
	for _, c := range table {
		if c.want == "" {
			continue
		}
		i := strings.Index(rest, "\n"+c.want+"\n")
		if i < 0 {
			t.Errorf("%s: no line %q after the previous one", c.cmd, c.want)
			continue
		}
		pass++
		rest = rest[i+1:]
	}
	t.Logf("%d/%d format and display facts pass", pass, len(table)-2)
	if t.Failed() {
		t.Logf("output:\n%s", out)
	}
}

// buildDelveModuleFixture builds one of Delve's fixtures in module mode
// (testvariables2 imports a package of Delve's module).
func buildDelveModuleFixture(t *testing.T, name string) string {
	dir := delveFixtures(t)
	out := filepath.Join(filepath.Dir(godbgBin), "delve-mod-"+name)
	cmd := exec.Command("go", "build", "-gcflags=all=-N -l", "-o", out, "./"+name+".go")
	cmd.Dir = dir
	if b, err := cmd.CombinedOutput(); err != nil {
		t.Fatalf("building Delve's fixture %s: %v\n%s", name, err, b)
	}
	return out
}
