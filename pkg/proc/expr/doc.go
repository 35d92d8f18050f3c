// Package expr is the one Go expression language of the debugger: print,
// display, whatis, set, breakpoint conditions (break ... if, condition),
// address expressions (x, disassemble, set *(*T)(addr)) and DAP's evaluate
// all parse here (go/parser, Check) and evaluate here: Eval returns the
// *values.Value of an expression, WhatIs its type, Assign writes a
// value into a variable, EvalBool decides a condition, EvalAddress
// computes an address. Conditions made only of scalar variables are also
// compiled once per address for pkg/proc/eval's allocation-free fast path
// (CompileScalar); any error there is worded by EvalBool, so a condition
// gives print's result and print's error text.
//
// It imports go/parser, go/constant, pkg/proc/values (loading and
// types), pkg/proc/variables (the frame's variables, for FrameScope),
// pkg/proc/eval (the fast path and the one set of error sentinels) and
// pkg/symbols, never a backend: memory comes in through the Memory
// interface (proc.Process has it). service/debugger builds a FrameScope
// for the selected frame (or for a breakpoint hit) and calls in.
//
// # Names
//
// An identifier is a local or argument visible at the frame's pc (the
// innermost of shadowed ones), then a package variable of the frame's
// package, then true, false or nil. x.y is a field when x is a variable,
// else the package variable "x.y" (x may be the last element of a
// package path, or a quoted full path: "a/b/c".V). Unknown names are
// "could not find symbol value for x" (ErrNotFound).
//
// # What is evaluated
//
// Field selection goes through one pointer and through interfaces to
// their dynamic value, and finds promoted fields of embedded structs
// breadth first. Indexing works on arrays, pointers to arrays, slices,
// strings (a byte) and maps (the key compared with every key, so any
// key type of basic kind works, and interface keys by dynamic type and
// value). Slicing works on slices, strings and arrays in memory. *p, &x
// (for a value in memory: the result is a pointer to it), len, cap,
// unary - + ! ^, binary arithmetic, bit operations, shifts, comparisons,
// && and || (short-circuit), conversions between numeric types, to
// string from integers, between pointers, and from an address to a
// pointer type: (*main.T)(0xc000010000); string(bytes or runes),
// []byte(s), []rune(s), conversions between types of one layout (named
// structs, a named []byte), unsafe casts to types the program never named
// (*(*[5]byte)(addr), struct {}); real, imag, complex, min, max; == on
// structs, arrays, interfaces and errors; x.(T) and Delve's x.(data);
// struct and array literals (m[main.T{1, 1}]); channel runtime fields
// (ch.qcount, ch.buf). Function calls and channel receives are
// ErrUnsupported.
//
// Types follow Go: constants are untyped (exact, by go/constant) until
// they meet a typed operand, which they must fit (ErrOverflow); two
// typed operands must have the same type (ErrTypeMismatch names both);
// integer arithmetic wraps at the type's size. A constant result takes
// its default type (int, rune = int32, float64, complex128, string,
// bool); as Delve, a constant result prints with no type, len and cap
// are untyped constants, and s[i] of a string is a byte. Computed values have no address. Types a result needs that the
// program lacks (a pointer to T for &x, []T for a slice of an array,
// int for len) are made up as DWARF types shaped like the runtime's.
//
// # Loading
//
// Operands are loaded shallowly (values.LoadConfig with no elements and
// no pointer targets; strings to 64 bytes) and read further only where
// the expression goes: an element is read at base + i*size, a pointer's
// target when dereferenced, a string whole when compared. The result is
// loaded again with the caller's configuration (values.Loader.Expand).
// A map lookup loads every entry (the hard limits of pkg/proc/values
// bound it).
//
// # Errors
//
// Errors start with the part of the expression that failed and wrap a
// sentinel: "o.Tags[5]: index out of range [5] with length 3",
// "*np: nil pointer dereference", "x + s: mismatched types int and
// string", `bad expression "a +": column 4: expected operand`
// (*SyntaxError, ErrSyntax). A variable the DWARF says is not available
// at the pc reports the *variables.VarError "x is not available at this
// pc (optimized away)", never a value.
package expr
