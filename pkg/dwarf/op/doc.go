// Package op compiles and evaluates DWARF location expressions (DWARF 2–5
// DW_OP_* byte code, as emitted by the Go compiler and gcc) for amd64.
//
// Compile decodes an expression once into a Program; Program.Eval runs it
// against a Context that supplies registers (by DWARF number), the frame
// base, the CFA and memory. Eval allocates nothing unless the result has
// pieces, so it is cheap enough to run at every breakpoint hit.
//
// It imports only the standard library. Its callers are pkg/proc/variables
// (locations of variables) and pkg/dwarf/frame (DW_CFA_*expression rules).
package op
