package main

import (
	"fmt"
	"regexp"
	"strings"
	"testing"
)

// stepfixRun runs godbg on stepfix with commands whose {name} stands for
// the line of the source marker "// L:name".
func stepfixRun(t *testing.T, cmds ...string) (string, map[string]int) {
	t.Helper()
	return markedRun(t, "stepfix", nil, cmds)
}

var stopPC = regexp.MustCompile(`(?m)^> .*\(PC: (0x[0-9a-f]+)\)`)

func lastPC(out string) string {
	m := stopPC.FindAllStringSubmatch(out, -1)
	if len(m) == 0 {
		return ""
	}
	return m[len(m)-1][1]
}

// stepi N and step N take counts; stepi N does N instructions.
func TestStepCounts(t *testing.T) {
	three, _ := stepfixRun(t, "break main.go:{sh2}", "continue", "stepi 3")
	one, _ := stepfixRun(t, "break main.go:{sh2}", "continue", "stepi", "stepi", "stepi")
	start, _ := stepfixRun(t, "break main.go:{sh2}", "continue", "stepi")
	if lastPC(three) == "" || lastPC(three) != lastPC(one) || lastPC(three) == lastPC(start) {
		t.Errorf("stepi 3 ends at %s, three stepi at %s, one stepi at %s\n%s", lastPC(three), lastPC(one), lastPC(start), three)
	}
	if n := len(stopPC.FindAllString(three, -1)); n != 3 {
		t.Errorf("stepi 3 printed %d stops, want 3 (launch, breakpoint, the last step)\n%s", n, three)
	}
	out, L := stepfixRun(t, "break main.go:{sh1}", "continue", "step 2")
	if got := stopLines(out); len(got) != 2 || got[1] != fmt.Sprintf("main.add:%d", L["add1"]-1) {
		t.Errorf("step 2 from line %d: stops %v, want main.add:%d\n%s", L["sh1"], got, L["add1"]-1, out)
	}
}

// step with the pc on a CALL enters the call; next-instruction runs it.
func TestStepAtCallAndNextInstruction(t *testing.T) {
	out, L := stepfixRun(t, "break main.go:{sh2}", "continue", "stepi", "step")
	if got := stopLines(out); len(got) != 3 || got[2] != fmt.Sprintf("main.add:%d", L["add1"]-1) {
		t.Errorf("step on the CALL of line %d: stops %v, want main.add:%d last\n%s", L["sh2"], got, L["add1"]-1, out)
	}
	out, _ = stepfixRun(t, "break main.go:{sh2}", "continue", "stepi", "ni")
	if got := stopLines(out); len(got) != 3 || got[2] != fmt.Sprintf("main.shared:%d", L["sh2"]) {
		t.Errorf("ni on the CALL of line %d: stops %v, want main.shared:%d last\n%s", L["sh2"], got, L["sh2"], out)
	}
}

// continue <locspec> runs to a location; main.fact:1 is the line after
// fact's first (Delve's function-relative line); jump skips code.
func TestContinueToJumpAndFuncLine(t *testing.T) {
	out, L := stepfixRun(t, "continue main.go:{m2}", "break main.fact:1", "jump", "jump main.fact", "jump main.go:{m3}", "continue")
	if got := stopLines(out); len(got) < 2 || got[0] != fmt.Sprintf("main.main:%d", L["m2"]) || got[1] != fmt.Sprintf("main.main:%d", L["m3"]) {
		t.Errorf("stops %v, want main.main:%d (continue to) then main.main:%d (jump)\n%s", got, L["m2"], L["m3"], out)
	}
	if !regexp.MustCompile(fmt.Sprintf(`Breakpoint 1 set at main.fact\(\) \S+:%d `, L["f1"])).MatchString(out) {
		t.Errorf("main.fact:1 is not line %d\n%s", L["f1"], out)
	}
	for _, want := range []string{"jump needs a location", "main.fact is not in the current function main.main"} {
		if !strings.Contains(out, want) {
			t.Errorf("output lacks %q", want)
		}
	}
	// The jump skipped fact: sink is shared(5) = 16 only (40 with fact(4)).
	if !strings.Contains(out, "done 16 recovered") || strings.Contains(out, "[Breakpoint 1]") {
		t.Errorf("the jump did not skip fact\n%s", out)
	}
}

// runtime.Breakpoint() stops in its caller, past the call (Delve's
// TestRuntimeBreakpoint), and next goes on from there.
func TestRuntimeBreakpointInCaller(t *testing.T) {
	out, L := stepbpRun(t, "brk", "continue", "next")
	want := []string{fmt.Sprintf("main.brk:%d", L["afterbrk"]), fmt.Sprintf("main.brk:%d", L["afterbrk"]+1)}
	if got := stopLines(out); strings.Join(got, " ") != strings.Join(want, " ") {
		t.Errorf("stops %v, want %v\n%s", got, want, out)
	}
}
