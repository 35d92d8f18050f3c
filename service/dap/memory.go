package dap

import (
	"encoding/base64"
	"encoding/hex"
	"fmt"
	"path/filepath"
	"strconv"
	"strings"

	"github.com/google/go-dap"

	"github.com/godbg/godbg/service/api"
)

// maxMemory bounds one readMemory or writeMemory.
const maxMemory = 1 << 20

// parseAddr reads a memoryReference ("0xc000010000", or decimal) plus
// an offset.
func parseAddr(what, ref string, offset int) (uint64, error) {
	a, err := strconv.ParseUint(strings.TrimSpace(ref), 0, 64)
	if err != nil {
		return 0, fmt.Errorf("%s: memoryReference %q is not an address; give one like \"0xc000010000\"", what, ref)
	}
	return a + uint64(int64(offset)), nil
}

func (s *session) onReadMemory(r *dap.ReadMemoryRequest) (dap.ResponseMessage, error) {
	if err := s.stopped(); err != nil {
		return nil, err
	}
	a := r.Arguments
	addr, err := parseAddr("readMemory", a.MemoryReference, a.Offset)
	if err != nil {
		return nil, err
	}
	if a.Count < 0 || a.Count > maxMemory {
		return nil, fmt.Errorf("readMemory: count %d: give 0 to %d bytes", a.Count, maxMemory)
	}
	b, err := s.client.ReadMemory(addr, a.Count)
	body := dap.ReadMemoryResponseBody{Address: fmt.Sprintf("%#x", addr)}
	if err != nil {
		// Unreadable from the start: say so, as the protocol allows.
		body.UnreadableBytes = a.Count
		return &dap.ReadMemoryResponse{Body: body}, nil
	}
	body.Data = base64.StdEncoding.EncodeToString(b)
	body.UnreadableBytes = a.Count - len(b)
	return &dap.ReadMemoryResponse{Body: body}, nil
}

func (s *session) onWriteMemory(r *dap.WriteMemoryRequest) (dap.ResponseMessage, error) {
	if err := s.stopped(); err != nil {
		return nil, err
	}
	a := r.Arguments
	addr, err := parseAddr("writeMemory", a.MemoryReference, a.Offset)
	if err != nil {
		return nil, err
	}
	data, err := base64.StdEncoding.DecodeString(a.Data)
	if err != nil {
		return nil, fmt.Errorf("writeMemory: data is not base64: %v", err)
	}
	if len(data) > maxMemory {
		return nil, fmt.Errorf("writeMemory: %d bytes; at most %d at a time", len(data), maxMemory)
	}
	for i, c := range data {
		if err := s.client.SetMemory(fmt.Sprintf("*(*uint8)(%#x)", addr+uint64(i)), strconv.Itoa(int(c))); err != nil {
			if a.AllowPartial && i > 0 {
				return &dap.WriteMemoryResponse{Body: dap.WriteMemoryResponseBody{BytesWritten: i}}, nil
			}
			return nil, fmt.Errorf("writeMemory at %#x: %w", addr+uint64(i), err)
		}
	}
	s.after = append(s.after, func() {
		s.event("memory", &dap.MemoryEvent{Body: dap.MemoryEventBody{MemoryReference: fmt.Sprintf("%#x", addr), Count: len(data)}})
		s.event("invalidated", &dap.InvalidatedEvent{Body: dap.InvalidatedEventBody{Areas: []dap.InvalidatedAreas{"variables"}}})
	})
	return &dap.WriteMemoryResponse{Body: dap.WriteMemoryResponseBody{BytesWritten: len(data)}}, nil
}

