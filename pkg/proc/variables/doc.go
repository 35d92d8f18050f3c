// Package variables reads the variables of a stopped thread's frame fast
// enough to evaluate a breakpoint condition at every hit.
//
// Bind does the expensive, pc-dependent work once, when a breakpoint is
// created: it finds the function containing the pc, the parameters and
// locals in scope there (lexical blocks with their pc ranges), package
// variables, their types (basic kinds only), the location expression in
// effect at that pc (from DW_AT_location or a .debug_loc/.debug_loclists
// location list) compiled with pkg/dwarf/op, and the CFA rule at the pc
// from pkg/dwarf/frame. Binding.Scope then only runs those programs
// against the hit's registers and memory, each variable at most once.
//
// It imports pkg/symbols, pkg/dwarf/{op,frame}, pkg/proc/eval and the
// standard library, never a backend: registers and memory come in as
// callbacks. service/debugger (or the breakpoint code in pkg/proc) calls
// Bind when a conditional breakpoint is set and Scope at each hit.
package variables
