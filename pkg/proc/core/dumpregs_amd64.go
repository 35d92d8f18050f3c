package core

import "github.com/godbg/godbg/pkg/proc"

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
func putFP(fp *[fxsaveSize]byte, r proc.Register) bool { return proc.PutFXSaveRegister(fp[:], r) }
