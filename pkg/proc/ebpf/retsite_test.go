package ebpf

import (
	"testing"

	"golang.org/x/arch/x86/x86asm"
)

// TestRetSiteInstructions checks the instruction classes a return site
// walk relies on: which ones the kernel emulates, which ones are plain,
// which ones may fault, and register numbering.
func TestRetSiteInstructions(t *testing.T) {
	for _, c := range []struct {
		code                    []byte
		emulated, plain, faults bool
	}{
		{[]byte{0xeb, 0x00}, true, false, false},                   // JMP rel8
		{[]byte{0x7f, 0x02}, true, false, false},                   // JG rel8
		{[]byte{0x0f, 0x8f, 1, 0, 0, 0}, true, false, false},       // JG rel32
		{[]byte{0xe8, 1, 0, 0, 0}, true, false, false},             // CALL rel32
		{[]byte{0xff, 0xd0}, false, false, false},                  // CALL RAX
		{[]byte{0xc3}, false, false, false},                        // RET
		{[]byte{0x55}, true, false, false},                         // PUSH RBP
		{[]byte{0x41, 0x50}, true, false, false},                   // PUSH R8
		{[]byte{0x90}, true, true, false},                          // NOP
		{[]byte{0x0f, 0x1f, 0x40, 0x00}, false, true, false},       // NOPL 0(AX)
		{[]byte{0x48, 0x89, 0x44, 0x24, 0x40}, false, true, false}, // MOVQ AX, 0x40(SP)
		{[]byte{0x48, 0x8b, 0x08}, false, true, true},              // MOVQ (AX), CX
		{[]byte{0x5d}, false, false, false},                        // POP RBP
	} {
		in, err := x86asm.Decode(c.code, 64)
		if err != nil {
			t.Fatalf("% x: %v", c.code, err)
		}
		if emulated(in) != c.emulated || plain(in) != c.plain || mayFault(in) != c.faults {
			t.Errorf("%v (% x): emulated %v plain %v faults %v, want %v %v %v", in, c.code,
				emulated(in), plain(in), mayFault(in), c.emulated, c.plain, c.faults)
		}
	}
	for r, want := range map[x86asm.Reg]int{x86asm.EAX: 0, x86asm.BX: 3, x86asm.CL: 2, x86asm.R14L: 14, x86asm.SPB: 7, x86asm.RSP: 7, x86asm.X0: -1} {
		if got := dwarfReg(r); got != want {
			t.Errorf("dwarfReg(%v) = %d, want %d", r, got, want)
		}
	}
}
