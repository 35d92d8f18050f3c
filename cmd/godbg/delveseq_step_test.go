package main

import "testing"

// Delve 1.27.2's TestRangeOverFuncNextInlined (pkg/proc/stepping_test.go;
// the rangeoverfunc fixture built with inlining) and TestStepIntoCoroutine:
// the lines of next and step, taken as facts. Go 1.26's compiler is the one
// Delve skips the inlined test on ("broken due to inlined symbol names");
// the lines below are the ones Delve 1.27.2 asserts for Go 1.27 (with its
// extra next after `break Y`, which stays on the for line).
var stepSeqs = []delveSeq{
	{name: "TestRangeOverFuncNextInlined/TestTrickyIterAll1", fixture: "rangeoverfunc", inline: true, initial: "main.TestTrickyIterAll", first: 24,
		cmds: nexts(25, 26, 27, 28, 29, 32, 27, 28, 29, 30, 27, 32, 34)},
	{name: "TestRangeOverFuncNextInlined/TestTrickyIterAll2", fixture: "rangeoverfunc", inline: true, initial: "main.TestTrickyIterAll2", first: 37,
		cmds: nexts(38, 39, 40, 41, 42, 40, 41, 42, 40, 42, 43)},
	{name: "TestRangeOverFuncNextInlined/TestBreak1", fixture: "rangeoverfunc", inline: true, initial: "main.TestBreak1", first: 46,
		cmds: nexts(47, 48, 49, 52, 53, 56, 57, 52, 53, 56, 57, 52, 53, 54, 52, 57, 58, 59, 48, 49, 52, 53, 56, 57, 52, 53, 56, 57, 52, 53, 54, 52, 57, 58, 59, 48, 49, 50, 48, 59, 60, 61)},
	{name: "TestRangeOverFuncNextInlined/TestBreak2", fixture: "rangeoverfunc", inline: true, initial: "main.TestBreak2", first: 63,
		cmds: nexts(64, 65, 66, 67, 68, 71, 74, 75, 67, 68, 71, 74, 75, 67, 68, 69, 67, 75, 76, 77, 66, 67, 68, 71, 74, 75, 67, 68, 71, 74, 75, 67, 68, 69, 67, 75, 76, 77, 66, 67, 68, 71, 72, 67, 75, 66, 77, 78, 79)},
	{name: "TestRangeOverFuncNextInlined/TestMultiCont0", fixture: "rangeoverfunc", inline: true, initial: "main.TestMultiCont0", first: 81,
		cmds: nexts(82, 84, 85, 86, 87, 90, 91, 92, 93, 94, 95, 93, 94, 97, 98, 101, 93, 94, 95, 93, 94, 97, 98, 99, 101, 103, 90, 105, 85, 86, 87, 88, 85, 106, 107)},
	{name: "TestRangeOverFuncNextInlined/TestPanickyIterator1", fixture: "rangeoverfunc", inline: true, initial: "main.TestPanickyIterator1", first: 110,
		cmds: nexts(111, 112, 116, 117, 118, 121, 116, 117, 118, 121, 116, 117, 118, 121, 116, 117, 118, 119, 112, 113, 114)},
	{name: "TestRangeOverFuncNextInlined/TestPanickyIterator2", fixture: "rangeoverfunc", inline: true, initial: "main.TestPanickyIterator2", first: 125,
		cmds: nexts(126, 127, 131, 132, 133, 135, 136, 139, 140, 141, 144, 139, 140, 141, 142, 135, 135, 145, 127, 128, 129)},
	{name: "TestRangeOverFuncNextInlined/TestPanickyIteratorWithNewDefer", fixture: "rangeoverfunc", inline: true, initial: "main.TestPanickyIteratorWithNewDefer", first: 149,
		cmds: nexts(150, 151, 155, 156, 157, 159, 160, 163, 166, 167, 168, 171, 166, 167, 168, 169, 159, 159, 172, 160, 161)},
	{name: "TestRangeOverFuncNextInlined/TestLongReturn", fixture: "rangeoverfunc", inline: true, initial: "main.TestLongReturn", first: 181,
		cmds: nexts(182, 183, 184, 185, 183, 187, 182, 189, 178)},
	{name: "TestRangeOverFuncNextInlined/TestGotoA1", fixture: "rangeoverfunc", inline: true, initial: "main.TestGotoA1", first: 192,
		cmds: nexts(193, 194, 195, 196, 199, 200, 203, 204, 199, 200, 203, 204, 199, 200, 201, 199, 204, 206, 207, 194, 195, 196, 197, 194, 207, 208)},
	{name: "TestRangeOverFuncNextInlined/TestGotoB1", fixture: "rangeoverfunc", inline: true, initial: "main.TestGotoB1", first: 211,
		cmds: nexts(212, 213, 214, 215, 218, 219, 222, 223, 218, 219, 222, 223, 218, 219, 220, 218, 223, 213, 225, 227, 228)},
	{name: "TestRangeOverFuncNextInlined/TestRecur", fixture: "rangeoverfunc", inline: true, initial: "main.TestRecur", first: 231,
		cmds: nexts(232, 233, 234, 236, 237, 238, 239, 241, 236, 237)},
	{name: "TestStepIntoCoroutine", fixture: "backwardsiter", first: 20,
		cmds: []seqCmd{{"step", 9}, {"next", 10}, {"next", 11}, {"step", 20}, {"next", 21}, {"step", 11}, {"next", 10}, {"next", 11}, {"step", 21}, {"next", 22}, {"next", 23}, {"step", 11}}},
	{name: "TestIssue561", fixture: "issue561", first: 10, cmds: steps(5)},
}

// TestDelveStepSequences replays stepSeqs as TestDelveSteppingSequences
// replays its tables (one session per sequence, in parallel).
func TestDelveStepSequences(t *testing.T) {
	dir := delveFixtures(t)
	for _, s := range stepSeqs {
		t.Run(s.name, func(t *testing.T) {
			t.Parallel()
			if why := replay(t, dir, s); why != "" {
				t.Error(why)
			}
		})
	}
}
