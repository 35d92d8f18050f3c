package target_test

import (
	"errors"
	"path/filepath"
	"strings"
	"testing"

	"github.com/godbg/godbg/pkg/proc"
	"github.com/godbg/godbg/pkg/proc/target"
	"github.com/godbg/godbg/pkg/proc/target/targettest"
)

// TestCoreTargetOnlyInspects: a Target of a core file has no live
// process (the backend contract is split: the core implements
// proc.Inspector only). Its frames read as the live process's did, and
// everything that runs or writes says it needs a live process, wrapping
// proc.ErrNotSupported.
func TestCoreTargetOnlyInspects(t *testing.T) {
	path := filepath.Join(t.TempDir(), "stepseq.core")
	var exe string
	var liveFrames []target.Frame
	targettest.WithTarget(t, "stepseq", func(tg *targettest.T) {
		tg.BreakAt("main.add")
		tg.Cont()
		tg.ClearAll()
		exe = tg.P.Executable()
		var err error
		if liveFrames, err = tg.Frames(4); len(liveFrames) < 3 {
			t.Fatalf("live frames: %v (%v)", liveFrames, err)
		}
		if err := target.DumpCore(tg.P, tg.Thread(), path); err != nil {
			t.Fatal(err)
		}
	})
	c, st, err := target.OpenCore(exe, path)
	if err != nil {
		t.Fatal(err)
	}
	if cl, ok := c.(interface{ Close() error }); ok {
		defer cl.Close()
	}
	if _, ok := c.(proc.Runner); ok {
		t.Fatalf("OpenCore returned a target that runs")
	}
	tg := target.NewCore(c, target.LoadImage(exe, nil))
	tg.SetThread(st.Tid)
	if !tg.IsCore() || tg.Exited() || tg.Process() != nil {
		t.Fatalf("core target: IsCore %v Exited %v Process %v", tg.IsCore(), tg.Exited(), tg.Process())
	}
	frames, err := tg.Frames(4)
	if len(frames) != len(liveFrames) {
		t.Fatalf("the core has %d frames (%v), the live process had %d", len(frames), err, len(liveFrames))
	}
	for i := range frames {
		if frames[i].Func != liveFrames[i].Func || frames[i].PC != liveFrames[i].PC {
			t.Errorf("frame %d: core %s %#x, live %s %#x", i, frames[i].Func, frames[i].PC, liveFrames[i].Func, liveFrames[i].PC)
		}
	}
	refusals := map[string]error{}
	_, refusals["Continue"] = tg.Continue()
	_, refusals["Next"] = tg.Next()
	_, refusals["StepInstruction"] = tg.StepInstruction()
	refusals["SetBreaklet"] = tg.SetBreaklet(frames[0].PC, 1, nil)
	_, refusals["WriteMemory"] = tg.Memory().WriteMemory(frames[0].CFA, []byte{0})
	for op, err := range refusals {
		if !errors.Is(err, proc.ErrNotSupported) || !strings.Contains(err.Error(), "needs a live process") {
			t.Errorf("%s on a core: %v; want a live process needed (proc.ErrNotSupported)", op, err)
		}
	}
	tg.ClearBreaklet(frames[0].PC, 1) // nothing to clear, nothing to panic on
}
