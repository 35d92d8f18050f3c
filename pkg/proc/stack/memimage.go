package stack

import (
	"bytes"
	"crypto/sha256"
	"debug/elf"
	"encoding/binary"
	"sync"

	"github.com/godbg/godbg/pkg/symbols"
)

// The kernel maps the vDSO into every process as a whole small ELF file,
// section headers and .eh_frame included, at a page boundary. A Go
// program calls into it all the time (runtime.nanotime1, time.now), so a
// thread halted at a random moment is often there. When a pc is in no
// image the caller passed, the pages just below it are searched for such
// an ELF header and the image read from memory. Parsed images are shared
// by content, since every process of a kernel has the same vDSO.
const (
	memImageMaxPages = 4       // pages searched below the pc
	memImageMaxSize  = 1 << 16 // bytes of a whole in-memory ELF file
)

var (
	memImages   sync.Map // sha256 of the file → *symbols.Table
	memImagesMu sync.Mutex
	memImagesN  int // entries; past maxMemImages, tables are not kept
)

const maxMemImages = 16

// discover looks for an in-memory ELF image around the run-time pc and
// adds it to the walk.
func (w *walker) discover(pc uint64) *loaded {
	page := pc &^ (pageSize - 1)
	if w.tried == nil {
		w.tried = map[uint64]bool{}
	}
	if w.tried[page] {
		return nil
	}
	w.tried[page] = true
	for i := 0; i < memImageMaxPages && page >= pageSize; i, page = i+1, page-pageSize {
		var hdr [64]byte
		if w.mem.read(page, hdr[:]) != nil || !bytes.HasPrefix(hdr[:], []byte(elf.ELFMAG)) {
			continue
		}
		l := w.memImage(page, hdr[:])
		if l != nil && l.im.contains(pc-l.bias) {
			w.imgs = append(w.imgs, *l)
			return &w.imgs[len(w.imgs)-1]
		}
		return nil
	}
	return nil
}

// memImage reads the ELF file whose header hdr is at addr.
func (w *walker) memImage(addr uint64, hdr []byte) *loaded {
	le := binary.LittleEndian
	if hdr[elf.EI_CLASS] != byte(elf.ELFCLASS64) || le.Uint16(hdr[16:]) != uint16(elf.ET_DYN) ||
		le.Uint16(hdr[18:]) != uint16(elf.EM_X86_64) {
		return nil
	}
	// The file ends with its section headers (e_shoff, e_shentsize, e_shnum).
	size := le.Uint64(hdr[0x28:]) + uint64(le.Uint16(hdr[0x3a:]))*uint64(le.Uint16(hdr[0x3c:]))
	if size < 64 || size > memImageMaxSize {
		return nil
	}
	data := make([]byte, size)
	if w.mem.read(addr, data) != nil {
		return nil
	}
	sum := sha256.Sum256(data)
	v, ok := memImages.Load(sum)
	if !ok {
		f, err := elf.NewFile(bytes.NewReader(data))
		if err != nil {
			return nil
		}
		tab, err := symbols.NewTable(f, "[vdso]")
		if err != nil {
			return nil
		}
		v = tab
		memImagesMu.Lock()
		if memImagesN < maxMemImages {
			memImagesN++
			v, _ = memImages.LoadOrStore(sum, tab)
		}
		memImagesMu.Unlock()
	}
	tab := v.(*symbols.Table)
	low := ^uint64(0)
	for _, p := range tab.ELF().Progs {
		if p.Type == elf.PT_LOAD {
			low = min(low, p.Vaddr&^(pageSize-1))
		}
	}
	if low == ^uint64(0) {
		return nil
	}
	return &loaded{im: imageFor(tab), bias: addr - low}
}
