package frame

import (
	"encoding/binary"
	"fmt"
	"sort"
	"strings"
)

// CIE is a Common Information Entry.
type CIE struct {
	Offset       uint64 // in the section
	Version      uint8
	Augmentation string
	AddrSize     int
	CodeAlign    uint64
	DataAlign    int64
	RAReg        int // return-address column
	FDEEncoding  byte
	SignalFrame  bool
	Instructions []byte // initial instructions
	order        binary.ByteOrder
	hasAugData   bool
	lsdaEncoding byte
	sectionAddr  uint64
	ehFrame      bool
}

// FDE is a Frame Description Entry: the rules for [Begin, End).
type FDE struct {
	Offset       uint64
	CIE          *CIE
	Begin, End   uint64
	Instructions []byte
}

// Table is the parsed call frame information of one section. It is
// immutable after Parse and safe for concurrent use.
type Table struct {
	fdes []*FDE // sorted by Begin
	cies map[uint64]*CIE
}

// Pointer encodings of .eh_frame (LSB Core spec, DW_EH_PE_*).
const (
	peAbsptr  = 0x00
	peULEB    = 0x01
	peUdata2  = 0x02
	peUdata4  = 0x03
	peUdata8  = 0x04
	peSLEB    = 0x09
	peSdata2  = 0x0a
	peSdata4  = 0x0b
	peSdata8  = 0x0c
	pePCRel   = 0x10
	peDataRel = 0x30
	peOmit    = 0xff
)

// Parse reads every CIE and FDE of a .debug_frame (ehFrame false) or
// .eh_frame (ehFrame true) section whose contents are data and whose
// link-time address is sectionAddr (needed for pc-relative pointers in
// .eh_frame).
func Parse(data []byte, order binary.ByteOrder, ehFrame bool, sectionAddr uint64) (*Table, error) {
	t := &Table{cies: map[uint64]*CIE{}}
	var pending []*pendingFDE
	for off := 0; off < len(data); {
		b := &buf{data: data, pos: off, order: order}
		length, is64 := uint64(b.u32()), false
		if length == 0xffffffff {
			length, is64 = b.u64(), true
		}
		if b.err != nil {
			return nil, &FormatError{Offset: uint64(off), Err: b.err}
		}
		if length == 0 {
			if ehFrame {
				break // terminator
			}
			off = b.pos
			continue
		}
		if length > uint64(len(data)-b.pos) {
			return nil, &FormatError{Offset: uint64(off), Err: ErrTruncated}
		}
		end := b.pos + int(length)
		body := &buf{data: data[:end], pos: b.pos, order: order}
		idPos := body.pos
		var id uint64
		if is64 {
			id = body.u64()
		} else {
			id = uint64(body.u32())
		}
		if isCIE(id, is64, ehFrame) {
			cie, err := parseCIE(body, uint64(off), ehFrame, sectionAddr)
			if err != nil {
				return nil, &FormatError{Offset: uint64(off), Err: err}
			}
			t.cies[uint64(off)] = cie
		} else {
			cieOff := id
			if ehFrame {
				cieOff = uint64(idPos) - id
			}
			pending = append(pending, &pendingFDE{off: uint64(off), cie: cieOff, body: body})
		}
		off = end
	}
	for _, p := range pending {
		cie := t.cies[p.cie]
		if cie == nil {
			return nil, &FormatError{Offset: p.off, Err: ErrBadCIE}
		}
		fde, err := parseFDE(p.body, cie)
		if err != nil {
			return nil, &FormatError{Offset: p.off, Err: err}
		}
		fde.Offset = p.off
		if fde.End > fde.Begin {
			t.fdes = append(t.fdes, fde)
		}
	}
	sort.SliceStable(t.fdes, func(i, j int) bool { return t.fdes[i].Begin < t.fdes[j].Begin })
	return t, nil
}

type pendingFDE struct {
	off, cie uint64
	body     *buf
}

func isCIE(id uint64, is64, ehFrame bool) bool {
	switch {
	case ehFrame:
		return id == 0
	case is64:
		return id == ^uint64(0)
	}
	return id == 0xffffffff
}

