package core

import (
	"bytes"
	"fmt"
	"path/filepath"
	"sort"
	"strings"
)

// match checks that the core was dumped from e and returns the
// executable's load bias and the ranges the executable backs.
func match(c *coreFile, e *exeInfo) (bias uint64, exeMaps []fileMap, err error) {
	mismatch := func(format string, args ...any) error {
		return &MismatchError{Core: c.name, Exe: e.path, Reason: fmt.Sprintf(format, args...)}
	}
	entry, hasEntry := auxvEntry(c.auxv, atEntry)
	switch {
	case hasEntry && e.typ != etDyn:
		if entry != e.entry {
			return 0, nil, mismatch("the core's entry point (AT_ENTRY) is %#x, the executable's is %#x", entry, e.entry)
		}
	case hasEntry:
		bias = entry - e.entry
		if bias%pageSize != 0 {
			return 0, nil, mismatch("the core's entry point %#x is not the executable's entry %#x plus a page-aligned load address", entry, e.entry)
		}
	default:
		bias = guessBias(c, e)
	}
	low := e.lowestLoad()
	base := bias + low.Vaddr&^(pageSize-1)
	nameOK := true
	if c.hasFiles {
		fm, err := entryMapping(c, e, bias, mismatch)
		if err != nil {
			return 0, nil, err
		}
		nameOK = filepath.Base(trimDeleted(fm.Path)) == filepath.Base(e.path)
		for _, f := range c.files {
			if f.Path == fm.Path {
				exeMaps = append(exeMaps, f)
			}
		}
	} else {
		if e.typ == etDyn && c.segmentAt(base) == nil {
			return 0, nil, mismatch("the executable would be loaded at %#x, where the core has no memory", base)
		}
		for _, p := range e.loads {
			if p.Filesz > 0 {
				exeMaps = append(exeMaps, fileMap{Start: bias + p.Vaddr, End: bias + p.Vaddr + p.Filesz, Offset: p.Off})
			}
		}
	}
	sort.Slice(exeMaps, func(i, j int) bool { return exeMaps[i].Start < exeMaps[j].Start })
	verified, err := compareNotes(c, e, bias, mismatch)
	if err != nil {
		return 0, nil, err
	}
	if !nameOK && !verified {
		fm := mapAt(c.files, bias+e.entry)
		return 0, nil, mismatch("the core's program is %s", fm.Path)
	}
	return bias, exeMaps, nil
}

// entryMapping finds the NT_FILE entry holding the entry point and checks
// that it maps the same file bytes there as the executable would.
func entryMapping(c *coreFile, e *exeInfo, bias uint64, mismatch func(string, ...any) error) (*fileMap, error) {
	entry := bias + e.entry
	fm := mapAt(c.files, entry)
	if fm == nil {
		return nil, mismatch("no file is mapped at the entry point %#x in the core", entry)
	}
	p := e.loadAt(e.entry)
	if p == nil {
		return nil, mismatch("the executable's entry point %#x is outside its segments", e.entry)
	}
	if fm.Offset+(entry-fm.Start) != p.Off+(e.entry-p.Vaddr) {
		return nil, mismatch("the core maps %s at the entry point %#x with a different layout than the executable's", fm.Path, entry)
	}
	base := bias + e.lowestLoad().Vaddr&^(pageSize-1)
	if e.typ == etDyn && (mapAt(c.files, base) == nil || mapAt(c.files, base).Path != fm.Path) {
		return nil, mismatch("the executable would be loaded at %#x, where the core maps %s", base, describeMap(mapAt(c.files, base)))
	}
	return fm, nil
}

// compareNotes compares the executable's note segments (build IDs) with
// the copy in the core's memory where the core holds one (the kernel and
// Dump write the page with the ELF headers). verified: one was equal.
func compareNotes(c *coreFile, e *exeInfo, bias uint64, mismatch func(string, ...any) error) (verified bool, err error) {
	for _, n := range e.notes {
		want, err := e.noteBytes(n)
		if err != nil || len(want) == 0 {
			continue
		}
		got := make([]byte, len(want))
		if !c.readCore(bias+n.vaddr, got) {
			continue
		}
		if !bytes.Equal(got, want) {
			return false, mismatch("the core's program has %s, the executable has %s", buildIDs(got), buildIDs(want))
		}
		verified = true
	}
	return verified, nil
}

// guessBias finds a PIE's load address without AT_ENTRY: a mapping of a
// file with the executable's name at offset 0.
func guessBias(c *coreFile, e *exeInfo) uint64 {
	if e.typ != etDyn {
		return 0
	}
	for _, f := range c.files {
		if f.Offset == 0 && filepath.Base(trimDeleted(f.Path)) == filepath.Base(e.path) {
			return f.Start - e.lowestLoad().Vaddr&^(pageSize-1)
		}
	}
	return 0
}

func trimDeleted(p string) string { return strings.TrimSuffix(p, " (deleted)") }

func describeMap(fm *fileMap) string {
	if fm == nil {
		return "nothing"
	}
	return fm.Path
}
