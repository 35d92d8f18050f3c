package core

import (
	"errors"
	"io"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/godbg/godbg/internal/fixtures"
)

func TestMismatchedExecutable(t *testing.T) {
	goCore := cachedDump(t, "corefix")
	cCore := cachedDump(t, "sleepers.c")
	tests := []struct {
		name, exe, core string
		reason          string // in the message
	}{
		{"other Go program", fixtures.Build(t, "gorofix"), goCore.core, "entry point"},
		{"same program, other build", fixtures.Build(t, "corefix", "-ldflags=-X=main.variant=other-build"), goCore.core, "build ID"},
		{"C core, Go program", goCore.bin, cCore.core, "entry point"},
		{"Go core, C program", cCore.bin, goCore.core, "not the executable's entry"},
		{"other C program", fixtures.Build(t, "churn.c"), cCore.core, ""},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			p, err := Open(tc.exe, tc.core)
			if err == nil {
				p.(io.Closer).Close()
				t.Fatal("the core was accepted")
			}
			var me *MismatchError
			if !errors.As(err, &me) || !errors.Is(err, ErrMismatch) {
				t.Fatalf("error %v (%T) is not a *MismatchError", err, err)
			}
			msg := err.Error()
			if !strings.Contains(msg, tc.core) || !strings.Contains(msg, tc.exe) || !strings.Contains(msg, tc.reason) {
				t.Errorf("message %q should name both files and say %q", msg, tc.reason)
			}
			t.Log(msg)
		})
	}
}

// A renamed copy of the right executable is accepted: the build ID in
// the core matches.
func TestRenamedExecutable(t *testing.T) {
	l := cachedDump(t, "corefix")
	b, err := os.ReadFile(l.bin)
	if err != nil {
		t.Fatal(err)
	}
	renamed := filepath.Join(t.TempDir(), "renamed-program")
	if err := os.WriteFile(renamed, b, 0o755); err != nil {
		t.Fatal(err)
	}
	p := openCoreOf(t, renamed, l.core)
	checkText(t, l, p, "main.main", 0)
}
