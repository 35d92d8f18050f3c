// Package proc is godbg's target-independent core: the contract a backend
// fulfils, split by capability (target.go: Inspector for what every target
// has, Runner and Tracer for a live process; Process is all three), and
// the stop/thread/register types the layers above reason with.
//
// It never imports golang.org/x/sys/unix or a backend. pkg/proc/target is
// its caller; pkg/proc/native implements Process, pkg/proc/core (core
// files) Inspector only.
package proc
