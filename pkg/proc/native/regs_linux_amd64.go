package native

import (
	"encoding/binary"
	"fmt"
	"strings"

	"golang.org/x/sys/unix"

	"github.com/godbg/godbg/pkg/proc"
)

// regs is an amd64 register snapshot.
type regs struct {
	gp      unix.PtraceRegs
	fp      fpregs
	fpValid bool
	// fpLoad, if set, fetches fp on first use (breakpoint conditions).
	fpLoad func(*fpregs) error
}

func (r *regs) loadFP() {
	if !r.fpValid && r.fpLoad != nil {
		r.fpValid = r.fpLoad(&r.fp) == nil
		r.fpLoad = nil
	}
}

// DWARFRegister maps DWARF numbers to the snapshot.
func (r *regs) DWARFRegister(n int) (uint64, error) {
	g := &r.gp
	switch {
	case n >= 0 && n <= 16:
		return *[...]*uint64{&g.Rax, &g.Rdx, &g.Rcx, &g.Rbx, &g.Rsi, &g.Rdi, &g.Rbp, &g.Rsp,
			&g.R8, &g.R9, &g.R10, &g.R11, &g.R12, &g.R13, &g.R14, &g.R15, &g.Rip}[n], nil
	case n >= 17 && n <= 32:
		r.loadFP()
		if !r.fpValid {
			return 0, fmt.Errorf("xmm%d: floating-point registers unavailable", n-17)
		}
		return binary.LittleEndian.Uint64(r.fp[160+16*(n-17):]), nil
	}
	return 0, fmt.Errorf("no DWARF register %d on amd64", n)
}

func (r *regs) PC() uint64 { return r.gp.Rip }
func (r *regs) SP() uint64 { return r.gp.Rsp }
func (r *regs) BP() uint64 { return r.gp.Rbp }

// gpNames lists the general-purpose registers in display order.
var gpNames = []string{
	"rip", "rsp", "rax", "rbx", "rcx", "rdx", "rdi", "rsi", "rbp",
	"r8", "r9", "r10", "r11", "r12", "r13", "r14", "r15", "orig_rax", "fs_base", "gs_base",
}

var segNames = []string{"cs", "ss", "ds", "es", "fs", "gs"}

// gpField returns a pointer to the named register in r, or nil.
func gpField(r *unix.PtraceRegs, name string) *uint64 {
	switch strings.ToLower(strings.TrimPrefix(name, "$")) {
	case "rip", "pc":
		return &r.Rip
	case "rsp", "sp":
		return &r.Rsp
	case "rax":
		return &r.Rax
	case "rbx":
		return &r.Rbx
	case "rcx":
		return &r.Rcx
	case "rdx":
		return &r.Rdx
	case "rdi":
		return &r.Rdi
	case "rsi":
		return &r.Rsi
	case "rbp", "bp":
		return &r.Rbp
	case "r8":
		return &r.R8
	case "r9":
		return &r.R9
	case "r10":
		return &r.R10
	case "r11":
		return &r.R11
	case "r12":
		return &r.R12
	case "r13":
		return &r.R13
	case "r14":
		return &r.R14
	case "r15":
		return &r.R15
	case "orig_rax":
		return &r.Orig_rax
	case "fs_base":
		return &r.Fs_base
	case "gs_base":
		return &r.Gs_base
	case "eflags", "rflags", "flags":
		return &r.Eflags
	case "cs":
		return &r.Cs
	case "ss":
		return &r.Ss
	case "ds":
		return &r.Ds
	case "es":
		return &r.Es
	case "fs":
		return &r.Fs
	case "gs":
		return &r.Gs
	}
	return nil
}

func (r *regs) List(all bool) []proc.Register {
	g := r.gp
	out := make([]proc.Register, 0, 64)
	for _, n := range gpNames {
		out = append(out, proc.Register{Name: n, Value: *gpField(&g, n)})
	}
	if !all {
		return out
	}
	out = append(out, proc.Register{Name: "eflags", Value: g.Eflags, Text: proc.FlagsText(g.Eflags)})
	for _, n := range segNames {
		out = append(out, proc.Register{Name: n, Value: *gpField(&g, n)})
	}
	r.loadFP()
	if r.fpValid {
		out = append(out, r.fpList()...)
	}
	return out
}

// fpList decodes the FXSAVE area.
func (r *regs) fpList() []proc.Register { return proc.FXSaveRegisters(r.fp[:]) }
