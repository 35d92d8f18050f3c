package frame

import (
	"encoding/binary"
	"errors"
	"testing"
)

// debugFrame builds a .debug_frame with one CIE (code align 1, data align
// -8, RA column 16, initial CFA rsp+8, RA at CFA-8) and one FDE for
// [0x1000, 0x1040) with the given instructions.
func debugFrame(insts []byte) []byte {
	le := binary.LittleEndian
	cie := []byte{0xff, 0xff, 0xff, 0xff, 3, 0, 1, 0x78, 16, cfaDefCFA, 7, 8, cfaOffset | 16, 1}
	var out []byte
	out = le.AppendUint32(out, uint32(len(cie)))
	out = append(out, cie...)
	fde := le.AppendUint32(nil, 0) // CIE at offset 0
	fde = le.AppendUint64(fde, 0x1000)
	fde = le.AppendUint64(fde, 0x40)
	fde = append(fde, insts...)
	out = le.AppendUint32(out, uint32(len(fde)))
	return append(out, fde...)
}

func TestRowAt(t *testing.T) {
	insts := []byte{
		cfaAdvanceLoc | 1, cfaDefCFAOffset, 16, cfaOffset | 6, 2, // push rbp
		cfaAdvanceLoc | 3, cfaDefCFARegister, 6, // mov rbp, rsp
		cfaRememberState,
		cfaAdvanceLoc1, 0x10, cfaDefCFA, 7, 8, cfaRestore | 6, // leave
		cfaAdvanceLoc | 1, cfaRestoreState,
		cfaAdvanceLoc2, 0x10, 0, cfaDefCFAOffsetSF, 0x7e, // -2 * -8 = 16
		cfaNop,
	}
	tab, err := Parse(debugFrame(insts), binary.LittleEndian, false, 0)
	if err != nil {
		t.Fatal(err)
	}
	tests := []struct {
		pc      uint64
		cfa     CFARule
		rbpSave bool
	}{
		{0x1000, CFARule{Reg: 7, Offset: 8}, false},
		{0x1001, CFARule{Reg: 7, Offset: 16}, true},
		{0x1003, CFARule{Reg: 7, Offset: 16}, true},
		{0x1004, CFARule{Reg: 6, Offset: 16}, true},
		{0x1013, CFARule{Reg: 6, Offset: 16}, true},
		{0x1014, CFARule{Reg: 7, Offset: 8}, false},
		{0x1015, CFARule{Reg: 6, Offset: 16}, true},
		{0x1025, CFARule{Reg: 6, Offset: 16}, true},
		{0x103f, CFARule{Reg: 6, Offset: 16}, true},
	}
	for _, tt := range tests {
		fde, err := tab.FDEFor(tt.pc)
		if err != nil {
			t.Fatalf("%#x: %v", tt.pc, err)
		}
		row, err := fde.RowAt(tt.pc)
		if err != nil {
			t.Fatalf("%#x: %v", tt.pc, err)
		}
		if row.CFA.Reg != tt.cfa.Reg || row.CFA.Offset != tt.cfa.Offset {
			t.Errorf("%#x: CFA = %+v, want %+v", tt.pc, row.CFA, tt.cfa)
		}
		if _, ok := row.Regs[6]; ok != tt.rbpSave {
			t.Errorf("%#x: rbp saved = %v, want %v", tt.pc, ok, tt.rbpSave)
		}
		if ra := row.ReturnAddress(); ra.Kind != RuleOffset || ra.Offset != -8 {
			t.Errorf("%#x: RA rule %+v", tt.pc, ra)
		}
	}
	if _, err := tab.FDEFor(0x1040); !errors.Is(err, ErrNoFDE) {
		t.Errorf("pc past FDE: %v", err)
	}
}

func TestEHFrame(t *testing.T) {
	// CIE "zR" with pcrel|sdata4 FDE pointers, at section address 0x2000.
	le := binary.LittleEndian
	cie := []byte{0, 0, 0, 0, 1, 'z', 'R', 0, 1, 0x78, 16, 1, peSdata4 | pePCRel, cfaDefCFA, 7, 8, cfaOffset | 16, 1, 0}
	sec := le.AppendUint32(nil, uint32(len(cie)))
	sec = append(sec, cie...)
	fdeStart := len(sec)
	fde := le.AppendUint32(nil, uint32(fdeStart+4)) // back to the CIE
	pcField := uint64(0x2000 + fdeStart + 8)
	fde = le.AppendUint32(fde, uint32(int32(0x1169-int64(pcField))))
	fde = le.AppendUint32(fde, 0x8b)
	fde = append(fde, 0, cfaAdvanceLoc|1, cfaDefCFAOffset, 16)
	sec = le.AppendUint32(sec, uint32(len(fde)))
	sec = append(sec, fde...)
	sec = le.AppendUint32(sec, 0)
	tab, err := Parse(sec, le, true, 0x2000)
	if err != nil {
		t.Fatal(err)
	}
	fde0, err := tab.FDEFor(0x116a)
	if err != nil {
		t.Fatal(err)
	}
	if fde0.Begin != 0x1169 || fde0.End != 0x1169+0x8b {
		t.Fatalf("FDE [%#x, %#x)", fde0.Begin, fde0.End)
	}
	row, _ := fde0.RowAt(0x116a)
	if row.CFA.Reg != 7 || row.CFA.Offset != 16 {
		t.Fatalf("CFA %+v", row.CFA)
	}
}

func TestParseErrors(t *testing.T) {
	good := debugFrame([]byte{cfaNop})
	if _, err := Parse(good[:len(good)-3], binary.LittleEndian, false, 0); !errors.Is(err, ErrTruncated) {
		t.Errorf("truncated: %v", err)
	}
	bad := append([]byte(nil), good...)
	binary.LittleEndian.PutUint32(bad[18+4:], 4) // FDE points into the CIE
	if _, err := Parse(bad, binary.LittleEndian, false, 0); !errors.Is(err, ErrBadCIE) {
		t.Errorf("bad CIE pointer: %v", err)
	}
	tab, _ := Parse(debugFrame([]byte{cfaRestoreState}), binary.LittleEndian, false, 0)
	fde, _ := tab.FDEFor(0x1000)
	if _, err := fde.RowAt(0x1000); !errors.Is(err, ErrStateStack) {
		t.Errorf("restore_state: %v", err)
	}
}

func FuzzParse(f *testing.F) {
	f.Add(debugFrame([]byte{cfaAdvanceLoc | 1, cfaDefCFAOffset, 16}), false)
	f.Add(debugFrame([]byte{cfaRememberState, cfaDefCFAExpression, 2, 0x77, 8, cfaRestoreState}), false)
	f.Fuzz(func(t *testing.T, data []byte, eh bool) {
		tab, err := Parse(data, binary.LittleEndian, eh, 0x1000)
		if err != nil {
			return
		}
		for _, fde := range tab.FDEs() {
			fde.RowAt(fde.Begin)
			fde.RowAt(fde.End - 1)
		}
	})
}
