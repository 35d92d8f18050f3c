package native

import (
	"testing"

	"golang.org/x/arch/x86/x86asm"
)

type testRegs map[x86asm.Reg]uint64

func (r testRegs) reg(x x86asm.Reg) uint64 { return r[x] }
func (r testRegs) segBase(x x86asm.Reg) uint64 {
	if x == x86asm.FS {
		return r[x86asm.FS]
	}
	return 0
}

func TestDecodeAccesses(t *testing.T) {
	regs := testRegs{x86asm.RAX: 0x1000, x86asm.RCX: 3, x86asm.RSP: 0x7000, x86asm.RDI: 0x2000, x86asm.RSI: 0x3000,
		x86asm.RIP: 0x400000, x86asm.FS: 0x9000}
	w := func(a uint64, n int) access { return access{addr: a, size: n, write: true} }
	r := func(a uint64, n int) access { return access{addr: a, size: n, read: true} }
	rw := func(a uint64, n int) access { return access{addr: a, size: n, read: true, write: true} }
	tests := []struct {
		name string
		code []byte
		want []access
	}{
		{"mov [rsp+0x30], rcx", []byte{0x48, 0x89, 0x4c, 0x24, 0x30}, []access{w(0x7030, 8)}},
		{"add rcx, [rsp+0x28]", []byte{0x48, 0x03, 0x4c, 0x24, 0x28}, []access{r(0x7028, 8)}},
		{"cmp qword [rsp+0x28], 1", []byte{0x48, 0x83, 0x7c, 0x24, 0x28, 0x01}, []access{r(0x7028, 8)}},
		{"inc qword [rip+0x10]", []byte{0x48, 0xff, 0x05, 0x10, 0, 0, 0}, []access{rw(0x400017, 8)}},
		{"mov byte [rax+0x64], 7", []byte{0xc6, 0x40, 0x64, 0x07}, []access{w(0x1064, 1)}},
		{"mov [rax+2], cx", []byte{0x66, 0x89, 0x48, 0x02}, []access{w(0x1002, 2)}},
		{"mov [rax+rcx*4], ecx", []byte{0x89, 0x0c, 0x88}, []access{w(0x100c, 4)}},
		{"movups [rdi], xmm0", []byte{0x0f, 0x11, 0x07}, []access{w(0x2000, 16)}},
		{"movups xmm0, [rdi]", []byte{0x0f, 0x10, 0x07}, []access{r(0x2000, 16)}},
		{"lea rax, [rax+rcx]", []byte{0x48, 0x8d, 0x04, 0x08}, nil},
		{"push rax", []byte{0x50}, []access{w(0x6ff8, 8)}},
		{"ret", []byte{0xc3}, []access{r(0x7000, 8)}},
		{"rep stosq", []byte{0xf3, 0x48, 0xab}, []access{w(0x2000, 24)}},
		{"rep movsb", []byte{0xf3, 0xa4}, []access{r(0x3000, 3), w(0x2000, 3)}},
		{"stosb", []byte{0xaa}, []access{w(0x2000, 1)}},
		{"mov rax, fs:[-8]", []byte{0x64, 0x48, 0x8b, 0x04, 0x25, 0xf8, 0xff, 0xff, 0xff}, []access{r(0x8ff8, 8)}},
		{"xchg [rax], rcx", []byte{0x48, 0x87, 0x08}, []access{rw(0x1000, 8)}},
		{"lock xadd [rax], ecx", []byte{0xf0, 0x0f, 0xc1, 0x08}, []access{rw(0x1000, 4)}},
		{"nop dword [rax+rax]", []byte{0x0f, 0x1f, 0x44, 0x00, 0x00}, nil},
		{"mov rax, rcx", []byte{0x48, 0x89, 0xc8}, nil},
	}
	for _, tc := range tests {
		got, err := decodeAccesses(tc.code, regs)
		if err != nil {
			t.Errorf("%s: %v", tc.name, err)
			continue
		}
		if len(got) != len(tc.want) {
			t.Errorf("%s: %+v, want %+v", tc.name, got, tc.want)
			continue
		}
		for i := range got {
			if got[i] != tc.want[i] {
				t.Errorf("%s: access %d is %+v, want %+v", tc.name, i, got[i], tc.want[i])
			}
		}
	}
	if _, err := decodeAccesses(nil, regs); err == nil {
		t.Errorf("no bytes decoded")
	}
}

func FuzzDecodeAccesses(f *testing.F) {
	f.Add([]byte{0x48, 0x89, 0x4c, 0x24, 0x30})
	f.Add([]byte{0xf3, 0x48, 0xab})
	f.Add([]byte{0x64, 0x48, 0x8b, 0x04, 0x25, 0xf8, 0xff, 0xff, 0xff})
	regs := testRegs{x86asm.RCX: 1 << 40, x86asm.RSP: 8}
	f.Fuzz(func(t *testing.T, code []byte) {
		acc, err := decodeAccesses(code, regs)
		if err != nil {
			return
		}
		for _, a := range acc {
			if a.size <= 0 || a.size > 1<<30 || !a.read && !a.write {
				t.Fatalf("% x: bad access %+v", code, a)
			}
		}
	})
}
