package ebpf

import (
	"github.com/cilium/ebpf"
	"github.com/cilium/ebpf/asm"
)

// Record layout (little-endian), as the probes write it and decode reads it.
const (
	offProbe = 0  // u32 index of the probe
	offStack = 4  // u32 bytes of user stack written (bpf_get_stack's result)
	offPid   = 8  // u64 pid<<32 | tid
	offTime  = 16 // u64 CLOCK_MONOTONIC ns
	offGoid  = 24 // u64 goroutine id (0: unknown)
	hdrSize  = 32
	slotSize = ValueBytes + StringBytes // raw bytes, then string data
)

const bpfFUserStack = 1 << 8 // BPF_F_USER_STACK

// bpf_ringbuf_query and bpf_ringbuf_submit flags.
const (
	bpfRBAvailData   = 0
	bpfRBNoWakeup    = 1
	bpfRBForceWakeup = 2
)

// wakeBytes is how much data waits in the ring buffer before a probe
// wakes the reader; less is read by the reader's poll (pollEvery).
const wakeBytes = 256 << 10

// recordSize is the size of a probe's record with stack depth frames.
func recordSize(p *Probe, depth int) int {
	return hdrSize + len(p.Values)*slotSize + depth*8
}

// program emits the BPF program of probe index idx: r6 holds the
// pt_regs context, r7 the reserved record, r9 the canonical frame address.
func program(p *Probe, idx int, events, drops *ebpf.Map, goidOff int, depth int) asm.Instructions {
	size := recordSize(p, depth)
	ins := asm.Instructions{
		asm.Mov.Reg(asm.R6, asm.R1),
		asm.LoadMapPtr(asm.R1, events.FD()),
		asm.Mov.Imm(asm.R2, int32(size)),
		asm.Mov.Imm(asm.R3, 0),
		asm.FnRingbufReserve.Call(),
		asm.JEq.Imm(asm.R0, 0, "drop"),
		asm.Mov.Reg(asm.R7, asm.R0),
		asm.StoreImm(asm.R7, offProbe, int64(idx), asm.Word),
		asm.StoreImm(asm.R7, offStack, 0, asm.Word),
		asm.StoreImm(asm.R7, offGoid, 0, asm.Word),
		asm.StoreImm(asm.R7, offGoid+4, 0, asm.Word),
		asm.FnGetCurrentPidTgid.Call(),
		asm.StoreMem(asm.R7, offPid, asm.R0, asm.DWord),
		asm.FnKtimeGetNs.Call(),
		asm.StoreMem(asm.R7, offTime, asm.R0, asm.DWord),
	}
	if goidOff >= 0 {
		ins = append(ins,
			asm.LoadMem(asm.R3, asm.R6, ptRegsOff(14), asm.DWord),
			asm.JEq.Imm(asm.R3, 0, "nog"),
			asm.Add.Imm(asm.R3, int32(goidOff)),
			asm.Mov.Reg(asm.R1, asm.R7),
			asm.Add.Imm(asm.R1, offGoid),
			asm.Mov.Imm(asm.R2, 8),
			asm.FnProbeReadUser.Call(),
			asm.Mov.Imm(asm.R0, 0).WithSymbol("nog"),
		)
	}
	ins = append(ins,
		asm.LoadMem(asm.R9, asm.R6, ptRegsOff(p.CFAReg), asm.DWord),
		asm.Add.Imm(asm.R9, int32(p.CFAOff)),
	)
	for i := range p.Values {
		ins = append(ins, valueCopy(&p.Values[i], hdrSize+i*slotSize)...)
	}
	if depth > 0 {
		ins = append(ins,
			asm.Mov.Reg(asm.R1, asm.R6),
			asm.Mov.Reg(asm.R2, asm.R7),
			asm.Add.Imm(asm.R2, int32(hdrSize+len(p.Values)*slotSize)),
			asm.Mov.Imm(asm.R3, int32(depth*8)),
			asm.Mov.Imm(asm.R4, bpfFUserStack),
			asm.FnGetStack.Call(),
			asm.JSLT.Imm(asm.R0, 0, "nostack"),
			asm.StoreMem(asm.R7, offStack, asm.R0, asm.Word),
			asm.Mov.Imm(asm.R0, 0).WithSymbol("nostack"),
		)
	}
	return append(ins,
		// Wake the reader only once wakeBytes are waiting: a wakeup per
		// record costs more than the record (the reader polls too).
		asm.LoadMapPtr(asm.R1, events.FD()),
		asm.Mov.Imm(asm.R2, bpfRBAvailData),
		asm.FnRingbufQuery.Call(),
		asm.Mov.Imm(asm.R2, bpfRBNoWakeup),
		asm.JLT.Imm(asm.R0, wakeBytes, "submit"),
		asm.Mov.Imm(asm.R2, bpfRBForceWakeup),
		asm.Mov.Reg(asm.R1, asm.R7).WithSymbol("submit"),
		asm.FnRingbufSubmit.Call(),
		asm.Mov.Imm(asm.R0, 0),
		asm.Return(),
		// The ring buffer is full: count the lost record.
		asm.StoreImm(asm.R10, -4, 0, asm.Word).WithSymbol("drop"),
		asm.Mov.Reg(asm.R2, asm.R10),
		asm.Add.Imm(asm.R2, -4),
		asm.LoadMapPtr(asm.R1, drops.FD()),
		asm.FnMapLookupElem.Call(),
		asm.JEq.Imm(asm.R0, 0, "out"),
		asm.Mov.Imm(asm.R1, 1),
		asm.StoreXAdd(asm.R0, asm.R1, asm.DWord),
		asm.Mov.Imm(asm.R0, 0).WithSymbol("out"),
		asm.Return(),
	)
}

