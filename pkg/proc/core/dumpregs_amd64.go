package core

import (
	"strings"

	"github.com/godbg/godbg/pkg/proc"
)

// threadFromRegs turns a register list (as Registers.List(true) gives
// it) into NT_PRSTATUS registers and, if it has any x87/SSE register, an
// FXSAVE area for NT_FPREGSET. Unknown names are ignored.
func threadFromRegs(t DumpThread) threadImage {
	ti := threadImage{tid: t.Tid, sig: t.Signal}
	var fp [fxsaveSize]byte
	hasFP := false
	le.PutUint32(fp[28:], 0xffff) // mxcsr_mask
	for _, r := range t.Regs {
		if i := userRegIndex(r.Name); i >= 0 {
			ti.gp[i] = r.Value
			continue
		}
		if putFP(&fp, r) {
			hasFP = true
		}
	}
	if hasFP {
		ti.fp = &fp
	}
	return ti
}

// putFP stores one x87/SSE register at its FXSAVE offset.
func putFP(fp *[fxsaveSize]byte, r proc.Register) bool {
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
		for i, n := range stNames {
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
