package main

// Delve 1.27.2's TestRangeOverFuncNext (one session per subtest here, one
// process for all in Delve) and TestRangeOverFuncStepOut: the lines of
// next and stepout through range-over-func loops (Go 1.23 iterators).
var rangeFuncSeqs = []delveSeq{
	{name: "TestRangeOverFuncNext/TestTrickyIterAll1", fixture: "rangeoverfunc", initial: "main.TestTrickyIterAll", first: 24,
		cmds: nexts(25, 26, 27, 28, 29, 32, 27, 28, 29, 30, 32, 34)},
	{name: "TestRangeOverFuncNext/TestTrickyIterAll2", fixture: "rangeoverfunc", initial: "main.TestTrickyIterAll2", first: 37,
		cmds: nexts(38, 39, 40, 41, 42, 40, 41, 42, 42, 43)},
	{name: "TestRangeOverFuncNext/TestBreak1", fixture: "rangeoverfunc", initial: "main.TestBreak1", first: 46,
		cmds: nexts(47, 48, 49, 52, 53, 56, 57, 52, 53, 56, 57, 52, 53, 54, 57, 58, 59, 48, 49, 52, 53, 56, 57, 52, 53, 56, 57, 52, 53, 54, 57, 58, 59, 48, 49, 50, 59, 60, 61)},
	{name: "TestRangeOverFuncNext/TestBreak2", fixture: "rangeoverfunc", initial: "main.TestBreak2", first: 63,
		cmds: nexts(64, 65, 66, 67, 68, 71, 74, 75, 67, 68, 71, 74, 75, 67, 68, 69, 75, 76, 77, 66, 67, 68, 71, 74, 75, 67, 68, 71, 74, 75, 67, 68, 69, 75, 76, 77, 66, 67, 68, 71, 72, 75, 77, 78, 79)},
	{name: "TestRangeOverFuncNext/TestMultiCont0", fixture: "rangeoverfunc", initial: "main.TestMultiCont0", first: 81,
		cmds: nexts(82, 84, 85, 86, 87, 90, 91, 92, 93, 94, 95, 93, 94, 97, 98, 101, 93, 94, 95, 93, 94, 97, 98, 99, 101, 103, 105, 85, 86, 87, 88, 106, 107)},
	{name: "TestRangeOverFuncNext/TestPanickyIterator1", fixture: "rangeoverfunc", initial: "main.TestPanickyIterator1", first: 110,
		cmds: nexts(111, 112, 116, 117, 118, 121, 116, 117, 118, 121, 116, 117, 118, 121, 116, 117, 118, 119, 112, 113, 114)},
	{name: "TestRangeOverFuncNext/TestPanickyIterator2", fixture: "rangeoverfunc", initial: "main.TestPanickyIterator2", first: 125,
		cmds: nexts(126, 127, 131, 132, 133, 135, 136, 139, 140, 141, 144, 139, 140, 141, 142, 135, 145, 127, 128, 129)},
	{name: "TestRangeOverFuncNext/TestPanickyIteratorWithNewDefer", fixture: "rangeoverfunc", initial: "main.TestPanickyIteratorWithNewDefer", first: 149,
		cmds: nexts(150, 151, 155, 156, 157, 159, 160, 163, 166, 167, 168, 171, 166, 167, 168, 169, 159, 172, 160, 161)},
	{name: "TestRangeOverFuncNext/TestLongReturn", fixture: "rangeoverfunc", initial: "main.TestLongReturn", first: 181,
		cmds: nexts(182, 183, 184, 185, 187, 189, 178)},
	{name: "TestRangeOverFuncNext/TestGotoA1", fixture: "rangeoverfunc", initial: "main.TestGotoA1", first: 192,
		cmds: nexts(193, 194, 195, 196, 199, 200, 203, 204, 199, 200, 203, 204, 199, 200, 201, 204, 206, 207, 194, 195, 196, 197, 207, 208)},
	{name: "TestRangeOverFuncNext/TestGotoB1", fixture: "rangeoverfunc", initial: "main.TestGotoB1", first: 211,
		cmds: nexts(212, 213, 214, 215, 218, 219, 222, 223, 218, 219, 222, 223, 218, 219, 220, 223, 225, 227, 228)},
	{name: "TestRangeOverFuncNext/TestRecur", fixture: "rangeoverfunc", initial: "main.TestRecur", first: 231,
		cmds: nexts(232, 233, 234, 236, 237, 238, 239, 241, 236, 237)},
	{name: "TestRangeOverFuncStepOut", fixture: "rangeoverfunc", first: 97, cmds: []seqCmd{{"stepout", 251}}},
}
