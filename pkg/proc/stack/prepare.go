package stack

import "github.com/godbg/godbg/pkg/symbols"

// Prepare does, ahead of the first unwind, the one-time work for tab:
// parsing its call frame information and loading its DWARF (for inlined
// calls). A debugger calls it in the background while the program runs,
// so that the first stack or step after a stop does not pay for it.
func Prepare(tab *symbols.Table) {
	im := imageFor(tab)
	if !tab.HasDWARF() {
		return
	}
	// Looking up one pc's compile unit makes debug/dwarf index every
	// unit's ranges. Then the inlined calls of the units every Go stack
	// crosses (the runtime's is large: ~10 ms) are indexed.
	im.inlinedAt(0, tab.Entry())
	for _, name := range []string{"runtime.main", "main.main"} {
		if fn, err := tab.LookupFunc(name); err == nil {
			im.inlinedAt(fn.Entry, fn.Entry)
		}
	}
}

// PreparePCs fills the unwinder's per-pc caches (call frame row, line)
// for link-time pcs of tab, and the inlined calls of the functions holding
// them. A debugger calls it in the background after a stop for the places
// a step may end, where the condition of a temporary breakpoint unwinds
// (issue 12: the hit then finds them computed).
func PreparePCs(tab *symbols.Table, pcs []uint64) {
	im := imageFor(tab)
	for _, pc := range pcs {
		im.rowAt(pc)
		if li := im.lineAt(pc); li.entry != 0 {
			im.inlinedAt(li.entry, pc)
		}
	}
}
