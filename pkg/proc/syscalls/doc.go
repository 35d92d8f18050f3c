// Package syscalls names and describes Linux amd64 system calls for
// catchpoints and syscall tracing: number↔name, and how to render a call's
// arguments (strings and buffers read through a memory callback, common
// flags by name) and its result (errno by name). Pure; pkg/proc/native
// reports the raw numbers and service/debugger renders them with this.
package syscalls
