package core

import (
	"bytes"
	"io"
)

// writerAt is what writeCore writes to (an *os.File; seeking past
// unwritten ranges leaves holes, so the file is sparse).
type writerAt interface {
	io.WriterAt
	Truncate(size int64) error
}

// writeCore writes img as an ELF core file: the ELF header, the program
// headers (one PT_NOTE, one PT_LOAD per segment), the notes, then each
// segment's bytes at a page-aligned offset. Pages that are zero or
// cannot be read are not written.
func writeCore(w writerAt, img *image, mem Memory) (int64, error) {
	notes := buildNotes(img)
	nph := uint64(1 + len(img.segs))
	var shoff uint64
	hdrEnd := ehdrSize + nph*phdrSize
	if nph >= pnXnum {
		shoff, hdrEnd = hdrEnd, hdrEnd+shdrSize
	}
	head := make([]byte, hdrEnd, hdrEnd+uint64(len(notes)))
	putEhdr(head, nph, shoff)
	note := phdr{Type: ptNote, Off: hdrEnd, Filesz: uint64(len(notes)), Align: 4}
	note.encode(head[ehdrSize:])
	off := alignPage(hdrEnd + uint64(len(notes)))
	for i, s := range img.segs {
		ph := phdr{Type: ptLoad, Flags: s.flags, Off: off, Vaddr: s.start,
			Filesz: s.size, Memsz: s.end - s.start, Align: pageSize}
		ph.encode(head[ehdrSize+(i+1)*phdrSize:])
		off = alignPage(off + s.size)
	}
	head = append(head, notes...)
	if _, err := w.WriteAt(head, 0); err != nil {
		return 0, err
	}
	off = alignPage(uint64(len(head)))
	for _, s := range img.segs {
		if err := copySegment(w, off, s, mem); err != nil {
			return 0, err
		}
		off = alignPage(off + s.size)
	}
	// The last segment may end in a hole.
	return int64(off), w.Truncate(int64(off))
}

func putEhdr(b []byte, nph, shoff uint64) {
	copy(b, "\x7fELF\x02\x01\x01")
	le.PutUint16(b[16:], etCore)
	le.PutUint16(b[18:], emX86_64)
	le.PutUint32(b[20:], 1) // EV_CURRENT
	le.PutUint64(b[32:], ehdrSize)
	le.PutUint16(b[52:], ehdrSize)
	le.PutUint16(b[54:], phdrSize)
	if nph < pnXnum {
		le.PutUint16(b[56:], uint16(nph))
		return
	}
	le.PutUint16(b[56:], pnXnum)
	le.PutUint64(b[40:], shoff)
	le.PutUint16(b[58:], shdrSize)
	le.PutUint16(b[60:], 1)
	le.PutUint32(b[shoff+44:], uint32(nph)) // sh_info of section header 0
}

func alignPage(n uint64) uint64 { return (n + pageSize - 1) &^ (pageSize - 1) }

// chunkSize is how much memory copySegment reads at once.
const chunkSize = 1 << 20

// copySegment writes the first s.size bytes of the segment at file offset
// off, skipping pages known or found to be zero and pages it cannot read.
func copySegment(w io.WriterAt, off uint64, s segment, mem Memory) error {
	buf := make([]byte, chunkSize)
	for done := uint64(0); done < s.size; {
		n := min(uint64(chunkSize), s.size-done)
		a := s.start + done
		var zero []bool
		if s.zero != nil {
			zero = s.zero(a, int((n+pageSize-1)/pageSize))
		}
		ok := readPages(mem, a, buf[:n], zero)
		if err := writePages(w, off+done, buf[:n], ok); err != nil {
			return err
		}
		done += n
	}
	return nil
}

// readPages fills b from addr and reports which pages hold data worth
// writing: not known-zero, readable. A chunk that fails as a whole is
// read again page by page.
func readPages(mem Memory, addr uint64, b []byte, zero []bool) []bool {
	npages := (len(b) + pageSize - 1) / pageSize
	ok := make([]bool, npages)
	for i := 0; i < npages; {
		if i < len(zero) && zero[i] {
			i++
			continue
		}
		j := i // read the run of pages i..j-1 that are not known-zero
		for j < npages && !(j < len(zero) && zero[j]) {
			j++
		}
		lo, hi := i*pageSize, min(j*pageSize, len(b))
		n, _ := mem.ReadMemory(addr+uint64(lo), b[lo:hi])
		for k := i; k < j; k++ {
			pe := min((k+1)*pageSize, len(b))
			if lo+n >= pe {
				ok[k] = true
			} else if _, err := mem.ReadMemory(addr+uint64(k*pageSize), b[k*pageSize:pe]); err == nil {
				ok[k] = true
			}
		}
		i = j
	}
	for k := range ok {
		if ok[k] && allZero(b[k*pageSize:min((k+1)*pageSize, len(b))]) {
			ok[k] = false
		}
	}
	return ok
}

// writePages writes the runs of pages marked ok.
func writePages(w io.WriterAt, off uint64, b []byte, ok []bool) error {
	for i := 0; i < len(ok); {
		if !ok[i] {
			i++
			continue
		}
		j := i
		for j < len(ok) && ok[j] {
			j++
		}
		lo, hi := i*pageSize, min(j*pageSize, len(b))
		if _, err := w.WriteAt(b[lo:hi], int64(off)+int64(lo)); err != nil {
			return err
		}
		i = j
	}
	return nil
}

var zeroPage [pageSize]byte

func allZero(b []byte) bool { return bytes.Equal(b, zeroPage[:len(b)]) }

// Memory is what Dump reads the process's memory through; proc.Process
// has this method.
type Memory interface {
	ReadMemory(addr uint64, buf []byte) (int, error)
}
