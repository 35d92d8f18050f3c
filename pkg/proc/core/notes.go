package core

import (
	"bytes"
	"fmt"
)

// note is one ELF note: its owner name, type and descriptor.
type note struct {
	name string
	typ  uint32
	desc []byte
	off  uint64 // offset of the note in its segment (for messages)
}

// splitNotes cuts a note segment into notes. Every size is checked
// against what is left of b, so a damaged segment ends in an error.
func splitNotes(b []byte) ([]note, error) {
	var out []note
	for off := uint64(0); off < uint64(len(b)); {
		rest := uint64(len(b)) - off
		if rest < 12 {
			return out, fmt.Errorf("note at offset %#x: %d bytes left, a note header needs 12", off, rest)
		}
		namesz := uint64(le.Uint32(b[off:]))
		descsz := uint64(le.Uint32(b[off+4:]))
		typ := le.Uint32(b[off+8:])
		nameEnd := 12 + align4(namesz)
		if nameEnd > rest {
			return out, fmt.Errorf("note at offset %#x: its %d-byte name runs past the end of the notes", off, namesz)
		}
		if descsz > rest-nameEnd {
			return out, fmt.Errorf("note at offset %#x (type %#x): its %d-byte descriptor runs past the end of the notes", off, typ, descsz)
		}
		name := b[off+12 : off+12+namesz]
		name, _, _ = bytes.Cut(name, []byte{0})
		d := off + nameEnd
		out = append(out, note{name: string(name), typ: typ, desc: b[d : d+descsz], off: off})
		off = d + min(align4(descsz), rest-nameEnd)
	}
	return out, nil
}

// fileMap is one NT_FILE entry: a file mapped at [Start, End) from byte
// Offset of Path.
type fileMap struct {
	Start, End, Offset uint64
	Path               string
}

// parseNTFile decodes NT_FILE: count, page size, count (start, end,
// page offset) triples, then count NUL-terminated paths.
func parseNTFile(d []byte) ([]fileMap, error) {
	if len(d) < 16 {
		return nil, fmt.Errorf("NT_FILE note is %d bytes, shorter than its header", len(d))
	}
	count, psize := le.Uint64(d), le.Uint64(d[8:])
	if count > uint64(len(d)-16)/24 {
		return nil, fmt.Errorf("NT_FILE note lists %d files but has room for %d", count, (len(d)-16)/24)
	}
	if psize == 0 || psize&(psize-1) != 0 || psize > 1<<30 {
		return nil, fmt.Errorf("NT_FILE note has page size %d", psize)
	}
	names := d[16+24*count:]
	out := make([]fileMap, 0, count)
	for i := uint64(0); i < count; i++ {
		e := d[16+24*i:]
		name, rest, ok := bytes.Cut(names, []byte{0})
		if !ok {
			return nil, fmt.Errorf("NT_FILE note: path %d of %d is missing or unterminated", i+1, count)
		}
		names = rest
		fm := fileMap{Start: le.Uint64(e), End: le.Uint64(e[8:]), Path: string(name)}
		pg := le.Uint64(e[16:])
		if fm.End < fm.Start || pg > (1<<63)/psize {
			return nil, fmt.Errorf("NT_FILE note: entry %d (%#x-%#x, page %d) is malformed", i+1, fm.Start, fm.End, pg)
		}
		fm.Offset = pg * psize
		out = append(out, fm)
	}
	return out, nil
}

// auxvEntry returns the value of key in an NT_AUXV descriptor.
func auxvEntry(auxv []byte, key uint64) (uint64, bool) {
	for i := 0; i+16 <= len(auxv); i += 16 {
		k := le.Uint64(auxv[i:])
		if k == key {
			return le.Uint64(auxv[i+8:]), true
		}
		if k == atNull {
			break
		}
	}
	return 0, false
}

// psinfo is what NT_PRPSINFO says about the process.
type psinfo struct {
	pid, ppid int
	fname     string
	psargs    string
}

func parsePrpsinfo(d []byte) (*psinfo, error) {
	if len(d) < prpsinfoSize {
		return nil, fmt.Errorf("NT_PRPSINFO note is %d bytes, want %d (not an x86-64 core?)", len(d), prpsinfoSize)
	}
	return &psinfo{
		pid:    int(int32(le.Uint32(d[prpsinfoPid:]))),
		ppid:   int(int32(le.Uint32(d[prpsinfoPpid:]))),
		fname:  cString(d[prpsinfoFname : prpsinfoFname+16]),
		psargs: cString(d[prpsinfoPsargs : prpsinfoPsargs+80]),
	}, nil
}

func cString(b []byte) string {
	s, _, _ := bytes.Cut(b, []byte{0})
	return string(s)
}
