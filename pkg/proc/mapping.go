package proc

// Mapping is one file-backed region of a process's address space, as the
// kernel lists it (/proc/<pid>/maps for a live process).
type Mapping struct {
	Start, End uint64 // [Start, End)
	Offset     uint64 // in the file
	Perms      string // "r-xp" ...
	Path       string // absolute; empty for anonymous regions
}
