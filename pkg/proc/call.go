package proc

// CallInjector is what injecting a function call into a stopped thread
// needs beyond Process (live backends only; assert it).
type CallInjector interface {
	// SaveRegisters snapshots every register of a thread: general,
	// flags, x87 and SSE.
	SaveRegisters(tid int) (SavedRegisters, error)
	// RestoreRegisters writes a snapshot back; keepPCSP leaves the
	// thread's current pc and sp as they are.
	RestoreRegisters(tid int, r SavedRegisters, keepPCSP bool) error
	// SetFloatRegisters sets the low 64 bits of xmm registers (by index;
	// the high bits are zeroed).
	SetFloatRegisters(tid int, xmm map[int]uint64) error
	// AllocData returns n bytes of readable and writable memory in the
	// program that it never frees (string literals passed to calls).
	AllocData(n int) (uint64, error)
}

// SavedRegisters is an opaque register snapshot.
type SavedRegisters interface {
	PC() uint64
	SP() uint64
}