// valueCopy copies one value into its slot at off: registers from
// pt_regs, memory pieces with bpf_probe_read_user, then a string's data.
func valueCopy(v *Value, off int) asm.Instructions {
	var ins asm.Instructions
	at := int16(off)
	for _, pc := range v.Pieces {
		if pc.Reg >= 0 {
			ins = append(ins,
				asm.LoadMem(asm.R1, asm.R6, ptRegsOff(pc.Reg), asm.DWord),
				asm.StoreMem(asm.R7, at, asm.R1, asm.DWord),
			)
		} else {
			ins = append(ins,
				asm.Mov.Reg(asm.R1, asm.R7),
				asm.Add.Imm(asm.R1, int32(at)),
				asm.Mov.Imm(asm.R2, int32(pc.Size)),
				asm.Mov.Reg(asm.R3, asm.R9),
				asm.Add.Imm(asm.R3, int32(pc.Off)),
				asm.FnProbeReadUser.Call(),
			)
		}
		// A register is stored whole: the next piece overwrites what
		// lies past this one's size.
		at += int16(pc.Size)
	}
	if !v.String || len(v.Pieces) == 0 {
		return ins
	}
	// String data: min(len, StringBytes) bytes from ptr.
	return append(ins,
		asm.LoadMem(asm.R3, asm.R7, int16(off), asm.DWord),
		asm.LoadMem(asm.R2, asm.R7, int16(off+8), asm.DWord),
		asm.JLE.Imm(asm.R2, StringBytes, labelFor(off, "short")),
		asm.Mov.Imm(asm.R2, StringBytes),
		asm.Mov.Reg(asm.R1, asm.R7).WithSymbol(labelFor(off, "short")),
		asm.Add.Imm(asm.R1, int32(off+ValueBytes)),
		asm.FnProbeReadUser.Call(),
	)
}

func labelFor(off int, what string) string {
	return what + string(rune('a'+off/slotSize))
}

// dispatcher emits the program of the uprobe_multi link: it tail-calls
// the program of the probe whose index is the attach cookie.
func dispatcher(jump *ebpf.Map) asm.Instructions {
	return asm.Instructions{
		asm.Mov.Reg(asm.R6, asm.R1),
		asm.FnGetAttachCookie.Call(),
		asm.Mov.Reg(asm.R3, asm.R0),
		asm.Mov.Reg(asm.R1, asm.R6),
		asm.LoadMapPtr(asm.R2, jump.FD()),
		asm.FnTailCall.Call(),
		asm.Mov.Imm(asm.R0, 0),
		asm.Return(),
	}
}
