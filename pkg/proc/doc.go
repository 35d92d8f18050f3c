// Package proc is godbg's target-independent core: the contract a backend
// (pkg/proc/native for live processes, later pkg/proc/core for core files)
// fulfils, and the stop/thread/register types the layers above reason with.
//
// It never imports golang.org/x/sys/unix or a backend. service/debugger is
// its caller; backends implement Process and Thread.
package proc
