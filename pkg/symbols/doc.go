// Package symbols indexes the symbols of one ELF executable (amd64): its
// functions and the mapping between addresses and source lines. It reads
// the file only; it never knows about processes and never prints. All
// addresses are link-time addresses: callers (pkg/proc, service/debugger)
// add the load bias of a PIE themselves.
//
// It imports only the standard library (debug/elf, debug/dwarf,
// debug/gosym) and golang.org/x/arch/x86/x86asm.
//
// # Sources of information
//
// Go programs are indexed from .gopclntab through debug/gosym: functions,
// and pc→line via the runtime's own tables. This is fast, needs no DWARF
// and also works for stripped binaries (go build -ldflags=-s -w). DWARF is
// loaded lazily, only for the first LineToPCs, and then only the sections
// needed (abbrev, info, line, str, addr, line_str, str_offsets); compile
// units are scanned for a file only when that file is asked for.
//
// Other programs (C, gcc -g) are indexed from DWARF at load: functions
// from DW_TAG_subprogram entries and a compact pc-sorted line table from
// every unit's line program (DWARF 4 and 5). SHF_COMPRESSED sections (gcc
// -gz) are decompressed by debug/elf, old .zdebug sections (gcc
// -gz=zlib-gnu) here. Without DWARF, function names come from .symtab, or
// .dynsym when there is no .symtab.
//
// FirstStmtPC documents how the prologue is skipped; LineToPCs which
// statement addresses a line has.
//
// # Errors
//
// Lookups return *FuncError, *FileError or *LineError wrapping ErrNoFunc,
// ErrAmbiguousFunc, ErrNoFile, ErrAmbiguousFile or ErrNoCode, with
// did-you-mean candidates in their messages. Open and NewTable return
// *FormatError (errors.Is ErrNotExecutable) for files that are not 64-bit
// amd64 ELF executables or whose symbol data is corrupt; they never panic.
//
// # Performance
//
// Measured on the 2-core development machine for a 20.4 MiB Go binary
// with compressed DWARF (_fixtures/symbols/big built with
// -gcflags=all=-N -l; 18,554 functions, 1,090 files): Open plus
// LookupFunc("main.main") takes 20 ms median (5 runs) with 15.4 MiB peak
// RSS for the whole process, measured with
//
//	/usr/bin/time -f '%e s %M KiB' probe BIG main.main
//
// where probe is a 30-line program that calls Open and LookupFunc, and
// `go test -bench OpenLarge ./pkg/symbols` (14.8 ms/op, 26 MiB maxrss for
// the test process). The first LineToPCs on that binary, which loads
// DWARF, brings the total to 0.11 s and 25 MiB. The 25 MiB go tool
// compile (no DWARF) loads in 0.03 s with 21 MiB.
package symbols