func parseCIE(b *buf, off uint64, ehFrame bool, sectionAddr uint64) (*CIE, error) {
	c := &CIE{Offset: off, order: b.order, AddrSize: 8, ehFrame: ehFrame, sectionAddr: sectionAddr, FDEEncoding: peAbsptr}
	c.Version = b.u8()
	c.Augmentation = b.cstring()
	if strings.Contains(c.Augmentation, "eh") {
		return nil, fmt.Errorf("augmentation %q: %w", c.Augmentation, ErrUnsupported)
	}
	if c.Version >= 4 {
		c.AddrSize = int(b.u8())
		if seg := b.u8(); seg != 0 {
			return nil, fmt.Errorf("segment selector size %d: %w", seg, ErrUnsupported)
		}
	}
	c.CodeAlign = b.uleb()
	c.DataAlign = b.sleb()
	if c.Version == 1 {
		c.RAReg = int(b.u8())
	} else {
		c.RAReg = int(b.uleb())
	}
	if err := c.parseAugmentation(b); err != nil {
		return nil, err
	}
	c.Instructions = b.data[b.pos:]
	if b.err != nil {
		return nil, b.err
	}
	return c, nil
}

func (c *CIE) parseAugmentation(b *buf) error {
	aug := c.Augmentation
	if aug == "" {
		return nil
	}
	if aug[0] != 'z' {
		return fmt.Errorf("augmentation %q: %w", aug, ErrUnsupported)
	}
	c.hasAugData = true
	n := b.uleb()
	data := &buf{data: b.bytes(n), order: b.order}
	for _, ch := range aug[1:] {
		switch ch {
		case 'L':
			c.lsdaEncoding = data.u8()
		case 'R':
			c.FDEEncoding = data.u8()
		case 'S':
			c.SignalFrame = true
		case 'P':
			enc := data.u8()
			c.readPointer(data, enc, 0)
		default:
			// Unknown letters: the length lets us skip the rest.
			return b.err
		}
	}
	if data.err != nil {
		return data.err
	}
	return b.err
}

// readPointer decodes an .eh_frame encoded pointer; base is the
// section offset of the data buffer's start (for pc-relative values).
func (c *CIE) readPointer(b *buf, enc byte, base uint64) uint64 {
	if enc == peOmit {
		return 0
	}
	fieldAddr := c.sectionAddr + base + uint64(b.pos)
	var v uint64
	switch enc & 0x0f {
	case peAbsptr:
		v = b.uint(c.AddrSize)
	case peULEB:
		v = b.uleb()
	case peUdata2:
		v = uint64(b.u16())
	case peUdata4:
		v = uint64(b.u32())
	case peUdata8:
		v = b.u64()
	case peSLEB:
		v = uint64(b.sleb())
	case peSdata2:
		v = uint64(int16(b.u16()))
	case peSdata4:
		v = uint64(int32(b.u32()))
	case peSdata8:
		v = b.u64()
	default:
		b.err = ErrUnsupported
	}
	switch enc & 0x70 {
	case 0:
	case pePCRel:
		v += fieldAddr
	default:
		if b.err == nil {
			b.err = ErrUnsupported
		}
	}
	return v
}

func parseFDE(b *buf, c *CIE) (*FDE, error) {
	f := &FDE{CIE: c}
	if c.ehFrame {
		f.Begin = c.readPointer(b, c.FDEEncoding, 0)
		f.End = f.Begin + c.readPointer(b, c.FDEEncoding&0x0f, 0)
	} else {
		f.Begin = b.uint(c.AddrSize)
		f.End = f.Begin + b.uint(c.AddrSize)
	}
	if c.hasAugData {
		b.bytes(b.uleb())
	}
	f.Instructions = b.data[b.pos:]
	if b.err != nil {
		return nil, b.err
	}
	return f, nil
}

// FDEs returns every FDE sorted by Begin. The slice is shared.
func (t *Table) FDEs() []*FDE { return t.fdes }

// FDEFor returns the FDE covering pc; the error wraps ErrNoFDE.
func (t *Table) FDEFor(pc uint64) (*FDE, error) {
	i := sort.Search(len(t.fdes), func(i int) bool { return t.fdes[i].Begin > pc }) - 1
	// FDEs may nest or overlap in odd inputs; the latest start wins.
	if i >= 0 && pc < t.fdes[i].End {
		return t.fdes[i], nil
	}
	return nil, &PCError{PC: pc, Err: ErrNoFDE}
}
