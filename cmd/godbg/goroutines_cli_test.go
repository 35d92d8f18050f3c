package main

import (
	"regexp"
	"strings"
	"testing"

	"github.com/godbg/godbg/internal/fixtures"
)

func TestGoroutinesCommand(t *testing.T) {
	bin := fixtures.Build(t, "gorofix")
	out, code := run(t, "break main.stopHere\ncontinue\ngoroutines\ngoroutines -with label role=labeled -l\n"+
		"goroutines -with waiting -group userloc\ngoroutines -without running -with curloc gopark\n"+
		"threads\ngoroutine\ngoroutine 1\ngoroutine 1 threads\ngoroutine 99999\ngoroutine x\ngoroutines -with bogus\n"+
		"goroutines -t -with userloc main.blockRecv\n",
		"exec", bin, "--", "7")
	if code != 0 {
		t.Fatalf("exit %d\n%s", code, out)
	}
	// What the fixture says of its goroutines.
	ids := map[string]string{} // goid → kind
	for _, m := range regexp.MustCompile(`(?m)^g (\d+) (\w+)$`).FindAllStringSubmatch(out, -1) {
		ids[m[1]] = m[2]
	}
	caller := regexp.MustCompile(`(?m)^caller (\d+)$`).FindStringSubmatch(out)
	labeled := regexp.MustCompile(`(?m)^labeled (\d+)$`).FindStringSubmatch(out)
	if len(ids) != 7 || caller == nil || labeled == nil {
		t.Fatalf("fixture output incomplete:\n%s", out)
	}
	listed := map[string]string{}
	for _, m := range regexp.MustCompile(`(?m)^([ *]) Goroutine (\d+) - .*\[(.*?)\]`).FindAllStringSubmatch(out, -1) {
		listed[m[2]] = m[1] + m[3]
	}
	for id, kind := range ids {
		st, ok := listed[id]
		if !ok {
			t.Errorf("goroutine %s (%s) not listed", id, kind)
			continue
		}
		want := map[string]string{"blockRecv": "chan receive", "blockSend": "chan send", "blockSleep": "sleep", "blockMutex": "sync.Mutex.Lock",
			"blockSelect": "select", "blockWGWait": "sync.WaitGroup.Wait", "blockCond": "sync.Cond.Wait"}[kind]
		if want != "" && !strings.HasSuffix(st, want) {
			t.Errorf("goroutine %s (%s) state %q, want %q", id, kind, st, want)
		}
	}
	// The goroutine at the breakpoint is current, on the breakpoint's thread.
	bpThread := regexp.MustCompile(`> \[Breakpoint 1\] main.stopHere\(\) .* \(thread (\d+)\)`).FindStringSubmatch(out)
	if bpThread == nil {
		t.Fatalf("no breakpoint stop:\n%s", out)
	}
	if !regexp.MustCompile(`(?m)^\* Goroutine ` + caller[1] + ` - User: .*main.stopHere .*\[running\] \(thread ` + bpThread[1] + `\)$`).MatchString(out) {
		t.Errorf("goroutine %s is not the current one running main.stopHere on thread %s", caller[1], bpThread[1])
	}
	if !regexp.MustCompile(`(?m)^\* Thread ` + bpThread[1] + ` at .* goroutine ` + caller[1] + `$`).MatchString(out) {
		t.Errorf("threads does not show thread %s running goroutine %s", bpThread[1], caller[1])
	}
	for _, want := range []string{
		"  Goroutine " + labeled[1] + " - ",
		"\tLabel role=labeled",
		"gorofix/main.go:102 main.labeled (",
		"[1 goroutines]",
		"Group ",
		"Switched to goroutine 1",
		"no goroutine 99999; goroutines lists them",
		`goroutine "x": not a goroutine id`,
		`unknown goroutine filter "bogus"`,
		"in runtime.chanrecv1\n",
		"in main.blockRecv\n",
	} {
		if !strings.Contains(out, want) {
			t.Errorf("output lacks %q", want)
		}
	}
	if t.Failed() {
		t.Log(out)
	}
}
