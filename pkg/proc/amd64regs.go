package proc

import (
	"encoding/binary"
	"strings"
)

// What every amd64 backend shows the same way: the FXSAVE area (the
// live process's PTRACE_GETFPREGS, a core's NT_FPREGSET) and the names
// of the set bits of eflags.

var (
	x87Names = [8]string{"st0", "st1", "st2", "st3", "st4", "st5", "st6", "st7"}
	xmmNames = [16]string{"xmm0", "xmm1", "xmm2", "xmm3", "xmm4", "xmm5", "xmm6", "xmm7",
		"xmm8", "xmm9", "xmm10", "xmm11", "xmm12", "xmm13", "xmm14", "xmm15"}
)

// FXSaveRegisters decodes a 512-byte FXSAVE area: the x87 control words,
// st0-st7, mxcsr and xmm0-xmm15.
func FXSaveRegisters(fp []byte) []Register {
	le := binary.LittleEndian
	out := []Register{
		{Name: "fcw", Value: uint64(le.Uint16(fp[0:]))},
		{Name: "fsw", Value: uint64(le.Uint16(fp[2:]))},
		{Name: "ftw", Value: uint64(fp[4])},
		{Name: "fop", Value: uint64(le.Uint16(fp[6:]))},
		{Name: "fip", Value: le.Uint64(fp[8:])},
		{Name: "fdp", Value: le.Uint64(fp[16:])},
		{Name: "mxcsr", Value: uint64(le.Uint32(fp[24:]))},
	}
	for i := range x87Names {
		out = append(out, Register{Name: x87Names[i], Bytes: append([]byte(nil), fp[32+16*i:32+16*i+10]...)})
	}
	for i := range xmmNames {
		out = append(out, Register{Name: xmmNames[i], Bytes: append([]byte(nil), fp[160+16*i:160+16*i+16]...)})
	}
	return out
}

// PutFXSaveRegister stores one register of FXSaveRegisters' list back at
// its place in an FXSAVE area; false for a name that has none there.
func PutFXSaveRegister(fp []byte, r Register) bool {
	le := binary.LittleEndian
	name := strings.ToLower(r.Name)
	switch name {
	case "fcw":
		le.PutUint16(fp[0:], uint16(r.Value))
	case "fsw":
		le.PutUint16(fp[2:], uint16(r.Value))
	case "ftw":
		fp[4] = byte(r.Value)
	case "fop":
		le.PutUint16(fp[6:], uint16(r.Value))
	case "fip":
		le.PutUint64(fp[8:], r.Value)
	case "fdp":
		le.PutUint64(fp[16:], r.Value)
	case "mxcsr":
		le.PutUint32(fp[24:], uint32(r.Value))
	default:
		for i, n := range x87Names {
			if n == name {
				copy(fp[32+16*i:32+16*i+10], r.Bytes)
				return true
			}
		}
		for i, n := range xmmNames {
			if n == name {
				copy(fp[160+16*i:160+16*i+16], r.Bytes)
				return true
			}
		}
		return false
	}
	return true
}

var flagBits = []struct {
	bit  uint
	name string
}{{0, "CF"}, {2, "PF"}, {4, "AF"}, {6, "ZF"}, {7, "SF"}, {8, "TF"}, {9, "IF"}, {10, "DF"}, {11, "OF"}}

// FlagsText names the set flags of eflags: "[ZF IF]".
func FlagsText(f uint64) string {
	var set []string
	for _, b := range flagBits {
		if f&(1<<b.bit) != 0 {
			set = append(set, b.name)
		}
	}
	return "[" + strings.Join(set, " ") + "]"
}
