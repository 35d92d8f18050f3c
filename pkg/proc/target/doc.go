// Package target is the target model between the backends and the
// debugger service: how a process is opened (launched, attached, or read
// from a core file), the Image of the binary it runs (symbols, load bias,
// shared libraries, decoded code — the one owner of what is derived from
// it), and the frames of its threads and goroutines.
//
// It may import pkg/proc and its sub-packages, the backends
// (pkg/proc/native, pkg/proc/core), pkg/symbols and pkg/dwarf; never
// service or the terminal. service/debugger reaches processes, images and
// stacks through it (issue 12); the stepping engine and the breaklet
// multiplexer still live in service/debugger (see /work/notes/model-note.md).
package target
