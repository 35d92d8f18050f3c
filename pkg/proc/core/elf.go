package core

import "encoding/binary"

// The parts of the ELF format a core file uses (elf(5), linux/elfcore.h).
const (
	etExec = 2
	etDyn  = 3
	etCore = 4

	emX86_64 = 62

	ptLoad = 1
	ptNote = 4

	pfX = 1
	pfW = 2
	pfR = 4

	ehdrSize = 64
	phdrSize = 56
	shdrSize = 64
	pnXnum   = 0xffff // e_phnum when the real count is in section header 0

	ntPrstatus  = 1
	ntFpregset  = 2
	ntPrpsinfo  = 3
	ntAuxv      = 6
	ntGNUBuild  = 3 // NT_GNU_BUILD_ID, name "GNU"
	ntX86Xstate = 0x202
	ntSiginfo   = 0x53494749
	ntFile      = 0x46494c45

	atNull  = 0
	atEntry = 9

	pageSize = 4096
)

var le = binary.LittleEndian

// phdr is one ELF64 program header.
type phdr struct {
	Type, Flags                             uint32
	Off, Vaddr, Paddr, Filesz, Memsz, Align uint64
}

func decodePhdr(b []byte) phdr {
	return phdr{
		Type: le.Uint32(b[0:]), Flags: le.Uint32(b[4:]),
		Off: le.Uint64(b[8:]), Vaddr: le.Uint64(b[16:]), Paddr: le.Uint64(b[24:]),
		Filesz: le.Uint64(b[32:]), Memsz: le.Uint64(b[40:]), Align: le.Uint64(b[48:]),
	}
}

func (p *phdr) encode(b []byte) {
	le.PutUint32(b[0:], p.Type)
	le.PutUint32(b[4:], p.Flags)
	le.PutUint64(b[8:], p.Off)
	le.PutUint64(b[16:], p.Vaddr)
	le.PutUint64(b[24:], p.Paddr)
	le.PutUint64(b[32:], p.Filesz)
	le.PutUint64(b[40:], p.Memsz)
	le.PutUint64(b[48:], p.Align)
}

// end is the first address past the segment.
func (p *phdr) end() uint64 { return p.Vaddr + p.Memsz }

// The x86-64 note layouts (struct elf_prstatus, elf_prpsinfo).
const (
	prstatusSize    = 336
	prstatusCursig  = 12
	prstatusPid     = 32
	prstatusPpid    = 36
	prstatusPgrp    = 40
	prstatusSid     = 44
	prstatusRegs    = 112
	prstatusFPValid = 328
	numUserRegs     = 27

	prpsinfoSize   = 136
	prpsinfoState  = 0
	prpsinfoSname  = 1
	prpsinfoNice   = 3
	prpsinfoFlag   = 8
	prpsinfoUID    = 16
	prpsinfoGID    = 20
	prpsinfoPid    = 24
	prpsinfoPpid   = 28
	prpsinfoPgrp   = 32
	prpsinfoSid    = 36
	prpsinfoFname  = 40
	prpsinfoPsargs = 56

	fxsaveSize  = 512
	siginfoSize = 128
)

// align4 rounds n up to a multiple of 4 (note name and descriptor padding).
func align4(n uint64) uint64 { return (n + 3) &^ 3 }
