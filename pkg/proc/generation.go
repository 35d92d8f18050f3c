package proc

// Generations is a live process whose backend counts what may change
// its memory or registers: every resumption or single step of a thread,
// every register set, every memory write made through it. Two equal
// counts read while the process stays stopped mean none of these
// happened in between (issue 12: a step planned at a stop takes its plan
// without reading the memory it was made from again). Memory changed by
// anything else than the traced threads and the backend (another
// process's shared mapping, the kernel finishing an asynchronous read)
// is not counted.
type Generations interface {
	Generation() uint64
}
