// Package eval compiles and evaluates breakpoint conditions: Go boolean
// expressions over variables of basic types (integers of every size,
// floats, bools, strings, pointers compared with nil) with comparison,
// arithmetic, bitwise operators, &&, ||, !, parentheses and conversions
// between numeric types.
//
// Compile parses once with go/parser, checks the constructs used and folds
// constant subexpressions; Expr.Eval then walks a small tree, asking a
// Scope for each variable it reads. Semantics follow Go: untyped constants
// take the type of the variable they meet (and must be representable in
// it), operands of different types are an error naming both, integer
// arithmetic wraps at the operand's size, && and || short-circuit.
//
// It imports only the standard library; pkg/proc/variables provides the
// Scope of a stopped thread, service/debugger calls Compile when a
// conditional breakpoint is created.
package eval
