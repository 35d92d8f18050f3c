// Package frame parses DWARF call frame information — .debug_frame (Go,
// gcc -g) and .eh_frame (gcc, clang) — and computes the unwinding rules
// (CFA, saved registers, return address) at a pc.
//
// Parse indexes every FDE of a section once; Table.FDEFor finds the FDE
// covering a pc by binary search; FDE.RowAt runs the CIE's initial
// instructions and the FDE's instructions up to the pc and returns the row.
// Addresses are link-time addresses (the caller subtracts a PIE's bias).
//
// It imports only the standard library and pkg/dwarf/op (for LEB128).
// Its callers are pkg/proc/variables (the CFA of a breakpoint frame) and,
// later, stack unwinding and stepping.
package frame
