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
//
// # Frames
//
// NewFrame is the general form, for print, locals, args and set (through
// pkg/proc/expr): given a run-time pc, the load bias, the frame's CFA
// (or 0 to compute it from the call frame information at the pc) and
// register and memory callbacks, it lists every variable visible at the
// pc with its kind (Arg, Result, Local), type, declaration line and
// lexical depth, and Frame.Location evaluates where one is. Visibility
// follows Go's scoping: the function-level variables and those of the
// lexical blocks whose ranges contain the pc, minus Go locals declared on
// a later line than the pc's (in inlined code, than the line of the
// inlined call); of several variables with one name the innermost (then
// the latest declared) wins and the others are marked Shadowed, so that
// locals can still list them. Results are the formal parameters Go marks
// DW_AT_variable_parameter ("~r0" when unnamed), in declaration order
// after the arguments. Variables Go moved to the heap ("&x" in DWARF) are
// listed as x with Indirect set: Location returns their heap address.
// A variable with no location at the pc (no location list entry covers
// it, or an empty expression) is a *VarError wrapping ErrOptimizedAway,
// "x is not available at this pc (optimized away)": its value is not
// known there, and no number is made up. Variables of inlined calls are
// not listed. GlobalName resolves how an expression names a package
// variable to its DWARF name.
package variables
