// Package locspec parses the location specs users type for break, list
// and similar commands ("main.go:12", "pkg.(*T).M", "*0x4010a0", "+2",
// "/regexp/") and resolves them against one executable's symbols.
//
// Parse is pure. Resolve uses a *symbols.Table and returns link-time
// addresses. It is called by service/debugger and pkg/terminal; it imports
// only the standard library and pkg/symbols.
package locspec