// onDisassemble answers with instructionCount instructions starting
// instructionOffset instructions from the address; x86 cannot be decoded
// backwards, so instructions come from the functions around the address,
// and places where none can be decoded are "(bad)" placeholders.
func (s *session) onDisassemble(r *dap.DisassembleRequest) (dap.ResponseMessage, error) {
	if err := s.stopped(); err != nil {
		return nil, err
	}
	a := r.Arguments
	addr, err := parseAddr("disassemble", a.MemoryReference, a.Offset)
	if err != nil {
		return nil, err
	}
	if a.InstructionCount <= 0 || a.InstructionCount > 10000 {
		return nil, fmt.Errorf("disassemble: instructionCount %d: give 1 to 10000", a.InstructionCount)
	}
	insts := s.instructionsAround(addr, a.InstructionOffset, a.InstructionCount)
	at := len(insts)
	for i, in := range insts {
		if in.Loc.PC >= addr {
			at = i
			break
		}
	}
	out := make([]dap.DisassembledInstruction, 0, a.InstructionCount)
	for i := at + a.InstructionOffset; len(out) < a.InstructionCount; i++ {
		if i < 0 || i >= len(insts) {
			pc := addr + uint64(int64(i-at)) // a placeholder, one byte each
			if len(insts) > 0 && i >= len(insts) {
				last := insts[len(insts)-1]
				pc = last.Loc.PC + uint64(len(last.Bytes)) + uint64(i-len(insts))
			} else if len(insts) > 0 {
				pc = insts[0].Loc.PC - uint64(-i)
			}
			out = append(out, dap.DisassembledInstruction{Address: fmt.Sprintf("%#x", pc), Instruction: "(bad)"})
			continue
		}
		out = append(out, dapInstruction(&insts[i], i == 0 || insts[i-1].Loc.Function != insts[i].Loc.Function))
	}
	return &dap.DisassembleResponse{Body: dap.DisassembleResponseBody{Instructions: out}}, nil
}

// instructionsAround decodes the function holding addr, and the ones
// before and after it while fewer than the request needs are decoded.
func (s *session) instructionsAround(addr uint64, offset, count int) []api.Instruction {
	insts, err := s.client.Disassemble(api.DisassembleRequest{Location: fmt.Sprintf("*%#x", addr)})
	if err != nil || len(insts) == 0 {
		insts, _ = s.client.Disassemble(api.DisassembleRequest{Start: fmt.Sprintf("%#x", addr), End: fmt.Sprintf("%#x", addr+uint64(count)*15)})
		return insts
	}
	for tries := 0; tries < 4 && offset < 0 && len(insts) > 0; tries++ {
		at := 0
		for at < len(insts) && insts[at].Loc.PC < addr {
			at++
		}
		if at+offset >= 0 {
			break
		}
		before, err := s.client.Disassemble(api.DisassembleRequest{Location: fmt.Sprintf("*%#x", insts[0].Loc.PC-1)})
		if err != nil || len(before) == 0 || before[len(before)-1].Loc.PC >= insts[0].Loc.PC {
			break
		}
		insts = append(before, insts...)
	}
	for tries := 0; tries < 4 && len(insts) > 0; tries++ {
		at := 0
		for at < len(insts) && insts[at].Loc.PC < addr {
			at++
		}
		if at+offset+count <= len(insts) {
			break
		}
		last := insts[len(insts)-1]
		after, err := s.client.Disassemble(api.DisassembleRequest{Location: fmt.Sprintf("*%#x", last.Loc.PC+uint64(len(last.Bytes)))})
		if err != nil || len(after) == 0 || after[0].Loc.PC <= last.Loc.PC {
			break
		}
		insts = append(insts, after...)
	}
	return insts
}

func dapInstruction(in *api.Instruction, first bool) dap.DisassembledInstruction {
	d := dap.DisassembledInstruction{
		Address:          fmt.Sprintf("%#x", in.Loc.PC),
		InstructionBytes: hex.EncodeToString(in.Bytes),
		Instruction:      in.Text,
		Line:             in.Loc.Line,
	}
	if first && in.Loc.Function != "" {
		d.Symbol = in.Loc.Function
	}
	if in.Loc.File != "" {
		d.Location = &dap.Source{Name: filepath.Base(in.Loc.File), Path: in.Loc.File}
	}
	return d
}
