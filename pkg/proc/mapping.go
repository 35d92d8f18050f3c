package proc

// Mapping is one file-backed region of a process's address space, as the
// kernel lists it (/proc/<pid>/maps for a live process).
type Mapping struct {
	Start, End uint64 // [Start, End)
	Offset     uint64 // in the file
	Perms      string // "r-xp" ...
	Path       string // absolute; empty for anonymous regions
}

// Mapper is a process that lists its file mappings: a live process from
// /proc/<pid>/maps, a core file from its NT_FILE note (model, issue 12:
// the target's Image finds shared libraries through it).
type Mapper interface {
	Mappings() ([]Mapping, error)
}
