// Package eval is the scalar fast path of breakpoint conditions and the
// one set of expression error sentinels.
//
// The language has one front end, pkg/proc/expr: it parses every
// expression (print, conditions, set, address expressions) with
// go/parser and checks it. For a condition whose names are all scalar
// variables (integers of every size, floats, bools, strings, pointers
// compared with nil) expr.CompileScalar hands the syntax tree to Compile,
// which folds constants and builds a small tree of scalar operations
// (comparison, arithmetic, bitwise operators, &&, ||, !, numeric
// conversions); Expr.Eval walks it on the tracer thread, asking a Scope
// (pkg/proc/variables' precompiled binding of the breakpoint address) for
// each variable, without allocating. Semantics follow Go and match
// print's: untyped constants take the type of the variable they meet,
// operands of different types are an error, integer arithmetic wraps at
// the operand's size, && and || short-circuit. Any error of the fast path
// makes service/debugger evaluate the condition again with print's
// evaluator, so results and error texts are print's.
//
// It imports only the standard library; pkg/proc/variables provides the
// Scope of a stopped thread, pkg/proc/expr compiles, service/debugger
// evaluates at each hit.
package eval
