// Package core is godbg's post-mortem backend: it reads an ELF core file
// as a proc.Inspector (Open: threads, registers, memory, mappings; it
// implements nothing that runs or traces), and writes one from a stopped
// process (Dump, DumpProcess). It handles Linux/amd64 cores from the
// kernel, from gdb's gcore, and from Dump.
//
// It imports pkg/proc and the standard library only. It never imports a
// backend and does no ptrace: Dump gets a process's threads and memory
// from its caller (service/debugger hands it the native process) and reads
// only /proc/<pid> files itself. service/debugger calls Open for `godbg
// core EXE CORE` and Dump for a `dump` command.
//
// # Reading a core
//
// A core file is an ELF file of type ET_CORE. Its PT_NOTE segment has one
// NT_PRSTATUS note per thread (tid, signal and the 27 registers of
// user_regs_struct), each followed by that thread's NT_FPREGSET (the
// 512-byte FXSAVE area) and NT_X86_XSTATE; and, once, NT_PRPSINFO (pid,
// command line), NT_AUXV (the auxiliary vector, with AT_ENTRY) and
// NT_FILE (which file each mapping comes from, and at what offset). The
// kernel writes the notes of the thread that took the fatal signal first;
// that thread is the current one (StopOf). gdb writes NT_PRPSINFO first
// and puts the notes at the end of the file; the order does not matter
// here except that register notes belong to the NT_PRSTATUS before them.
//
// Memory is in PT_LOAD segments. A segment's first p_filesz bytes are in
// the file; the rest of its p_memsz is not. The kernel (coredump_filter)
// leaves out file-backed memory it can find again: of the executable's
// text and read-only data only the page holding the ELF headers is
// written. So a read goes to the segment's bytes first, then to the
// executable file through NT_FILE (or, without NT_FILE, the executable's
// own program headers and load bias); what is left is zeros if the
// segment is readable anonymous memory, and ErrUnavailable otherwise
// (address space reserved without access, other files' mappings, holes).
//
// # Does the core belong to the executable?
//
// Open refuses (MismatchError) a core another program dumped. AT_ENTRY
// must be the executable's entry plus a page-aligned load bias (zero for
// a non-PIE), the executable must be mapped there, NT_FILE must map the
// executable's bytes at the entry point, and the notes the executable
// loads with it (the Go and GNU build IDs) must equal their copy in the
// core's first page where the core has it. The file's name need not
// match if the build ID does (a renamed copy is fine).
//
// Every count and offset of the file is checked against its size before
// it is used; a damaged file gives a FormatError that names it and says
// what is wrong. FuzzCoreReader keeps it that way.
//
// # Writing a core
//
// Dump writes what the kernel would: NT_PRSTATUS, NT_PRPSINFO, NT_SIGINFO
// (for a thread stopped by a signal), NT_AUXV, NT_FILE and NT_FPREGSET
// notes, then a PT_LOAD per mapping of /proc/<pid>/maps. To keep a Go
// program's core small (a Go process reserves gigabytes of address space
// and touches a few megabytes):
//
//   - mappings without read access (Go's arena reservations, ---p) get a
//     PT_LOAD with p_filesz 0 and no flags: the address space is described,
//     nothing is written, and reads fail instead of giving zeros;
//   - the executable's read-only mappings are left out but for the page
//     with its ELF headers, unless they have pages of their own (relocated
//     RELRO data, text a breakpoint changed), found from the "exclusively
//     mapped anonymous page" bit of /proc/<pid>/pagemap;
//   - in anonymous private memory, pages pagemap shows neither present nor
//     swapped are never touched and read as zeros: they are not read, and
//     the untouched tail of a mapping is outside p_filesz;
//   - pages that are zero or cannot be read are not written: the file is
//     written with WriteAt, so they are holes of a sparse file;
//   - [vvar] and [vsyscall] are skipped (they cannot be read through
//     /proc/<pid>/mem).
//
// Memory is read through the caller's reader (ReadText for DumpProcess,
// so breakpoints do not end up in the core). The file is written under a
// temporary name and renamed when complete.
package core
