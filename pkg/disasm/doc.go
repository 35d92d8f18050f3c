// Package disasm decodes amd64 machine code into printable instructions in
// Go (Plan 9), GNU (AT&T) or Intel syntax, naming branch and call targets
// through a symbol-lookup callback.
//
// It is pure: it imports only golang.org/x/arch/x86/x86asm and the
// standard library, and never reads memory itself. service/debugger calls
// it with bytes read from the program and a lookup built from
// pkg/symbols.
package disasm
